"""A relink with credentials of another company is refused, and nothing changes; new
credentials of the same company are taken. Per tool, by what its vendor documents:

- Personio names no company (developer.personio.de `/reference/auth`: an opaque `papi-` token;
  no Personnel Data response carries a tenant id): the employees the new credentials read must
  overlap the employees the integration synced.
- BambooHR: the company domain of every URL (documentation.bamboohr.com docs/getting-started),
  and a key works only for its own company.
- HiBob: `root.companyId` of the employees the service user sees (apidocs.hibob.com,
  reference/post_people-identifier default fields); without it, the employee overlap.
- Sandbox HR: `GET /api/v1/me` names the account (`integrations/tools/sandbox.py`).

The refusal is the hosted form's existing sentence, "These credentials belong to another
<tool> account.", and the relink completion service is what the hosted form calls.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import Integration, LinkType, ReconnectionLink
from integrations.read_models import READ_MODELS
from integrations.selectors.integrations import credentials_current
from integrations.services import LinkOutcome, relink_link_complete, relink_link_create
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import Employee
from syncs.services import scheduler_tick
from tests.support.factories import (
    ALL_PERMISSIONS,
    IntegrationFactory,
    ScopeConfigFactory,
    sandbox_integration,
)
from tests.support.fakes.bamboohr import FakeBambooHr
from tests.support.fakes.hibob import (
    ALL_CATEGORIES,
    COMPANY_ID,
    OTHER_COMPANY_ID,
    FakeHiBob,
)
from tests.support.fakes.personio import (
    FakePersonio,
)
from tests.support.processes import run_queued_syncs

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


def _synced(
    environment: Environment, tool: str, credentials: dict[str, str], **fields: Any
) -> Integration:
    """An integration of `tool` that has synced its company's employees for real."""
    integration = IntegrationFactory(
        environment=environment, tool=tool, credentials=credentials, **fields
    )
    Integration.objects.filter(pk=integration.pk).update(next_sync_at=timezone.now())
    scheduler_tick()
    run_queued_syncs()
    assert Employee.objects.filter(integration=integration).exists()
    integration.refresh_from_db()
    return integration


def _relink(integration: Integration, credentials: dict[str, str]) -> tuple[Any, ReconnectionLink]:
    link, _ = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )
    return relink_link_complete(link=link, credentials=credentials), link


def _assert_refused_and_unchanged(
    result: Any, link: ReconnectionLink, integration: Integration, old: dict[str, str], tool: str
) -> None:
    assert result.outcome == LinkOutcome.OTHER_ACCOUNT
    assert result.message == f"These credentials belong to another {tool} account."
    assert integration.credential_versions.count() == 1
    assert credentials_current(integration=integration) == old
    link.refresh_from_db()
    assert link.used_at is None
    assert link.is_usable_at(timezone.now())


def _assert_taken(result: Any, integration: Integration, new: dict[str, str]) -> None:
    assert result.outcome == LinkOutcome.COMPLETED
    assert integration.credential_versions.count() == 2
    assert credentials_current(integration=integration) == new


# --- Personio: the employee overlap ----------------------------------------------------------


def test_it_refuses_another_personio_company_by_its_employees(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    old = fake_personio.credential_create()
    integration = _synced(environment, "personio", old, remote_account_id="")

    result, link = _relink(integration, fake_personio.credential_create(other_company=True))

    _assert_refused_and_unchanged(result, link, integration, old, "Personio")


def test_it_takes_new_personio_credentials_of_the_same_company(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    integration = _synced(
        environment, "personio", fake_personio.credential_create(), remote_account_id=""
    )
    new = fake_personio.credential_create()

    result, _ = _relink(integration, new)

    _assert_taken(result, integration, new)


def test_it_takes_any_personio_credentials_before_the_first_sync(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    """Documented limit: with no employee synced there is nothing to tell companies apart by."""
    integration = IntegrationFactory(
        environment=environment,
        tool="personio",
        credentials=fake_personio.credential_create(),
        remote_account_id="",
    )
    new = fake_personio.credential_create(other_company=True)

    result, _ = _relink(integration, new)

    _assert_taken(result, integration, new)


def test_it_cannot_confirm_personio_credentials_that_read_no_employees(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    """A credential without the Employees access scope (Personio answers 403) shows no
    employee, so it cannot show it is the same company's; the scope here needs nothing."""
    old = fake_personio.credential_create()
    integration = _synced(environment, "personio", old, remote_account_id="")
    nothing = {
        model.id: {"setting": "DISABLED", "fields": dict.fromkeys(model.fields, "DISABLED")}
        for model in READ_MODELS.values()
    }
    Integration.objects.filter(pk=integration.pk).update(
        scope_config=ScopeConfigFactory(environment=environment, name="None", settings=nothing)
    )
    integration.refresh_from_db()

    result, link = _relink(integration, fake_personio.credential_create(scopes=()))

    assert result.outcome == LinkOutcome.OTHER_ACCOUNT
    assert result.message == (
        "We could not confirm that these credentials belong to the same Personio account: "
        "they cannot read any employees. Please use credentials that can."
    )
    assert integration.credential_versions.count() == 1
    link.refresh_from_db()
    assert link.used_at is None


# --- BambooHR: the company domain -------------------------------------------------------------


def test_it_refuses_another_bamboohr_company(
    fake_bamboohr: FakeBambooHr, environment: Environment
) -> None:
    old = {"companyDomain": "acme", "apiKey": fake_bamboohr.issue_key("acme")}
    integration = IntegrationFactory(
        environment=environment, tool="bamboohr", credentials=old, remote_account_id="acme"
    )

    result, link = _relink(
        integration, {"companyDomain": "globex", "apiKey": fake_bamboohr.issue_key("globex")}
    )

    _assert_refused_and_unchanged(result, link, integration, old, "BambooHR")


def test_it_takes_a_new_bamboohr_key_of_the_same_company(
    fake_bamboohr: FakeBambooHr, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        tool="bamboohr",
        credentials={"companyDomain": "acme", "apiKey": fake_bamboohr.issue_key("acme")},
        remote_account_id="acme",
    )
    new = {"companyDomain": "acme", "apiKey": fake_bamboohr.issue_key("acme")}

    result, _ = _relink(integration, new)

    _assert_taken(result, integration, new)


# --- HiBob: root.companyId, else the employee overlap ------------------------------------------


def _hibob(fake: FakeHiBob, **permissions: Any) -> dict[str, str]:
    user_id, token = fake.add_service_user(**permissions)
    return {"service_user_id": user_id, "token": token}


def test_it_refuses_another_hibob_company(fake_hibob: FakeHiBob, environment: Environment) -> None:
    old = _hibob(fake_hibob)
    integration = IntegrationFactory(
        environment=environment, tool="hibob", credentials=old, remote_account_id=str(COMPANY_ID)
    )

    result, link = _relink(integration, _hibob(fake_hibob, company_id=OTHER_COMPANY_ID))

    _assert_refused_and_unchanged(result, link, integration, old, "HiBob")


def test_it_takes_a_new_hibob_service_user_of_the_same_company(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        tool="hibob",
        credentials=_hibob(fake_hibob),
        remote_account_id=str(COMPANY_ID),
    )
    new = _hibob(fake_hibob)

    result, _ = _relink(integration, new)

    _assert_taken(result, integration, new)


def test_it_refuses_another_hibob_company_that_hides_its_company_id(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    """A service user that may not view Basic info gets no `root.companyId` (fields of other
    categories are left out, docs/fields-metadata); its employees are none of ours."""
    old = _hibob(fake_hibob)
    integration = _synced(environment, "hibob", old, remote_account_id=str(COMPANY_ID))

    result, link = _relink(
        integration,
        _hibob(fake_hibob, company_id=OTHER_COMPANY_ID, categories=ALL_CATEGORIES - {"root"}),
    )

    _assert_refused_and_unchanged(result, link, integration, old, "HiBob")


# --- Sandbox HR: the account of /me ------------------------------------------------------------


def test_it_refuses_another_sandbox_hr_account(sandbox_hr: None, environment: Environment) -> None:
    setup = sandbox_integration(environment=environment)
    other = sandbox_account_create(name="Globex", employees=3, seed=5)
    _, raw = sandbox_api_key_create(account=other, name="x", permissions=ALL_PERMISSIONS)

    result, link = _relink(setup.integration, {"api_key": raw})

    _assert_refused_and_unchanged(
        result, link, setup.integration, {"api_key": setup.raw_key}, "Sandbox HR"
    )


def test_it_takes_a_new_sandbox_hr_key_of_the_same_account(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = sandbox_integration(environment=environment)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    result, _ = _relink(setup.integration, {"api_key": raw})

    _assert_taken(result, setup.integration, {"api_key": raw})


def test_it_refuses_another_account_the_integration_learned_of_during_the_check(
    sandbox_hr: None, environment: Environment
) -> None:
    """The hosted form loads the link, then checks the credentials live (seconds); a health
    check may teach the integration its account meanwhile. The refusal must hold for the
    account the locked row names, not the one read before the check."""
    setup = sandbox_integration(environment=environment)
    account_id = setup.integration.remote_account_id
    Integration.objects.filter(pk=setup.integration.pk).update(remote_account_id="")
    link, _ = relink_link_create(
        integration=Integration.objects.get(pk=setup.integration.pk),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
    )
    loaded = ReconnectionLink.objects.select_related("integration").get(pk=link.pk)
    # What a health check running meanwhile records on its first good check.
    Integration.objects.filter(pk=setup.integration.pk).update(remote_account_id=account_id)
    other = sandbox_account_create(name="Globex", employees=3, seed=5)
    _, raw = sandbox_api_key_create(account=other, name="x", permissions=ALL_PERMISSIONS)

    result = relink_link_complete(link=loaded, credentials={"api_key": raw})

    _assert_refused_and_unchanged(
        result, link, setup.integration, {"api_key": setup.raw_key}, "Sandbox HR"
    )
