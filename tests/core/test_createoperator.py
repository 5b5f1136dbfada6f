"""`manage.py createoperator`: a staff login with one role, as Django's createsuperuser makes one.

Expectations: issue 14 (`createoperator <username> --email E --role viewer|operator|admin`,
re-running it changes the role) and Django's createsuperuser documentation (password prompted
twice, or with --noinput from an environment variable; the password validators apply).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("role_groups")]

PASSWORD = "a long operator passphrase"


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the person at the terminal types at each password prompt, in order."""
    answers: list[str] = []
    feed: Iterator[str] = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(feed))
    return answers


def _groups(user: Any) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_it_creates_a_staff_user_with_the_role_from_the_environment_password(
    django_user_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMBO_OPERATOR_PASSWORD", PASSWORD)

    call_command(
        "createoperator", "ada", "--email", "ada@acme.example", "--role", "viewer", "--noinput"
    )

    user = django_user_model.objects.get(username="ada")
    assert (user.is_staff, user.is_superuser, user.email) == (True, False, "ada@acme.example")
    assert _groups(user) == {"Viewer"}
    # Through the sign-in form: django-axes refuses `Client.login`, which has no request.
    signed_in = Client().post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert user.has_perm("integrations.view_integration")
    assert not user.has_perm("integrations.relink_integration")


def test_it_asks_for_the_password_twice(django_user_model: Any, typed: list[str]) -> None:
    typed += [PASSWORD, PASSWORD]

    call_command("createoperator", "grace", "--role", "admin")

    user = django_user_model.objects.get(username="grace")
    assert user.check_password(PASSWORD)
    assert _groups(user) == {"Admin"}
    assert user.has_perm("core.add_apikey")


def test_it_refuses_passwords_that_differ(django_user_model: Any, typed: list[str]) -> None:
    typed += [PASSWORD, PASSWORD + "!"]

    with pytest.raises(CommandError, match="didn't match"):
        call_command("createoperator", "grace", "--role", "operator")

    assert not django_user_model.objects.filter(username="grace").exists()


def test_it_refuses_a_password_the_validators_refuse(
    django_user_model: Any, typed: list[str]
) -> None:
    typed += ["short", "short"]

    with pytest.raises(CommandError, match="too short"):
        call_command("createoperator", "grace", "--role", "operator")

    assert not django_user_model.objects.filter(username="grace").exists()


def test_it_needs_the_password_variable_without_input(
    django_user_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMBO_OPERATOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="KOMBO_OPERATOR_PASSWORD"):
        call_command("createoperator", "ada", "--role", "viewer", "--noinput")

    assert not django_user_model.objects.filter(username="ada").exists()


def test_it_replaces_the_role_of_an_existing_user_and_keeps_the_rest(
    django_user_model: Any, typed: list[str]
) -> None:
    typed += [PASSWORD, PASSWORD]
    call_command("createoperator", "ada", "--role", "admin")
    user = django_user_model.objects.get(username="ada")
    user.groups.add(Group.objects.create(name="Night shift"))

    call_command("createoperator", "ada", "--role", "viewer")

    user.refresh_from_db()
    assert _groups(user) == {"Viewer", "Night shift"}
    assert user.check_password(PASSWORD)
    assert not user.has_perm("core.add_apikey")


def test_it_makes_an_existing_non_staff_user_staff(django_user_model: Any) -> None:
    django_user_model.objects.create_user(username="bob", password=PASSWORD)

    call_command("createoperator", "bob", "--role", "operator", "--noinput")

    user = django_user_model.objects.get(username="bob")
    assert user.is_staff
    assert _groups(user) == {"Operator"}


def test_it_refuses_an_unknown_role(django_user_model: Any) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'owner'"):
        call_command("createoperator", "ada", "--role", "owner", "--noinput")

    assert not django_user_model.objects.filter(username="ada").exists()


def test_it_says_to_migrate_when_the_role_groups_are_missing(
    django_user_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMBO_OPERATOR_PASSWORD", PASSWORD)
    Group.objects.all().delete()

    with pytest.raises(CommandError, match=r"manage\.py migrate"):
        call_command("createoperator", "ada", "--role", "viewer", "--noinput")

    assert not django_user_model.objects.filter(username="ada").exists()
