"""The records around seeded employees: work locations, legal entities, employment history,
absence types, absences and time-off balances.

Called by the account services inside their transactions. Everything is inserted in bulk, a
batch of employees at a time: accounts of tens of thousands of employees are seeded by tests
and benchmarks, and must stay cheap in queries and memory.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sandbox_hr.demo_data.records import (
    ABSENCE_TYPE_SEEDS,
    LEGAL_ENTITY_SEEDS,
    LOCATION_SEEDS,
    absence_rows,
    balance_rows,
    employment_rows,
    legal_entity_name,
    location_index,
)
from sandbox_hr.models import (
    SandboxAbsence,
    SandboxAbsenceType,
    SandboxAccount,
    SandboxEmployee,
    SandboxEmployment,
    SandboxLegalEntity,
    SandboxLocation,
    SandboxTimeOffBalance,
)

EMPLOYEES_PER_BATCH = 1000


@dataclass(frozen=True)
class AccountPlaces:
    """An account's rows for the seeds: locations in `LOCATION_SEEDS` order, legal entities and
    absence types by seed key."""

    locations: list[SandboxLocation]
    legal_entities: dict[str, SandboxLegalEntity]
    absence_types: dict[str, SandboxAbsenceType]


def account_places_ensure(*, account: SandboxAccount) -> AccountPlaces:
    """The account's locations, legal entities and absence types, creating those it lacks
    (accounts seeded before Sandbox HR had them gain them here)."""
    legal_entities: dict[str, SandboxLegalEntity] = {}
    existing_entities = {e.name: e for e in SandboxLegalEntity.objects.filter(account=account)}
    for entity_seed in LEGAL_ENTITY_SEEDS:
        name = legal_entity_name(entity_seed.name_format, account.name)
        legal_entities[entity_seed.key] = existing_entities.get(
            name
        ) or SandboxLegalEntity.objects.create(
            account=account, name=name, address=entity_seed.address
        )
    existing_locations = {loc.name: loc for loc in SandboxLocation.objects.filter(account=account)}
    locations = [
        existing_locations.get(location_seed.name)
        or SandboxLocation.objects.create(
            account=account,
            name=location_seed.name,
            type=location_seed.type,
            address=location_seed.address,
        )
        for location_seed in LOCATION_SEEDS
    ]
    existing_types = {t.name: t for t in SandboxAbsenceType.objects.filter(account=account)}
    absence_types = {
        type_seed.key: existing_types.get(type_seed.name)
        or SandboxAbsenceType.objects.create(
            account=account,
            name=type_seed.name,
            unit=type_seed.unit,
            half_days_allowed=type_seed.half_days_allowed,
        )
        for type_seed in ABSENCE_TYPE_SEEDS
    }
    return AccountPlaces(
        locations=locations, legal_entities=legal_entities, absence_types=absence_types
    )


def employees_place(
    *, employees: Sequence[SandboxEmployee], places: AccountPlaces, rng: random.Random
) -> None:
    """Give each unsaved employee a work location and the legal entity employing people there."""
    for employee in employees:
        index = location_index(rng)
        employee.location = places.locations[index]
        employee.legal_entity = places.legal_entities[LOCATION_SEEDS[index].legal_entity_key]


def employee_records_create(
    *,
    employees: Sequence[SandboxEmployee],
    places: AccountPlaces,
    rng: random.Random,
    today: date,
) -> None:
    """Employment history, absences and balances of newly inserted employees."""
    for start in range(0, len(employees), EMPLOYEES_PER_BATCH):
        employments: list[SandboxEmployment] = []
        absences: list[SandboxAbsence] = []
        balances: list[SandboxTimeOffBalance] = []
        for employee in employees[start : start + EMPLOYEES_PER_BATCH]:
            values = _employee_values(employee)
            owner = {"account_id": employee.account_id, "employee_id": employee.pk}
            employments.extend(
                SandboxEmployment(**owner, **row)
                for row in employment_rows(rng, employee=values, today=today)
            )
            absence_values = absence_rows(rng, employee=values, today=today)
            absences.extend(
                SandboxAbsence(**owner, type=places.absence_types[row.pop("type_key")], **row)
                for row in [dict(row) for row in absence_values]
            )
            balances.extend(
                SandboxTimeOffBalance(
                    **owner, type=places.absence_types[row.pop("type_key")], **row
                )
                for row in balance_rows(rng, employee=values, absences=absence_values, today=today)
            )
        SandboxEmployment.objects.bulk_create(employments, batch_size=1000)
        SandboxAbsence.objects.bulk_create(absences, batch_size=1000)
        SandboxTimeOffBalance.objects.bulk_create(balances, batch_size=1000)


def _employee_values(employee: SandboxEmployee) -> dict[str, Any]:
    return {
        "employment_type": employee.employment_type,
        "hire_date": employee.hire_date,
        "job_title": employee.job_title,
        "status": employee.status,
    }
