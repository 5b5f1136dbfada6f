"""`make run`'s demo gives every Sandbox HR account an administrator login: printed once, the
way the operator login is printed, and listed (email only) on the operator's Sandbox HR page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from kombo_site.demo.customers import OPERATOR_USERNAME
from sandbox_hr.models import SandboxAccount, SandboxUser, SandboxUserRole

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(
    r"^ {4}(?P<account>.+): email (?P<email>\S+)  password (?P<password>\S+)$", re.M
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def output(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """What the first `seed_demo` printed, for the whole module (seeding replays a week), rolled
    back after it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def test_it_prints_an_administrator_login_per_account_once_and_it_signs_in(output: str) -> None:

    assert (
        "Sandbox HR logins, an administrator per account (shown once, write them down):" in output
    )
    assert "/sandbox-hr/sign-in/" in output
    logins = {match["account"]: match.groupdict() for match in LOGIN_LINE.finditer(output)}
    assert set(logins) == set(SandboxAccount.objects.values_list("name", flat=True))
    # The week's five customers and the one connected through OAuth.
    assert len(logins) == 6
    for login in logins.values():
        user = SandboxUser.objects.get(email=login["email"])
        assert user.role == SandboxUserRole.ADMINISTRATOR
        assert user.account.name == login["account"]
        assert login["password"] not in user.password
    acme = logins["Acme GmbH"]
    browser = Client()
    signed_in = browser.post(
        "/sandbox-hr/sign-in/", {"email": acme["email"], "password": acme["password"]}
    )
    assert signed_in.status_code == 302
    assert "Acme GmbH" in browser.get("/sandbox-hr/employees/").content.decode()

    again = _seed()

    assert "Sandbox HR logins" not in again
    assert SandboxUser.objects.count() == 6


def test_it_lists_the_logins_without_passwords_on_the_operators_page(
    output: str,
) -> None:
    operator_client = Client()
    operator_client.force_login(User.objects.get(username=OPERATOR_USERNAME))
    passwords = [match["password"] for match in LOGIN_LINE.finditer(output)]

    page = operator_client.get("/dashboard/sandbox-hr/").content.decode()

    for user in SandboxUser.objects.all():
        assert user.email in page
    for password in passwords:
        assert password not in page
    assert re.search(r'<a [^>]*href="/sandbox-hr/sign-in/"[^>]*>Open Sandbox HR</a>', page)
