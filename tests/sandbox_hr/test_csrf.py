"""Every form of Sandbox HR's pages is protected against cross-site request forgery (Django's
CSRF protection: a POST without the page's token is refused with 403), and a forged post changes
nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxUser
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from sandbox_hr.sessions import COOKIE_NAME
from tests.support.factories import ALL_PERMISSIONS, SANDBOX_PASSWORD, SandboxUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=2, seed=2)


@pytest.fixture
def admin(account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=account, email="it@acme.example")
    return user


@pytest.fixture
def signed_in(admin: SandboxUser) -> Client:
    """A browser signed in to Sandbox HR that checks CSRF like a real one."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/sandbox-hr/sign-in/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/sandbox-hr/sign-in/",
        {"email": admin.email, "password": SANDBOX_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return browser


def test_it_refuses_a_forged_sign_in(admin: SandboxUser) -> None:
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/sandbox-hr/sign-in/", {"email": admin.email, "password": SANDBOX_PASSWORD}
    )

    assert response.status_code == 403
    assert COOKIE_NAME not in response.cookies


def test_it_refuses_forged_key_creation_revocation_and_sign_out(
    signed_in: Client, account: SandboxAccount
) -> None:
    key, _ = sandbox_api_key_create(account=account, name="kombo-site", permissions=ALL_PERMISSIONS)

    forged = [
        signed_in.post(
            "/sandbox-hr/settings/api-keys/new/",
            {"name": "attacker", "permissions": ALL_PERMISSIONS},
        ),
        signed_in.post(f"/sandbox-hr/settings/api-keys/{key.pk}/revoke/"),
        signed_in.post("/sandbox-hr/sign-out/"),
    ]

    assert [response.status_code for response in forged] == [403, 403, 403]
    assert list(SandboxApiKey.objects.values_list("name", "revoked_at")) == [("kombo-site", None)]
    assert signed_in.get("/sandbox-hr/employees/").status_code == 200


def test_it_accepts_the_same_posts_with_the_pages_token(
    signed_in: Client, account: SandboxAccount
) -> None:
    token = signed_in.cookies["csrftoken"].value

    created = signed_in.post(
        "/sandbox-hr/settings/api-keys/new/",
        {"name": "kombo-site", "permissions": ALL_PERMISSIONS, "csrfmiddlewaretoken": token},
    )

    assert created.status_code == 200
    assert SandboxApiKey.objects.filter(account=account, name="kombo-site").exists()
