"""Sandbox HR and the operator's dashboard do not share a sign-in.

Sandbox HR stands for an HR vendor on another website (the project's DESIGN: "the demo vendor on
the other side of the HTTP wire"): its customers must never get into the operator dashboard or
the Django admin, and an operator signed in to the dashboard is nobody in Sandbox HR.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxUser
from sandbox_hr.services import sandbox_account_create
from sandbox_hr.sessions import COOKIE_NAME
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Hooli Inc.", employees=3, seed=5)


@pytest.fixture
def admin(account: SandboxAccount) -> SandboxUser:
    return SandboxUserFactory(account=account, email="gavin@hooli.example")


@pytest.mark.parametrize(
    ("path", "sign_in_page"),
    [
        ("/dashboard/", "/accounts/login/"),
        ("/dashboard/sandbox-hr/", "/accounts/login/"),
        ("/admin/", "/admin/login/"),
        ("/admin/sandbox_hr/sandboxapikey/", "/admin/login/"),
    ],
)
def test_it_does_not_let_a_sandbox_hr_user_into_the_dashboard_or_the_admin(
    client: Client, admin: SandboxUser, path: str, sign_in_page: str
) -> None:
    sandbox_sign_in(client, admin)
    assert client.get("/sandbox-hr/employees/").status_code == 200

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(sign_in_page)


def test_it_does_not_sign_an_operator_in_to_sandbox_hr(
    operator_client: Client, admin: SandboxUser
) -> None:
    for path in ("/sandbox-hr/employees/", "/sandbox-hr/settings/api-keys/"):
        response = operator_client.get(path)

        assert response.status_code == 302
        assert response["Location"].startswith("/sandbox-hr/sign-in/")


def test_it_keeps_the_two_sign_ins_apart_in_separate_cookies(
    operator_client: Client, admin: SandboxUser
) -> None:
    sandbox_sign_in(operator_client, admin)
    cookie = operator_client.cookies[COOKIE_NAME]

    # The browser sends it to Sandbox HR's pages only, and never to scripts.
    assert cookie["path"] == "/sandbox-hr/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert operator_client.cookies[settings.SESSION_COOKIE_NAME].value

    operator_client.post("/sandbox-hr/sign-out/")

    assert operator_client.get("/dashboard/").status_code == 200
    operator_client.post("/accounts/logout/")
    sandbox_sign_in(operator_client, admin)
    assert operator_client.get("/sandbox-hr/employees/").status_code == 200
    assert operator_client.get("/dashboard/").status_code == 302
