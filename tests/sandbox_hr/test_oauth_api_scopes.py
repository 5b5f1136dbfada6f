"""An access token reads the API exactly as an API key with the same permissions would: the
granted scopes are its permissions (the scope vocabulary is the API key permission vocabulary),
fields outside them are left out, an endpoint outside them answers 403 `missing_permission`,
and a token that is not one answers 401 (RFC 6750 §3.1). Called over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL
from sandbox_hr.models import SandboxAccount
from sandbox_hr.services import sandbox_api_key_create
from tests.support.sandbox_hr import RegisteredApp, oauth_tokens

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("admin")]


def _get(live_server: Any, path: str, bearer: str) -> requests.Response:
    return requests.get(
        f"{live_server.url}/sandbox-hr/api/v1/{path}",
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=10,
    )


def test_it_filters_fields_exactly_as_for_an_api_key_with_those_permissions(
    live_server: Any, client: Client, account: SandboxAccount, registered: RegisteredApp
) -> None:
    scope = f"{PERM_EMPLOYEES} {PERM_PERSONAL}"
    token = oauth_tokens(client, registered, scope=scope)["access_token"]
    _, raw_key = sandbox_api_key_create(
        account=account, name="same", permissions=[PERM_EMPLOYEES, PERM_PERSONAL]
    )

    with_token = _get(live_server, "employees", token)
    with_key = _get(live_server, "employees", raw_key)

    assert with_token.status_code == 200
    assert with_token.json() == with_key.json()
    record = with_token.json()["data"][0]
    assert "birth_date" in record
    assert "ssn" not in record
    assert "department_ids" not in record


def test_it_answers_403_naming_a_scope_that_was_not_granted(
    live_server: Any, client: Client, registered: RegisteredApp
) -> None:
    token = oauth_tokens(client, registered, scope=PERM_EMPLOYEES)["access_token"]

    response = _get(live_server, "groups", token)

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "missing_permission",
            "permission": PERM_GROUPS,
            "message": f"This access token lacks the permission {PERM_GROUPS}",
        }
    }


def test_it_tells_whose_token_it_is_and_its_scopes(
    live_server: Any, client: Client, account: SandboxAccount, registered: RegisteredApp
) -> None:
    scope = f"{PERM_GROUPS} {PERM_EMPLOYEES}"
    token = oauth_tokens(client, registered, scope=scope)["access_token"]

    response = _get(live_server, "me", token)

    assert response.json() == {
        "account": {"id": account.pk, "name": "Initech AG"},
        "permissions": [PERM_EMPLOYEES, PERM_GROUPS],
    }


@pytest.mark.parametrize("bearer", ["sbxat_neverIssued0000000000000000000000000000", "sbxat_"])
def test_it_refuses_an_unknown_access_token_with_401(live_server: Any, bearer: str) -> None:
    response = _get(live_server, "me", bearer)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "invalid_token"
