"""Sandbox HR's pages show the time off its customers keep there: the "Time off" page lists the
account's absences, and an employee's page their absences, balances and employment history.
Another account's employee is as unknown as a made-up id."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from sandbox_hr.models import (
    SandboxAbsence,
    SandboxAccount,
    SandboxEmployee,
    SandboxTimeOffBalance,
    SandboxUser,
)
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db

TIME_OFF = "/sandbox-hr/time-off/"


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=4, seed=11)


@pytest.fixture
def admin(client: Client, account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=account, email="it@acme.example")
    sandbox_sign_in(client, user)
    return user


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_it_lists_the_accounts_absences_on_the_time_off_page(
    client: Client, admin: SandboxUser, account: SandboxAccount
) -> None:
    response = client.get(TIME_OFF)

    assert response.status_code == 200
    page = response.content.decode()
    absences = SandboxAbsence.objects.filter(account=account).select_related("employee", "type")
    assert f"{absences.count()} absences at Acme GmbH" in _text(page)
    assert "<h1>Time off</h1>" in page
    assert '<a href="/sandbox-hr/time-off/" aria-current="page">Time off</a>' in page
    latest = absences.order_by("-start_date", "-id").first()
    assert latest is not None
    assert f"{latest.employee.first_name} {latest.employee.last_name}" in html.unescape(page)
    assert latest.type.name in page


def test_it_shows_an_employees_absences_and_balances(
    client: Client, admin: SandboxUser, account: SandboxAccount
) -> None:
    employee = SandboxEmployee.objects.filter(account=account).order_by("employee_number")[0]

    response = client.get(f"/sandbox-hr/employees/{employee.pk}/")

    assert response.status_code == 200
    text = _text(response.content.decode())
    assert f"{employee.first_name} {employee.last_name}" in text
    for heading in ("Time-off balances", "Absences", "Employment history"):
        assert f"<h2>{heading}</h2>" in response.content.decode()
    vacation = SandboxTimeOffBalance.objects.get(employee=employee, type__name="Vacation")
    assert f"Vacation {vacation.balance.normalize():f} days" in text
    for absence in SandboxAbsence.objects.filter(employee=employee).select_related("type"):
        assert absence.start_date.strftime("%b %-d, %Y") in text
        assert absence.get_status_display() in text
    assert employee.location is not None
    assert employee.location.name in text


def test_it_links_each_employee_in_the_list_to_their_page(
    client: Client, admin: SandboxUser, account: SandboxAccount
) -> None:
    page = client.get("/sandbox-hr/employees/").content.decode()

    for employee in SandboxEmployee.objects.filter(account=account):
        assert f'href="/sandbox-hr/employees/{employee.pk}/"' in page


def test_it_does_not_show_another_accounts_employee(client: Client, admin: SandboxUser) -> None:
    other = sandbox_account_create(name="Globex", employees=1, seed=1)
    stranger = SandboxEmployee.objects.get(account=other)

    response = client.get(f"/sandbox-hr/employees/{stranger.pk}/")

    assert response.status_code == 404
    assert stranger.last_name not in response.content.decode()
