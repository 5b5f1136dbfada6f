"""Signing in to and out of Sandbox HR's own pages with an email address and a password.

What a user expects from any sign-in page (OWASP's Authentication Cheat Sheet): a wrong
password and an unknown address get the same answer, the password is never kept in plain text,
the session is a new one after signing in, and signing out ends it for good.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxUser
from sandbox_hr.services import sandbox_account_create
from sandbox_hr.sessions import COOKIE_NAME
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory
from tests.support.sandbox_hr import SIGN_IN, sandbox_sign_in

pytestmark = pytest.mark.django_db

EMPLOYEES = "/sandbox-hr/employees/"
WRONG = "The email address or password is incorrect."


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Umbrella SA", employees=4, seed=3)


@pytest.fixture
def admin(account: SandboxAccount) -> SandboxUser:
    return SandboxUserFactory(account=account, email="lea.schaefer@umbrella.example")


def test_it_signs_in_with_email_and_password_and_shows_the_accounts_employees(
    client: Client, admin: SandboxUser
) -> None:
    page = client.get(SIGN_IN)
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    assert 'type="password"' in page.content.decode()

    # Addresses are not case-sensitive to the people typing them.
    signed_in = client.post(
        SIGN_IN, {"email": "  Lea.Schaefer@Umbrella.EXAMPLE ", "password": SANDBOX_PASSWORD}
    )

    assert signed_in.status_code == 302
    assert signed_in["Location"] == EMPLOYEES
    employees = client.get(EMPLOYEES).content.decode()
    assert "Umbrella SA" in employees
    assert "lea.schaefer@umbrella.example" in employees
    assert "Zoë" in employees
    admin.refresh_from_db()
    assert admin.last_signed_in_at is not None


def _without_token_and(email: str, response: HttpResponse) -> str:
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)


def test_it_answers_a_wrong_password_and_an_unknown_address_alike(
    client: Client, admin: SandboxUser
) -> None:
    wrong_password = client.post(SIGN_IN, {"email": admin.email, "password": "sandcastle"})
    unknown = client.post(SIGN_IN, {"email": "nobody@umbrella.example", "password": "sandcastle"})

    assert wrong_password.status_code == unknown.status_code == 200
    assert WRONG in wrong_password.content.decode()
    assert COOKIE_NAME not in wrong_password.cookies
    assert COOKIE_NAME not in unknown.cookies
    # Apart from the address typed in, the two answers are the same page.
    assert _without_token_and(admin.email, wrong_password) == _without_token_and(
        "nobody@umbrella.example", unknown
    )
    assert client.get(EMPLOYEES)["Location"].startswith(SIGN_IN)


def test_it_never_echoes_the_password(client: Client, admin: SandboxUser) -> None:
    response = client.post(SIGN_IN, {"email": admin.email, "password": "my-secret-guess"})

    assert "my-secret-guess" not in response.content.decode()


def test_it_keeps_only_a_hash_of_the_password(admin: SandboxUser) -> None:
    stored = SandboxUser.objects.get(pk=admin.pk).password

    assert SANDBOX_PASSWORD not in stored
    # Django's hasher format: `<algorithm>$...`.
    assert stored.split("$", 1)[0] in {"md5", "pbkdf2_sha256", "argon2", "bcrypt_sha256"}


def test_it_explains_a_malformed_address_without_checking_a_password(client: Client) -> None:
    response = client.post(SIGN_IN, {"email": "not an address", "password": "x"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_it_sends_a_signed_out_visitor_to_the_sign_in_and_back_where_they_were(
    client: Client, admin: SandboxUser
) -> None:
    asked = client.get("/sandbox-hr/settings/api-keys/")

    assert asked.status_code == 302
    assert asked["Location"] == f"{SIGN_IN}?next=%2Fsandbox-hr%2Fsettings%2Fapi-keys%2F"
    form = client.get(asked["Location"]).content.decode()
    assert 'name="next" value="/sandbox-hr/settings/api-keys/"' in form
    back = client.post(
        SIGN_IN,
        {
            "email": admin.email,
            "password": SANDBOX_PASSWORD,
            "next": "/sandbox-hr/settings/api-keys/",
        },
    )
    assert back["Location"] == "/sandbox-hr/settings/api-keys/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/sandbox-hr/", "/dashboard/", "/admin/"]
)
def test_it_sends_nobody_away_from_sandbox_hr_after_signing_in(
    client: Client, admin: SandboxUser, target: str
) -> None:
    response = client.post(
        SIGN_IN, {"email": admin.email, "password": SANDBOX_PASSWORD, "next": target}
    )

    assert response["Location"] == EMPLOYEES


def test_it_starts_a_new_session_at_sign_in_whatever_the_browser_brought(
    client: Client, admin: SandboxUser
) -> None:
    client.cookies[COOKIE_NAME] = "planted0by0an0attacker0000000000"

    sandbox_sign_in(client, admin)

    assert client.cookies[COOKIE_NAME].value != "planted0by0an0attacker0000000000"
    planted = Client()
    planted.cookies[COOKIE_NAME] = "planted0by0an0attacker0000000000"
    assert planted.get(EMPLOYEES).status_code == 302


def test_it_signs_out_for_good(client: Client, admin: SandboxUser) -> None:
    sandbox_sign_in(client, admin)
    session_key = client.cookies[COOKIE_NAME].value
    assert client.get(EMPLOYEES).status_code == 200

    signed_out = client.post("/sandbox-hr/sign-out/")

    assert signed_out.status_code == 302
    assert signed_out["Location"] == SIGN_IN
    assert signed_out.cookies[COOKIE_NAME].value == ""
    assert client.get(EMPLOYEES)["Location"].startswith(SIGN_IN)
    # The old cookie, kept by someone who copied it, opens nothing either.
    replay = Client()
    replay.cookies[COOKIE_NAME] = session_key
    assert replay.get(EMPLOYEES)["Location"].startswith(SIGN_IN)


def test_it_takes_a_signed_in_user_from_the_sign_in_page_to_the_employees(
    client: Client, admin: SandboxUser
) -> None:
    sandbox_sign_in(client, admin)

    assert client.get(SIGN_IN)["Location"] == EMPLOYEES
    assert client.get("/sandbox-hr/")["Location"] == EMPLOYEES
