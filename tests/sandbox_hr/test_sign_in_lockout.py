"""Sandbox HR's own sign-in is locked after repeated wrong passwords, per email and address.

The same rule as the dashboard's (README: `LOGIN_FAILURE_LIMIT` failures, 5 by default, lock
that email from that address for `LOGIN_LOCKOUT_PERIOD`, 15 minutes): OWASP's Authentication
Cheat Sheet asks for a lockout that refuses even the right password while it lasts, and for
answers that do not tell which accounts exist.
"""

from __future__ import annotations

import re
import secrets

import pytest
from django.http import HttpResponse
from django.test import Client

from sandbox_hr.models import SandboxUser
from sandbox_hr.services import sandbox_account_create
from sandbox_hr.sessions import COOKIE_NAME
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/sandbox-hr/sign-in/"
WRONG = "The email address or password is incorrect."
LOCKED = "Signing in is paused for up to 15 minutes"


def _address() -> str:
    """A documentation address (RFC 3849) no earlier test or run used: failures are counted
    in a shared cache that outlives one test."""
    return f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::{secrets.token_hex(2)}"


@pytest.fixture
def user() -> SandboxUser:
    account = sandbox_account_create(name="Umbrella SA", employees=1, seed=3)
    return SandboxUserFactory(account=account, email=f"lea.{secrets.token_hex(4)}@umbrella.example")


def _post(client: Client, email: str, password: str) -> HttpResponse:
    return client.post(SIGN_IN, {"email": email, "password": password})


def _fail(client: Client, email: str, times: int) -> list[int]:
    return [_post(client, email, f"guess {n}").status_code for n in range(times)]


def test_it_refuses_even_the_right_password_after_five_failures(user: SandboxUser) -> None:
    client = Client(REMOTE_ADDR=_address())
    assert _fail(client, user.email, 5) == [200] * 4 + [429]

    right = client.post(SIGN_IN, {"email": user.email.upper(), "password": SANDBOX_PASSWORD})

    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert COOKIE_NAME not in right.cookies


def test_it_locks_only_that_email_from_that_address(user: SandboxUser) -> None:
    attacker = _address()
    _fail(Client(REMOTE_ADDR=attacker), user.email, 5)

    elsewhere = Client(REMOTE_ADDR=_address()).post(
        SIGN_IN, {"email": user.email, "password": SANDBOX_PASSWORD}
    )

    assert elsewhere.status_code == 302
    assert COOKIE_NAME in elsewhere.cookies


def test_it_locks_an_unknown_address_with_the_same_page(user: SandboxUser) -> None:
    unknown = f"nobody.{secrets.token_hex(4)}@umbrella.example"
    known_client, unknown_client = Client(REMOTE_ADDR=_address()), Client(REMOTE_ADDR=_address())
    _fail(known_client, user.email, 5)
    _fail(unknown_client, unknown, 5)

    def page(client: Client, email: str) -> str:
        html = client.post(SIGN_IN, {"email": email, "password": "x"}).content.decode()
        html = html.replace(email, "EMAIL")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page(known_client, user.email) == page(unknown_client, unknown)
    assert LOCKED in page(unknown_client, unknown)


def test_it_forgets_failures_after_a_successful_sign_in(user: SandboxUser) -> None:
    address = _address()
    _fail(Client(REMOTE_ADDR=address), user.email, 4)
    assert _post(Client(REMOTE_ADDR=address), user.email, SANDBOX_PASSWORD).status_code == 302

    later = Client(REMOTE_ADDR=address)

    # Without the reset these would be failures 5 to 8.
    assert _fail(later, user.email, 3) == [200] * 3
    assert WRONG in later.post(SIGN_IN, {"email": user.email, "password": "x"}).content.decode()
