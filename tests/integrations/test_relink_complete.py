"""Reconnection links end to end at the service level, with the sandbox HR over real HTTP:
a broken integration is repaired by a customer entering new credentials."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.models import Environment
from integrations.models import (
    CredentialSource,
    EventKind,
    Integration,
    IntegrationStatus,
    IssueStatus,
    LinkType,
)
from integrations.read_models import HRIS_EMPLOYEES
from integrations.selectors.integrations import credentials_current
from integrations.services import (
    LinkOutcome,
    integration_set_enabled,
    link_find,
    relink_link_complete,
    relink_link_create,
    relink_link_revoke,
)
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_PERSONAL
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_create,
)
from syncs.models import Employee, Sync, SyncState
from syncs.services import scheduler_tick
from tests.support.factories import (
    ALL_PERMISSIONS,
    ScopeConfigFactory,
    sandbox_integration,
)
from tests.support.processes import free_port, run_queued_syncs
from tests.support.relink import OPERATOR, broken_integration, link_token, new_sandbox_key
from tests.support.services import require_service
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_repairs_an_invalid_integration_with_new_credentials(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    integration = setup.integration
    link, url = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language="de", actor=OPERATOR
    )
    assert link_find(token=link_token(url)) == link
    credentials = new_sandbox_key(setup, *ALL_PERMISSIONS)

    result = relink_link_complete(
        link=link, credentials=credentials, ip_address="203.0.113.9", user_agent="Firefox"
    )

    assert result.outcome == LinkOutcome.COMPLETED
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.ACTIVE
    assert integration.sync_paused_reason is None
    assert integration.auth_failing_since is None
    assert integration.next_sync_at is not None
    assert credentials_current(integration=integration) == credentials
    version = integration.credential_versions.first()
    assert version is not None
    assert (version.source, version.link_id, version.ip_address, version.user_agent) == (
        CredentialSource.RELINK_LINK,
        link.pk,
        "203.0.113.9",
        "Firefox",
    )
    assert integration.issues.get().status == IssueStatus.RESOLVED
    states = [
        e.payload["data"]["state"]
        for e in WebhookEvent.objects.filter(
            integration_id=integration.pk, type="integration-state-changed"
        ).order_by("created_at")
    ]
    assert states == ["INVALID", "ACTIVE"]
    assert integration.events.filter(kind=EventKind.LINK_COMPLETED).count() == 1
    link.refresh_from_db()
    assert link.used_at is not None

    scheduler_tick()
    [sync] = run_queued_syncs()
    assert sync.state == SyncState.SUCCEEDED
    assert Employee.objects.filter(integration=integration).count() == 12


def test_it_changes_nothing_for_wrong_credentials(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    link, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.EMBEDDED, language="en", actor=OPERATOR
    )

    result = relink_link_complete(link=link, credentials={"api_key": "sbx_wrong"})

    assert result.outcome == LinkOutcome.INVALID_CREDENTIALS
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID
    assert setup.integration.credential_versions.count() == 1
    link.refresh_from_db()
    assert link.used_at is None
    assert WebhookEvent.objects.filter(type="connection-flow-failed").count() == 1


def test_it_names_the_missing_required_permissions(
    sandbox_hr: None, environment: Environment
) -> None:
    fields = dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED") | {
        "first_name": "ENABLED",
        "date_of_birth": "ENABLED",
        "nationality": "OPTIONAL",
    }
    wider = ScopeConfigFactory(
        environment=environment,
        name="With birthdays",
        settings={"hris_employees": {"setting": "ENABLED", "fields": fields}},
    )
    setup = broken_integration(environment)
    link, _ = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
        scope_config=wider,
    )

    result = relink_link_complete(link=link, credentials=new_sandbox_key(setup, PERM_EMPLOYEES))

    assert result.outcome == LinkOutcome.MISSING_PERMISSIONS
    # The hosted form shows these by the names Sandbox HR's key screen ticks (with their plain
    # words); only the required date of birth is missing, not the optional nationality.
    assert result.missing_permissions == [PERM_PERSONAL]
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID
    assert setup.integration.scope_config_id != wider.pk


def test_it_refuses_credentials_of_another_account(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    other = sandbox_account_create(name="Someone else", employees=2, seed=3)
    _, raw = sandbox_api_key_create(account=other, name="x", permissions=ALL_PERMISSIONS)
    link, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )

    result = relink_link_complete(link=link, credentials={"api_key": raw})

    assert result.outcome == LinkOutcome.OTHER_ACCOUNT
    assert result.message == "These credentials belong to another Sandbox HR account."
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID


def test_it_keeps_the_old_scope_until_the_link_is_completed(
    sandbox_hr: None, environment: Environment
) -> None:
    narrow = ScopeConfigFactory(
        environment=environment,
        name="Names",
        settings={
            "hris_employees": {
                "setting": "ENABLED",
                "fields": dict.fromkeys(HRIS_EMPLOYEES.fields, "DISABLED")
                | {"first_name": "ENABLED"},
            }
        },
    )
    wide = ScopeConfigFactory(environment=environment, name="Everything")
    setup = sandbox_integration(environment=environment, scope_config=narrow)
    integration = setup.integration
    link, _ = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
        scope_config=wide,
    )

    scheduler_tick()
    [before] = run_queued_syncs()
    assert before.state == SyncState.SUCCEEDED
    assert all(row.data["work_email"] is None for row in Employee.objects.all())
    integration.refresh_from_db()
    assert integration.scope_config_id == narrow.pk

    result = relink_link_complete(link=link, credentials=new_sandbox_key(setup, *ALL_PERMISSIONS))

    assert result.outcome == LinkOutcome.COMPLETED
    integration.refresh_from_db()
    assert integration.scope_config_id == wide.pk
    assert integration.data_expired_at is not None
    assert integration.full_sync_requested_at is not None
    scheduler_tick()
    [after] = run_queued_syncs()
    assert after.type == "FULL"
    assert all(row.data["work_email"] for row in Employee.objects.all())


def test_it_leaves_an_operator_disabled_integration_inactive(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    integration_set_enabled(integration=setup.integration, enabled=False, actor=OPERATOR)
    link, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )

    result = relink_link_complete(link=link, credentials=new_sandbox_key(setup, *ALL_PERMISSIONS))

    assert result.outcome == LinkOutcome.COMPLETED
    integration = Integration.objects.get(pk=setup.integration.pk)
    assert integration.status == IntegrationStatus.INACTIVE
    assert integration.sync_paused_reason is None
    integration_set_enabled(integration=integration, enabled=True, actor=OPERATOR)
    assert integration.status == IntegrationStatus.ACTIVE


def test_it_refuses_revoked_expired_and_used_links(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    credentials = new_sandbox_key(setup, *ALL_PERMISSIONS)
    revoked, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )
    assert relink_link_revoke(link=revoked, actor=OPERATOR)
    expired, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.EMBEDDED, language="en", actor=OPERATOR
    )
    expired.expires_at = timezone.now() - timedelta(seconds=1)
    expired.save()
    used, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )
    assert relink_link_complete(link=used, credentials=credentials).outcome == "COMPLETED"
    used.refresh_from_db()

    for link in (revoked, expired, used):
        assert relink_link_complete(link=link, credentials=credentials).outcome == (
            LinkOutcome.LINK_UNUSABLE
        )
    assert setup.integration.credential_versions.count() == 2
    assert link_find(token="not-a-token") is None


def test_it_lets_exactly_one_of_twenty_simultaneous_submissions_win(
    sandbox_hr: None, environment: Environment
) -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL")
    setup = broken_integration(environment)
    credentials = new_sandbox_key(setup, *ALL_PERMISSIONS)
    link, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            outcomes.append(relink_link_complete(link=link, credentials=credentials).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes).count(LinkOutcome.COMPLETED) == 1
    # The losers find the link used; on a loaded machine some may not even get their live
    # check through in time (the sandbox runs in this same process), which changes nothing.
    assert set(outcomes) <= {
        LinkOutcome.COMPLETED,
        LinkOutcome.LINK_UNUSABLE,
        LinkOutcome.UNREACHABLE,
    }
    assert setup.integration.credential_versions.count() == 2
    assert Sync.objects.filter(state=SyncState.QUEUED).count() == 0


def test_it_asks_to_try_again_when_the_tool_is_unreachable(
    sandbox_hr: None, environment: Environment
) -> None:

    setup = broken_integration(environment)
    link, _ = relink_link_create(
        integration=setup.integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
    )
    closed = f"http://127.0.0.1:{free_port()}/sandbox-hr"

    with override_settings(SANDBOX_HR_URL=closed):
        result = relink_link_complete(link=link, credentials={"api_key": "sbx_anything"})

    assert result.outcome == LinkOutcome.UNREACHABLE
    assert "try again in a minute" in result.message
    link.refresh_from_db()
    assert link.used_at is None
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.INVALID
