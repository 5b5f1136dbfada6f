"""The Sandbox HR control page: each button really changes what Sandbox HR answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from integrations.actors import Actor
from integrations.models import CredentialSource, Integration
from integrations.services import credential_version_add
from integrations.tools.base import AuthOutcome
from integrations.tools.sandbox import (
    PERM_ABSENCES,
    PERM_COMPENSATION,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_ORG,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    SandboxTool,
)
from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxEmployee
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
)
from tests.support.factories import ALL_PERMISSIONS, IntegrationFactory

RAW_KEY_PATTERN = re.compile(r"sbx_[1-9A-HJ-NP-Za-km-z]{32}")
OVERVIEW_URL = "/dashboard/sandbox-hr/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Globex Corporation", employees=3, seed=4)


@pytest.fixture
def key_and_raw(account: SandboxAccount) -> tuple[SandboxApiKey, str]:
    return sandbox_api_key_create(account=account, name="kombo-site", permissions=ALL_PERMISSIONS)


def _connect(account: SandboxAccount, raw_key: str, organization_name: str) -> Integration:
    integration: Integration = IntegrationFactory(
        tool=SandboxTool.id,
        organization_name=organization_name,
        remote_account_id=account.pk,
        credentials={"api_key": raw_key},
    )
    return integration


def _sandbox_get(client: Client, raw_key: str, path: str) -> Any:
    return client.get(f"/sandbox-hr/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {raw_key}")


def _page(client: Client) -> str:
    response = client.get(OVERVIEW_URL)
    assert response.status_code == 200
    return response.content.decode()


def test_it_is_mounted_where_the_dashboard_links_to() -> None:
    assert reverse("sandbox_control:overview") == OVERVIEW_URL


def test_it_lets_only_operators_in(
    client: Client,
    django_user_model: type,
    key_and_raw: tuple[SandboxApiKey, str],
) -> None:
    key, raw_key = key_and_raw
    account_id = key.account_id
    posts = [
        (reverse("sandbox_control:api_key_revoke", args=[key.pk]), {}),
        (
            reverse("sandbox_control:permission_remove", args=[key.pk]),
            {"permission": PERM_GROUPS},
        ),
        (
            reverse("sandbox_control:permission_grant", args=[key.pk]),
            {"permission": PERM_GROUPS},
        ),
        (reverse("sandbox_control:employees_add", args=[account_id]), {"count": "5"}),
        (
            reverse("sandbox_control:api_key_create", args=[account_id]),
            {"name": "x", "permissions": [PERM_GROUPS]},
        ),
    ]
    gets = [OVERVIEW_URL, reverse("sandbox_control:api_key_revoke", args=[key.pk])]

    for url in gets:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    for url, data in posts:
        assert client.post(url, data).status_code == 302

    customer = django_user_model.objects.create_user(username="customer", password="x")  # type: ignore[attr-defined]
    client.force_login(customer)
    for url in gets:
        assert client.get(url).status_code == 403
    for url, data in posts:
        assert client.post(url, data).status_code == 403

    assert _sandbox_get(client, raw_key, "groups").status_code == 200
    assert SandboxEmployee.objects.filter(account_id=account_id).count() == 3
    assert SandboxApiKey.objects.count() == 1


def test_it_lists_accounts_with_counts_keys_and_the_integrations_using_each_key(
    operator_client: Client,
) -> None:
    globex = sandbox_account_create(name="Globex Corporation", employees=4, seed=1)
    old_key, old_raw = sandbox_api_key_create(
        account=globex, name="first key", permissions=[PERM_EMPLOYEES]
    )
    new_key, new_raw = sandbox_api_key_create(
        account=globex, name="second key", permissions=ALL_PERMISSIONS
    )
    still_old = _connect(globex, old_raw, "Globex Payroll")
    relinked = _connect(globex, old_raw, "Globex People")
    credential_version_add(
        integration=relinked,
        credentials={"api_key": new_raw},
        source=CredentialSource.OPERATOR,
        actor=Actor.system("tests"),
    )
    sandbox_api_key_revoke(key=old_key)
    initech = sandbox_account_create(name="Initech AG", employees=2, seed=2)
    sandbox_api_key_create(account=initech, name="unused", permissions=[PERM_GROUPS])

    response = operator_client.get(OVERVIEW_URL)

    html = response.content.decode()
    rows = {row.account.name: row for row in response.context["accounts"]}
    assert rows["Globex Corporation"].employee_count == 4
    assert rows["Globex Corporation"].group_count == globex.groups.count() > 0
    keys = {key_row.key.name: key_row for key_row in rows["Globex Corporation"].keys}
    assert [i.pk for i in keys["first key"].integrations] == [still_old.pk]
    assert [i.pk for i in keys["second key"].integrations] == [relinked.pk]
    assert keys["first key"].missing_permissions == [
        PERM_PERSONAL,
        PERM_SENSITIVE,
        PERM_GROUPS,
        PERM_ORG,
        PERM_COMPENSATION,
        PERM_ABSENCES,
    ]
    assert rows["Initech AG"].keys[0].integrations == []
    assert "4 employees" in html
    assert old_key.prefix in html
    assert new_key.prefix in html
    assert "Revoked" in html
    assert reverse("dashboard:integration_detail", args=[still_old.pk]) in html
    assert reverse("dashboard:integration_detail", args=[relinked.pk]) in html
    assert RAW_KEY_PATTERN.search(html) is None


@pytest.fixture
def sandbox_hr_over_http(live_server: LiveServer) -> Iterator[None]:
    with override_settings(SANDBOX_HR_URL=live_server.url + "/sandbox-hr"):
        yield


@pytest.mark.django_db(transaction=True)
def test_it_revokes_a_key_after_a_confirmation_naming_the_account(
    operator_client: Client,
    sandbox_hr_over_http: None,
    account: SandboxAccount,
    key_and_raw: tuple[SandboxApiKey, str],
) -> None:
    key, raw_key = key_and_raw
    _connect(account, raw_key, "Globex")
    credentials = {"api_key": raw_key}
    assert SandboxTool().check_auth(credentials).outcome == AuthOutcome.OK
    url = reverse("sandbox_control:api_key_revoke", args=[key.pk])

    confirmation = operator_client.get(url).content.decode()
    assert "Revoke the API key of Globex Corporation?" in confirmation
    assert key.prefix in confirmation
    assert SandboxTool().check_auth(credentials).outcome == AuthOutcome.OK

    response = operator_client.post(url, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(OVERVIEW_URL, 302)]
    assert "The next auth check of Globex (sandbox) will fail with invalid credentials" in html
    assert SandboxTool().check_auth(credentials).outcome == AuthOutcome.INVALID_CREDENTIALS
    assert _sandbox_get(operator_client, raw_key, "me").status_code == 401


def test_it_removes_a_permission_and_grants_it_back(
    operator_client: Client, account: SandboxAccount, key_and_raw: tuple[SandboxApiKey, str]
) -> None:
    key, raw_key = key_and_raw
    _connect(account, raw_key, "Globex")
    assert _sandbox_get(operator_client, raw_key, "groups").status_code == 200

    removed = operator_client.post(
        reverse("sandbox_control:permission_remove", args=[key.pk]),
        {"permission": PERM_GROUPS},
        follow=True,
    )

    assert "no longer has groups:read" in removed.content.decode()
    assert "The next sync of Globex (sandbox) will skip what needs it" in (removed.content.decode())
    assert _sandbox_get(operator_client, raw_key, "groups").status_code == 403
    assert PERM_GROUPS not in _sandbox_get(operator_client, raw_key, "me").json()["permissions"]

    granted = operator_client.post(
        reverse("sandbox_control:permission_grant", args=[key.pk]),
        {"permission": PERM_GROUPS},
        follow=True,
    )

    assert "has groups:read again" in granted.content.decode()
    assert _sandbox_get(operator_client, raw_key, "groups").status_code == 200


def test_it_adds_employees_that_the_api_serves(
    operator_client: Client, account: SandboxAccount, key_and_raw: tuple[SandboxApiKey, str]
) -> None:
    _, raw_key = key_and_raw

    response = operator_client.post(
        reverse("sandbox_control:employees_add", args=[account.pk]), {"count": "7"}, follow=True
    )

    assert "Hired 7 employees at Globex Corporation" in response.content.decode()
    employees = _sandbox_get(operator_client, raw_key, "employees?limit=200").json()["data"]
    assert len(employees) == 10


def test_it_creates_a_key_that_works_and_shows_it_only_once(
    operator_client: Client, account: SandboxAccount
) -> None:
    response = operator_client.post(
        reverse("sandbox_control:api_key_create", args=[account.pk]),
        {"name": "relink key", "permissions": [PERM_EMPLOYEES, PERM_GROUPS]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "will not be shown again" in html
    (raw_key,) = set(RAW_KEY_PATTERN.findall(html))
    me = _sandbox_get(operator_client, raw_key, "me")
    assert me.status_code == 200
    assert me.json()["permissions"] == [PERM_EMPLOYEES, PERM_GROUPS]
    assert raw_key not in _page(operator_client)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("employees_add", {"count": "0"}),
        ("employees_add", {"count": "1001"}),
        ("employees_add", {"count": "ten"}),
        ("employees_add", {}),
        ("permission_remove", {"permission": "everything:write"}),
        ("permission_remove", {}),
        ("permission_grant", {"permission": "everything:write"}),
        ("api_key_create", {"name": "", "permissions": [PERM_GROUPS]}),
        ("api_key_create", {"name": "x" * 201}),
        ("api_key_create", {"name": "ok", "permissions": ["everything:write"]}),
    ],
)
def test_it_changes_nothing_on_bad_input(
    operator_client: Client,
    key_and_raw: tuple[SandboxApiKey, str],
    action: str,
    data: dict[str, Any],
) -> None:
    key, raw_key = key_and_raw
    target = key.account_id if action in ("employees_add", "api_key_create") else key.pk

    response = operator_client.post(
        reverse(f"sandbox_control:{action}", args=[target]), data, follow=True
    )

    assert response.redirect_chain == [(OVERVIEW_URL, 302)]
    assert 'class="message message--error"' in response.content.decode()
    assert SandboxEmployee.objects.filter(account_id=key.account_id).count() == 3
    assert SandboxApiKey.objects.count() == 1
    assert _sandbox_get(operator_client, raw_key, "me").json()["permissions"] == list(
        ALL_PERMISSIONS
    )


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/sandbox-hr/api-keys/key_nope/revoke/",
        "/dashboard/sandbox-hr/api-keys/key%00nope/permissions/remove/",
        "/dashboard/sandbox-hr/accounts/acc_nope/employees/",
        "/dashboard/sandbox-hr/accounts/acc_nope/api-keys/",
    ],
)
def test_it_answers_404_for_unknown_accounts_and_keys(operator_client: Client, url: str) -> None:
    assert operator_client.post(url, {"count": "5", "permission": PERM_GROUPS}).status_code == 404


def _seed(first: int, last: int) -> None:
    """Accounts `first`..`last - 1`, each with two keys and an integration on each key."""
    for index in range(first, last):
        account = sandbox_account_create(name=f"Customer {index}", employees=2, seed=index)
        for key_number in range(2):
            _, raw_key = sandbox_api_key_create(
                account=account, name=f"key {key_number}", permissions=[PERM_EMPLOYEES]
            )
            _connect(account, raw_key, f"Customer {index}.{key_number}")


def test_it_reads_the_page_in_a_constant_number_of_queries(operator_client: Client) -> None:
    _seed(0, 2)
    operator_client.get(OVERVIEW_URL)
    with CaptureQueriesContext(connection) as few:
        html = _page(operator_client)
    assert html.count("Customer 1.1") == 1

    _seed(2, 10)
    with CaptureQueriesContext(connection) as many:
        html = _page(operator_client)

    assert html.count("Customer 9.1") == 1
    assert len(many.captured_queries) == len(few.captured_queries)
