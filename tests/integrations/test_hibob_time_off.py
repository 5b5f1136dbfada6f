"""HiBob time off: policy types, requests (a full read and the changes since the last sync)
and balances, read from a fake Time off API that behaves as HiBob documents it.

Sources (apidocs.hibob.com): docs/explore-time-off-api (policy types, policies, balances),
reference/time-off-policies ("Features > Time off > Settings" permission; GET
/timeoff/policy-types and /timeoff/policy-types/{policyType}), reference/time-off and
reference/get_timeoff-whosout ("See who's out"; from/to, includeHourly, includePending,
includePrivate; request types, portions, durationUnit, totalDuration, totalCost),
reference/get_timeoff-requests-changes with changelog/time-off-changes-endpoint-update
(`since`, 6 months at most; changeType) and reference/time-off-balance (GET
/timeoff/employees/{id}/balance?policyType&date). Kombo's enums: the `kombo` SDK's absence,
absence type and time-off balance models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from core.models import Environment
from integrations.models import ScopeConfig, SyncType
from integrations.read_models import (
    HRIS_ABSENCE_TYPES,
    HRIS_ABSENCES,
    HRIS_TIME_OFF_BALANCES,
    READ_MODELS,
)
from integrations.tools.base import ToolError
from integrations.tools.hibob import (
    PERM_TIME_OFF_BALANCES,
    PERM_TIME_OFF_REQUESTS,
    PERM_TIME_OFF_SETTINGS,
    HiBobTool,
)
from syncs.models import Absence, AbsenceType, Employee, SyncState, SyncTrigger, TimeOffBalance
from syncs.runner import sync_run
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, ScopeConfigFactory
from tests.support.fakes.hibob import FakeHiBob
from tests.support.fakes.server import Fault

tool = HiBobTool()
TIME_OFF = ("whos_out", "time_off_settings", "balances")
ABSENCE_FIELDS = frozenset(HRIS_ABSENCES.stored_fields)


def credentials(fake: FakeHiBob, features: Iterable[str] = TIME_OFF) -> dict[str, str]:
    user_id, token = fake.add_service_user(features=features)
    return {"service_user_id": user_id, "token": token}


def by_id(pages: list[list[dict[str, object]]]) -> dict[str, dict[str, object]]:
    records = [record for page in pages for record in page]
    assert len(records) == len({record["remote_id"] for record in records})
    return {str(record["remote_id"]): record for record in records}


def test_it_grants_each_time_off_permission_its_group_has(fake_hibob: FakeHiBob) -> None:
    granted = tool.check_auth(credentials(fake_hibob)).granted_permissions
    assert {PERM_TIME_OFF_REQUESTS, PERM_TIME_OFF_SETTINGS, PERM_TIME_OFF_BALANCES} <= granted

    only_whos_out = tool.check_auth(credentials(fake_hibob, ["whos_out"])).granted_permissions
    assert PERM_TIME_OFF_REQUESTS in only_whos_out
    assert not {PERM_TIME_OFF_SETTINGS, PERM_TIME_OFF_BALANCES} & only_whos_out
    gaps = tool.permission_gaps(
        model_id="hris_time_off_balances",
        field_ids=HRIS_TIME_OFF_BALANCES.fields,
        granted=only_whos_out,
    )
    assert [gap.message for gap in gaps] == [
        "HiBob: the service user cannot read hris_time_off_balances (its permission group "
        "needs People's data > Time off > Balance > See selected people's time off and sick "
        "leave balances (and Features > Time off > Settings to list the policy types))."
    ]


def test_it_reads_policy_types_as_absence_types(fake_hibob: FakeHiBob) -> None:
    pages = list(
        tool.fetch(
            credentials(fake_hibob), "hris_absence_types", frozenset(HRIS_ABSENCE_TYPES.fields)
        )
    )

    types = by_id(pages)
    assert {name: record["unit"] for name, record in types.items()} == {
        "Holiday": "DAYS",
        "Sick": "DAYS",
        "Time Off in Lieu": "HOURS",
    }
    assert types["Holiday"]["name"] == "Holiday"
    assert types["Holiday"]["half_days_supported"] is None


def test_it_reads_every_request_of_the_year_around_today_exactly_once(
    fake_hibob: FakeHiBob,
) -> None:
    zoe, jose = fake_hibob.employees[:2]

    absences = by_id(list(tool.fetch(credentials(fake_hibob), "hris_absences", ABSENCE_FIELDS)))

    # Cancelled requests are no longer out; one spanning two month windows is read once.
    assert set(absences) == {"5101", "5102", "5103", "5104", "5106", "5107"}
    today = datetime.now(UTC).date()
    expected = {
        "employee_id": zoe.id,
        "type_id": "Holiday",
        "start_date": (today + timedelta(days=20)).isoformat(),
        "end_date": (today + timedelta(days=26)).isoformat(),
        "start_half_day": True,
        "end_half_day": False,
        "amount": 4.5,
        "unit": "DAYS",
        "status": "APPROVED",
    }
    assert {key: absences["5101"][key] for key in expected} == expected
    assert (absences["5102"]["status"], absences["5102"]["end_half_day"]) == ("REQUESTED", True)
    assert absences["5102"]["employee_id"] == jose.id
    # Every morning of a range: the last day ends at midday, the first starts in the morning.
    assert (absences["5103"]["start_half_day"], absences["5103"]["end_half_day"]) == (False, True)
    hours = absences["5104"]
    assert (hours["start_date"], hours["end_date"]) == (
        (today + timedelta(days=3)).isoformat(),
    ) * 2
    assert (hours["amount"], hours["unit"], hours["type_id"]) == (3.0, "HOURS", "Time Off in Lieu")
    whos_out = [r for r in fake_hibob.requests if r.path == "/v1/timeoff/whosout"]
    assert all(r.args["includePending"] == "true" for r in whos_out)
    assert all(r.args["includeHourly"] == "true" for r in whos_out)


def test_it_reads_only_the_changes_since_the_last_sync(fake_hibob: FakeHiBob) -> None:
    since = datetime.now(UTC) - timedelta(days=5)

    absences = by_id(
        list(tool.fetch(credentials(fake_hibob), "hris_absences", ABSENCE_FIELDS, since=since))
    )

    assert {remote_id: record["status"] for remote_id, record in absences.items()} == {
        "5102": "REQUESTED",
        "5104": "APPROVED",
        "5105": "CANCELLED",
    }
    assert absences["5105"]["type_id"] == "Holiday"
    assert not [r for r in fake_hibob.requests if r.path == "/v1/timeoff/whosout"]
    (changes,) = [r for r in fake_hibob.requests if r.path == "/v1/timeoff/requests/changes"]
    assert datetime.fromisoformat(changes.args["since"]) == since


def test_it_reads_everything_when_the_last_sync_is_beyond_the_changes_reach(
    fake_hibob: FakeHiBob,
) -> None:
    since = datetime.now(UTC) - timedelta(days=200)

    absences = by_id(
        list(tool.fetch(credentials(fake_hibob), "hris_absences", ABSENCE_FIELDS, since=since))
    )

    assert "5106" in absences
    assert not [r for r in fake_hibob.requests if r.path == "/v1/timeoff/requests/changes"]


def test_it_reads_each_employees_balance_per_policy_type(fake_hibob: FakeHiBob) -> None:
    zoe, jose = fake_hibob.employees[:2]

    pages = list(
        tool.fetch(
            credentials(fake_hibob),
            "hris_time_off_balances",
            frozenset(HRIS_TIME_OFF_BALANCES.stored_fields),
        )
    )

    # One page per batch of people; only every third person has the hourly policy type.
    assert len(pages) == 2
    balances = by_id(pages)
    assert len(balances) == 230 * 2 + 77
    assert balances[f"{zoe.id}:Holiday"] == {
        "remote_id": f"{zoe.id}:Holiday",
        "employee_id": zoe.id,
        "type_id": "Holiday",
        "balance": 20.5,
        "balance_unit": "DAYS",
        "used": 4.5,
        "used_unit": "DAYS",
    }
    assert (
        balances[f"{zoe.id}:Time Off in Lieu"]["balance"],
        balances[f"{zoe.id}:Time Off in Lieu"]["used_unit"],
    ) == (13.0, "HOURS")
    assert f"{jose.id}:Time Off in Lieu" not in balances
    assert balances[f"{jose.id}:Sick"]["used"] == 1.5


@override_settings(TOOL_HTTP_TIMEOUT=1.0)
def test_it_asks_again_for_a_balance_whose_answer_timed_out(fake_hibob: FakeHiBob) -> None:
    zoe = fake_hibob.employees[0]
    creds = credentials(fake_hibob)
    fake_hibob.fail_next(
        Fault(status=0, delay=1.5, matches=lambda request: request.path.endswith("/balance"))
    )

    pages = list(tool.fetch(creds, "hris_time_off_balances", frozenset({"balance"})))

    balances = by_id(pages)
    assert balances[f"{zoe.id}:Holiday"]["balance"] == 20.5
    assert len(balances) == 230 * 2 + 77


def test_it_stops_for_good_naming_the_permission_a_refused_read_needs(
    fake_hibob: FakeHiBob,
) -> None:
    creds = credentials(fake_hibob, ["time_off_settings"])

    with pytest.raises(ToolError) as failure:
        list(tool.fetch(creds, "hris_time_off_balances", frozenset({"balance"})))

    assert failure.value.transient is False
    assert "HTTP 403" in str(failure.value)
    assert "See selected people's time off and sick leave balances" in str(failure.value)


TIME_OFF_MODELS = ("hris_absence_types", "hris_absences", "hris_time_off_balances")


def time_off_scope(environment: Environment) -> ScopeConfig:
    """Time off only: the three models and all their fields on, everything else off."""
    return ScopeConfigFactory(
        environment=environment,
        name="Time off",
        settings={
            model.id: {
                "setting": "ENABLED" if model.id in TIME_OFF_MODELS else "DISABLED",
                "fields": dict.fromkeys(model.fields, "ENABLED"),
            }
            for model in READ_MODELS.values()
        },
    )


@pytest.mark.django_db
def test_it_syncs_absence_types_absences_and_balances_into_their_tables(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    creds = credentials(fake_hibob)
    zoe = fake_hibob.employees[0]
    integration = IntegrationFactory(
        environment=environment,
        tool="hibob",
        credentials=creds,
        remote_account_id="638112",
        scope_config=time_off_scope(environment),
    )
    sync, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )

    sync_run(sync_id=sync.pk)

    sync.refresh_from_db()
    assert sync.state == SyncState.SUCCEEDED, sync.warnings
    assert sorted(AbsenceType.objects.values_list("remote_id", flat=True)) == [
        "Holiday",
        "Sick",
        "Time Off in Lieu",
    ]
    assert AbsenceType.objects.get(remote_id="Time Off in Lieu").data["unit"] == "HOURS"
    absence = Absence.objects.get(integration=integration, remote_id="5101")
    assert absence.data["employee_id"] == zoe.id
    assert absence.data["type_id"] == "Holiday"
    assert absence.data["status"] == "APPROVED"
    assert Absence.objects.filter(integration=integration).count() == 6
    balance = TimeOffBalance.objects.get(integration=integration, remote_id=f"{zoe.id}:Holiday")
    assert (balance.data["balance"], balance.data["used"]) == (20.5, 4.5)
    assert TimeOffBalance.objects.filter(integration=integration).count() == 230 * 2 + 77
    # Employees were not in scope: none were stored.
    assert not Employee.objects.filter(integration=integration).exists()


@pytest.mark.django_db
def test_it_brings_a_request_approved_since_the_last_sync_in_with_a_delta_sync(
    fake_hibob: FakeHiBob, environment: Environment
) -> None:
    scope = ScopeConfigFactory(
        environment=environment,
        name="Absences",
        settings={
            model.id: {
                "setting": "ENABLED" if model.id == "hris_absences" else "DISABLED",
                "fields": dict.fromkeys(model.fields, "ENABLED"),
            }
            for model in READ_MODELS.values()
        },
    )
    integration = IntegrationFactory(
        environment=environment,
        tool="hibob",
        credentials=credentials(fake_hibob),
        remote_account_id="638112",
        scope_config=scope,
    )
    full, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
    )
    sync_run(sync_id=full.pk)
    assert Absence.objects.get(integration=integration, remote_id="5102").data["status"] == (
        "REQUESTED"
    )
    pending = next(r for r in fake_hibob.time_off if r.request_id == 5102)
    pending.status = "approved"
    pending.history.append((datetime.now(UTC), "Updated", "approved"))
    fake_hibob.requests.clear()

    delta, _ = sync_enqueue(
        integration=integration, sync_type=SyncType.DELTA, trigger=SyncTrigger.API
    )
    sync_run(sync_id=delta.pk)

    delta.refresh_from_db()
    assert (delta.type, delta.state) == (SyncType.DELTA, SyncState.SUCCEEDED)
    assert Absence.objects.get(integration=integration, remote_id="5102").data["status"] == (
        "APPROVED"
    )
    # Only what changed was asked for (the auth check's one-day probe aside); the other
    # requests stay as the full sync left them.
    changes = [r for r in fake_hibob.requests if r.path == "/v1/timeoff/requests/changes"]
    assert len(changes) == 1
    assert not [
        r
        for r in fake_hibob.requests
        if r.path == "/v1/timeoff/whosout" and r.args["from"] != r.args["to"]
    ]
    assert (
        Absence.objects.filter(integration=integration, remote_deleted_at__isnull=True).count() == 6
    )
