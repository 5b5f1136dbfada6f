"""Repeated wrong passwords lock the dashboard and admin sign-in, per username and address.

Issue 14: "40 wrong passwords in 17 s, then the right one works". django-axes' documentation
says a (username, ip_address) combination is locked once its failures reach
`AXES_FAILURE_LIMIT`, for `AXES_COOLOFF_TIME` after the last failure, with 429 as the
response code; `axes_reset_username` / `axes_reset_ip` and deleting the access attempt in the
admin unlock it. The README's defaults: 5 failures, 15 minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the `operator` fixture's
WRONG = "Please enter a correct username and password"
LOCKED = "Signing in with this username from your address is locked for 15 minutes."


def _sign_in(
    client: Client, password: str, *, username: str = "operator", path: str = "/accounts/login/"
) -> Any:
    return client.post(path, {"username": username, "password": password})


def _lock(client: Client, *, username: str = "operator", path: str = "/accounts/login/") -> None:
    statuses = [
        _sign_in(client, f"guess {n}", username=username, path=path).status_code for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_refuses_even_the_right_password_after_five_failures(operator: object) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert WRONG in _sign_in(client, "guess").content.decode()
    for n in range(3):
        _sign_in(client, f"guess {n}")

    fifth = _sign_in(client, "guess 4")
    right = _sign_in(client, PASSWORD)

    assert fifth.status_code == right.status_code == 429
    html = right.content.decode()
    assert LOCKED in html
    assert "ask an administrator to unlock it" in html
    assert PASSWORD not in html
    assert not _signed_in(client)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_it_locks_an_unknown_username_with_the_same_page(operator: object) -> None:
    """The page tells nothing about which usernames exist."""
    known, unknown = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")
    _lock(known)
    _lock(unknown, username="nobody")

    def page(client: Client, username: str) -> str:
        html = _sign_in(client, PASSWORD, username=username).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page(known, "operator") == page(unknown, "nobody")
    assert "nobody" not in page(unknown, "nobody")


def test_it_locks_only_that_user_from_that_address(
    operator: object, django_user_model: Any
) -> None:
    django_user_model.objects.create_user(username="colleague", password=PASSWORD, is_staff=True)
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    _lock(attacker)

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _sign_in(elsewhere, PASSWORD).status_code == 302
    assert _signed_in(elsewhere)
    colleague = Client(REMOTE_ADDR="203.0.113.66")
    assert _sign_in(colleague, PASSWORD, username="colleague").status_code == 302


def test_it_unlocks_after_the_cool_off(operator: object) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    _lock(client)
    locked_at = timezone.now()

    with time_machine.travel(locked_at + timedelta(minutes=14)):
        assert _sign_in(client, PASSWORD).status_code == 429
    with time_machine.travel(locked_at + timedelta(minutes=15, seconds=5)):
        assert _sign_in(client, PASSWORD).status_code == 302
        assert _signed_in(client)


@pytest.mark.parametrize(
    ("command", "argument"),
    [("axes_reset_username", "operator"), ("axes_reset_ip", "198.51.100.7")],
)
def test_it_unlocks_with_a_management_command(
    operator: object, command: str, argument: str
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    _lock(client)

    call_command(command, argument, stdout=None)

    assert _sign_in(client, PASSWORD).status_code == 302


def test_it_lets_an_administrator_unlock_in_the_admin(
    operator: object, role_client: Callable[[Role | None], Client]
) -> None:
    """The issue: "a way for an admin to unlock" -- an Admin-role operator, not only a
    superuser, deletes the lock in the Django admin."""
    client = Client(REMOTE_ADDR="198.51.100.7")
    _lock(client)
    admin = role_client(Role.ADMIN)
    attempt = AccessAttempt.objects.get(username="operator")
    listed = admin.get("/admin/axes/accessattempt/").content.decode()
    assert "198.51.100.7" in listed

    deleted = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert _sign_in(client, PASSWORD).status_code == 302


def test_it_lets_only_the_admin_role_unlock(
    operator: object, role_client: Callable[[Role | None], Client]
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    _lock(client)
    attempt = AccessAttempt.objects.get(username="operator")

    refused = role_client(Role.OPERATOR).post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )

    assert refused.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_it_locks_the_admin_sign_in_the_same_way(operator: object) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    _lock(client, path="/admin/login/")

    right = _sign_in(client, PASSWORD, path="/admin/login/")

    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert not _signed_in(client)
    # One lock for both doors: the dashboard sign-in is closed to this pair as well.
    assert _sign_in(client, PASSWORD).status_code == 429


def test_it_counts_by_the_address_the_trusted_proxy_saw(operator: object, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # Prepending made-up addresses does not give the attacker a fresh count.
    for n in range(5):
        spoofing = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66")
        _sign_in(spoofing, f"guess {n}")
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    customer = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert _sign_in(attacker, PASSWORD).status_code == 429
    assert _sign_in(customer, PASSWORD).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"


def test_it_counts_every_address_of_one_ipv6_64_together(operator: object) -> None:
    """RFC 6177: a /64 is one end site; a guesser rotating addresses inside it is one client."""
    statuses = [
        _sign_in(Client(REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}"), f"guess {n}").status_code
        for n in range(5)
    ]
    right = _sign_in(Client(REMOTE_ADDR="2001:db8:5:6::99"), PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert right.status_code == 429
