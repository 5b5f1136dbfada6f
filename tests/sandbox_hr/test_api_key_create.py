"""An administrator creates an API key in Settings → API keys, ticking the permissions the
hosted form lists, and sees the key once.

The permission names come from the hosted form a customer reads ("Permissions to grant in
Sandbox HR"); that the key works is asked of Sandbox HR's API the way the `sandbox` connector
does (`GET /api/v1/me` answers the key's permissions).
"""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType
from integrations.services import relink_link_create
from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxUser
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import IntegrationFactory, SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db

NEW = "/sandbox-hr/settings/api-keys/new/"
LIST = "/sandbox-hr/settings/api-keys/"
RAW_KEY = re.compile(r"sbx_[1-9A-HJ-NP-Za-km-z]{32}")


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=3, seed=2)


@pytest.fixture
def admin(client: Client, account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=account, email="it@acme.example")
    sandbox_sign_in(client, user)
    return user


def _hosted_form_permissions(environment: Environment, account: SandboxAccount) -> list[str]:
    """The permission names the hosted form of a sandbox integration tells the customer."""
    integration = IntegrationFactory(environment=environment, remote_account_id=account.pk)
    _, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
    )
    page = Client().get("/connect/" + url.rsplit("/", 1)[1]).content.decode()
    section = page[page.index('id="permissions"') :]
    return [
        html.unescape(name)
        for name in re.findall(r'<code class="permission">([^<]+)</code>', section)
    ]


def _checkbox_labels(page: str) -> dict[str, str]:
    """Checkbox value -> the text of its label."""
    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.S)
    found = {}
    for label in labels:
        checkbox = re.search(
            r'<input type="checkbox" name="permissions" value="([^"]+)"([^>]*)>', label
        )
        if checkbox:
            text = html.unescape(re.sub(r"<[^>]+>", "", label))
            found[html.unescape(checkbox.group(1))] = " ".join(text.split()) + checkbox.group(2)
    return found


def test_it_offers_an_unticked_checkbox_for_every_permission_the_hosted_form_asks_for(
    client: Client, admin: SandboxUser, environment: Environment
) -> None:
    asked = _hosted_form_permissions(environment, admin.account)
    assert len(asked) == 7

    page = client.get(NEW)

    assert page.status_code == 200
    labels = _checkbox_labels(page.content.decode())
    assert set(labels) == set(asked)
    for name in asked:
        assert name in labels[name]
        # The name and, after a dash, what it lets the key read in plain words.
        assert len(labels[name].split(" — ", 1)[1]) > 20
        assert "checked" not in labels[name]


def test_it_creates_a_key_with_the_ticked_permissions_and_shows_it_once(
    client: Client, admin: SandboxUser
) -> None:
    ticked = ["employees:read", "groups:read"]

    created = client.post(NEW, {"name": "kombo-site", "permissions": ticked})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    page = created.content.decode()
    [raw_key] = set(RAW_KEY.findall(page))
    assert "it will not be shown again" in page
    me = client.get("/sandbox-hr/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert me.status_code == 200
    assert me.json()["account"]["id"] == admin.account.pk
    assert sorted(me.json()["permissions"]) == sorted(ticked)

    listed = client.get(LIST).content.decode()
    key = SandboxApiKey.objects.get()
    assert "kombo-site" in listed
    assert f"{key.prefix}…" in listed
    assert raw_key not in listed
    assert not RAW_KEY.search(listed)
    for session in Session.objects.all():
        assert raw_key not in str(session.get_decoded())
    assert raw_key not in str(SandboxApiKey.objects.values().get())


def test_it_names_an_unnamed_key_and_shows_who_created_it(
    client: Client, admin: SandboxUser
) -> None:
    client.post(NEW, {"name": "", "permissions": ["employees:read"]})

    listed = client.get(LIST).content.decode()

    assert "Unnamed key" in listed
    assert "by it@acme.example" in listed


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"name": "nothing"}, "Tick at least one permission"),
        (
            {"name": "too much", "permissions": ["employees:read", "payroll:write"]},
            "Select a valid choice. payroll:write is not one of the available choices.",
        ),
        ({"name": "x" * 201, "permissions": ["employees:read"]}, "at most 200 characters"),
    ],
)
def test_it_explains_what_is_wrong_and_creates_nothing(
    client: Client, admin: SandboxUser, posted: dict[str, object], message: str
) -> None:
    response = client.post(NEW, posted)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in html.unescape(page)
    assert not RAW_KEY.search(page)
    assert not SandboxApiKey.objects.exists()
