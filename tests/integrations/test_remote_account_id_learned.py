"""An integration learns which company account it is connected to, for the tools whose vendor
documents one: when it is connected, or at its first successful auth check (integrations made
before the account was known). Expected ids are the vendors' own: BambooHR's company domain
(documentation.bamboohr.com docs/getting-started: `/{companyDomain}/` in every URL), HiBob's
`root.companyId` (apidocs.hibob.com reference/post_people-identifier), Sandbox HR's account of
`GET /api/v1/me`. Personio documents none (developer.personio.de `/reference/auth`)."""

from __future__ import annotations

import pytest

from core.models import Environment
from integrations.models import Integration
from integrations.services import integration_record_auth_result
from integrations.services.connect import connect_link_complete
from integrations.tools import tool_get
from tests.support.factories import IntegrationFactory, connect_link_for_new_customer
from tests.support.fakes.bamboohr import FakeBambooHr
from tests.support.fakes.hibob import (
    COMPANY_ID,
    FakeHiBob,
)
from tests.support.fakes.personio import (
    FakePersonio,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(environment: Environment, tool_id: str, credentials: dict[str, str]) -> Integration:
    link = connect_link_for_new_customer(environment=environment, tool_id=tool_id).link
    connect_link_complete(link=link, tool_id=tool_id, credentials=credentials)
    return Integration.objects.get()


def test_it_learns_the_bamboohr_company_domain_on_connect(
    fake_bamboohr: FakeBambooHr, environment: Environment
) -> None:
    integration = _connect(
        environment,
        "bamboohr",
        {"companyDomain": "acme", "apiKey": fake_bamboohr.issue_key("acme")},
    )

    assert integration.remote_account_id == "acme"


def test_it_learns_the_hibob_company_id_on_connect(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    user_id, token = fake_hibob.add_service_user()

    integration = _connect(environment, "hibob", {"service_user_id": user_id, "token": token})

    assert integration.remote_account_id == str(COMPANY_ID)


def test_it_learns_the_hibob_company_id_at_the_first_good_check(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    user_id, token = fake_hibob.add_service_user()
    credentials = {"service_user_id": user_id, "token": token}
    integration = IntegrationFactory(
        environment=environment, tool="hibob", credentials=credentials, remote_account_id=""
    )

    integration_record_auth_result(
        integration_id=integration.pk, result=tool_get("hibob").check_auth(credentials)
    )

    integration.refresh_from_db()
    assert integration.remote_account_id == str(COMPANY_ID)


def test_it_connects_personio_without_an_account_id(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    integration = _connect(environment, "personio", fake_personio.credential_create())

    assert integration.remote_account_id == ""
