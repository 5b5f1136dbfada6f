"""The employees list of Sandbox HR: every employee of the account, by name, a page at a time,
read in the same number of queries however many employees there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sandbox_hr.models import SandboxAccount, SandboxUser
from sandbox_hr.services import sandbox_account_create, sandbox_employees_add
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import sandbox_sign_in

pytestmark = pytest.mark.django_db

EMPLOYEES = "/sandbox-hr/employees/"


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=30, seed=9)


@pytest.fixture
def admin(client: Client, account: SandboxAccount) -> SandboxUser:
    user: SandboxUser = SandboxUserFactory(account=account, email="it@acme.example")
    sandbox_sign_in(client, user)
    return user


def _numbers(html: str) -> list[str]:
    return re.findall(r'<td class="shr-nowrap">(E\d{4})</td>', html)


def test_it_shows_every_employee_once_across_the_pages(
    client: Client, admin: SandboxUser, account: SandboxAccount
) -> None:
    first = client.get(EMPLOYEES).content.decode()
    second = client.get(EMPLOYEES + "?page=2").content.decode()

    assert "30 people at Acme GmbH" in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    seen = _numbers(first) + _numbers(second)
    assert sorted(seen) == sorted(account.employees.values_list("employee_number", flat=True))
    # Non-ASCII names arrive intact.
    assert "Zoë" in first + second
    assert "Müller" in first + second


@pytest.mark.parametrize("page", ["999", "-1", "abc"])
def test_it_shows_a_page_for_any_page_number(client: Client, admin: SandboxUser, page: str) -> None:
    response = client.get(f"{EMPLOYEES}?page={page}")

    assert response.status_code == 200
    assert _numbers(response.content.decode())


def test_it_reads_a_page_in_a_constant_number_of_queries(
    client: Client, admin: SandboxUser, account: SandboxAccount
) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get(EMPLOYEES + "?page=2")

    sandbox_employees_add(account=account, count=170)
    with CaptureQueriesContext(connection) as many:
        html = client.get(EMPLOYEES + "?page=5").content.decode()

    assert "Page 5 of 8" in html
    assert len(_numbers(html)) == 25
    assert len(many.captured_queries) == len(few.captured_queries)
