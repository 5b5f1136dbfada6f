"""What else an HR system knows about the seeded people: where they work and for which legal
entity, their employment history with pay, their absences and what time off they have left.

Pure data like `people`: `sandbox_hr.services` turns it into rows. Every draw comes from its own
random generator, so adding these records never changes a seeded account's employees.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sandbox_hr.models import (
    SandboxAbsenceStatus,
    SandboxEmployeeStatus,
    SandboxEmploymentType,
    SandboxLocationType,
    SandboxPayFrequency,
    SandboxPayPeriod,
    SandboxTimeUnit,
)


def demo_records_random(seed: int | None) -> random.Random:
    # Demo data only: reproducible for a given seed, never used for secrets. A string seed is
    # hashed, so this stream is unrelated to the people's `demo_random(seed)`.
    return random.Random(None if seed is None else f"records:{seed}")  # noqa: S311


@dataclass(frozen=True)
class LocationSeed:
    name: str
    type: str
    address: dict[str, str] | None
    # The legal entity (a key of `LEGAL_ENTITY_SEEDS`) that employs the people working here.
    legal_entity_key: str
    # How often a new employee works here.
    weight: int


@dataclass(frozen=True)
class LegalEntitySeed:
    key: str
    # `{base}` is the account's name without its legal form.
    name_format: str
    address: dict[str, str]


@dataclass(frozen=True)
class AbsenceTypeSeed:
    key: str
    name: str
    unit: str
    half_days_allowed: bool
    # What a full-time employee gets a year; None when there is no allowance to run out of.
    allowance: Decimal | None
    # How likely each of an employee's absences is of this type.
    weight: int


LEGAL_ENTITY_SEEDS: tuple[LegalEntitySeed, ...] = (
    LegalEntitySeed(
        "de",
        "{base} GmbH",
        {"street": "Torstraße 109", "city": "Berlin", "zip": "10119", "country": "DE"},
    ),
    LegalEntitySeed(
        "nl",
        "{base} Nederland B.V.",
        {"street": "Keizersgracht 241", "city": "Amsterdam", "zip": "1016 EA", "country": "NL"},
    ),
)
LOCATION_SEEDS: tuple[LocationSeed, ...] = (
    LocationSeed(
        "Berlin HQ",
        SandboxLocationType.OFFICE,
        {"street": "Torstraße 109", "city": "Berlin", "zip": "10119", "country": "DE"},
        "de",
        50,
    ),
    LocationSeed(
        "München Büro",
        SandboxLocationType.OFFICE,
        {"street": "Sendlinger Straße 7", "city": "München", "zip": "80331", "country": "DE"},
        "de",
        20,
    ),
    LocationSeed(
        "Amsterdam Office",
        SandboxLocationType.OFFICE,
        {"street": "Keizersgracht 241", "city": "Amsterdam", "zip": "1016 EA", "country": "NL"},
        "nl",
        15,
    ),
    LocationSeed("Remote (Germany)", SandboxLocationType.REMOTE, None, "de", 15),
)
ABSENCE_TYPE_SEEDS: tuple[AbsenceTypeSeed, ...] = (
    AbsenceTypeSeed("vacation", "Vacation", SandboxTimeUnit.DAYS, True, Decimal(30), 60),
    AbsenceTypeSeed("sick", "Sick leave", SandboxTimeUnit.DAYS, False, None, 25),
    AbsenceTypeSeed("overtime", "Overtime compensation", SandboxTimeUnit.HOURS, False, None, 10),
    AbsenceTypeSeed("special", "Special leave", SandboxTimeUnit.DAYS, True, Decimal(2), 5),
)
_LEGAL_FORM = re.compile(
    r"[\s,]+(GmbH|AG|SE|KG|Inc\.?|LLC|Ltd\.?|Limited|Corp\.?|Corporation|B\.V\.|S\.A\.|SAS)$",
    re.IGNORECASE,
)
_NOTES = {
    "vacation": ("Family trip", "Summer holiday", "Wedding of a friend", None, None),
    "sick": (None, None, "Flu", "Doctor's appointment"),
    "overtime": ("Release weekend", None),
    "special": ("Moving house", "Wedding", None),
}
# Yearly salary bands in EUR by employment type, and hourly rates for those paid by the hour.
_YEARLY_PAY: dict[str, tuple[int, int]] = {
    SandboxEmploymentType.FULL_TIME: (48_000, 110_000),
    SandboxEmploymentType.PART_TIME: (24_000, 60_000),
}
_HOURLY_PAY = (55, 120)
_INTERN_MONTHLY_PAY = (1_200, 2_000)


def legal_entity_name(name_format: str, account_name: str) -> str:
    """ "Acme GmbH" -> "Acme Nederland B.V.": the account's name with this entity's legal form."""
    base = _LEGAL_FORM.sub("", account_name.strip()) or account_name.strip() or "Sandbox"
    return name_format.format(base=base)


def location_index(rng: random.Random) -> int:
    return rng.choices(range(len(LOCATION_SEEDS)), weights=[s.weight for s in LOCATION_SEEDS])[0]


def employment_rows(
    rng: random.Random, *, employee: dict[str, Any], today: date
) -> list[dict[str, Any]]:
    """The employee's history, oldest first: where they started and, for some, a raise since.

    `employee` holds SandboxEmployee field values; the rows hold SandboxEmployment ones."""
    employment_type = employee["employment_type"]
    hire_date: date = employee["hire_date"] or today
    pay_rate, pay_period, pay_frequency = _pay(rng, employment_type)
    first = {
        "job_title": employee["job_title"],
        "employment_type": employment_type,
        "pay_rate": pay_rate,
        "pay_currency": "EUR",
        "pay_period": pay_period,
        "pay_frequency": pay_frequency,
        "effective_date": hire_date,
    }
    years = (today - hire_date).days // 365
    if years < 1 or rng.random() < 0.3:
        return [first]
    raise_date = hire_date + timedelta(days=365 * rng.randint(1, years))
    raised = (pay_rate * Decimal(rng.choice(("1.04", "1.06", "1.08", "1.12")))).quantize(
        Decimal("1")
    )
    return [first, {**first, "pay_rate": raised, "effective_date": raise_date}]


def _pay(rng: random.Random, employment_type: str) -> tuple[Decimal, str, str]:
    if employment_type in _YEARLY_PAY:
        low, high = _YEARLY_PAY[employment_type]
        return (
            Decimal(rng.randrange(low, high, 500)),
            SandboxPayPeriod.YEAR,
            SandboxPayFrequency.MONTHLY,
        )
    if employment_type == SandboxEmploymentType.INTERN:
        low, high = _INTERN_MONTHLY_PAY
        return (
            Decimal(rng.randrange(low, high, 50)),
            SandboxPayPeriod.MONTH,
            SandboxPayFrequency.MONTHLY,
        )
    # Contractors and freelancers invoice by the hour, every two weeks.
    low, high = _HOURLY_PAY
    return Decimal(rng.randint(low, high)), SandboxPayPeriod.HOUR, SandboxPayFrequency.BIWEEKLY


def absence_rows(
    rng: random.Random, *, employee: dict[str, Any], today: date
) -> list[dict[str, Any]]:
    """Two to five absences within about four months back and two ahead, each with its type's
    key under "type_key" and otherwise SandboxAbsence field values."""
    if employee["status"] == SandboxEmployeeStatus.PENDING:
        return []
    hire_date: date = employee["hire_date"] or today
    rows = []
    for _ in range(rng.randint(2, 5)):
        type_seed = rng.choices(ABSENCE_TYPE_SEEDS, weights=[t.weight for t in ABSENCE_TYPE_SEEDS])[
            0
        ]
        offset = rng.randint(-120, 60)
        if type_seed.key == "sick":
            # Nobody reports sick in advance.
            offset = -abs(offset)
        start = _weekday(max(hire_date, today + timedelta(days=offset)))
        rows.append(_absence(rng, type_seed=type_seed, start=start, today=today))
    return rows


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _absence(
    rng: random.Random, *, type_seed: AbsenceTypeSeed, start: date, today: date
) -> dict[str, Any]:
    start_half_day = end_half_day = False
    if type_seed.unit == SandboxTimeUnit.HOURS:
        end = start
        amount = Decimal(rng.choice((2, 4, 6, 8)))
    else:
        workdays = rng.randint(1, 3) if type_seed.key != "vacation" else rng.randint(1, 10)
        end, amount = start, Decimal(1)
        while amount < workdays:
            end = _weekday(end + timedelta(days=1))
            amount += 1
        if type_seed.half_days_allowed and rng.random() < 0.2:
            if workdays == 1 or rng.random() < 0.5:
                end_half_day = True
            else:
                start_half_day = True
            amount -= Decimal("0.5")
    return {
        "type_key": type_seed.key,
        "start_date": start,
        "end_date": end,
        "start_half_day": start_half_day,
        "end_half_day": end_half_day,
        "amount": amount,
        "unit": type_seed.unit,
        "status": _absence_status(rng, type_seed=type_seed, start=start, today=today),
        "note": rng.choice(_NOTES[type_seed.key]),
    }


def _absence_status(
    rng: random.Random, *, type_seed: AbsenceTypeSeed, start: date, today: date
) -> str:
    roll = rng.random()
    if roll < 0.06:
        return SandboxAbsenceStatus.CANCELLED
    if roll < 0.1 and type_seed.key != "sick":
        return SandboxAbsenceStatus.DECLINED
    if start > today and roll < 0.45:
        return SandboxAbsenceStatus.REQUESTED
    return SandboxAbsenceStatus.APPROVED


def balance_rows(
    rng: random.Random,
    *,
    employee: dict[str, Any],
    absences: list[dict[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    """One balance per absence type ("type_key" and SandboxTimeOffBalance values): the year's
    allowance (part-timers' in proportion) less what approved absences used this year."""
    used: dict[str, Decimal] = {seed.key: Decimal(0) for seed in ABSENCE_TYPE_SEEDS}
    for absence in absences:
        if (
            absence["status"] == SandboxAbsenceStatus.APPROVED
            and absence["start_date"].year == today.year
        ):
            used[absence["type_key"]] += absence["amount"]
    share = Decimal(1)
    if employee["employment_type"] == SandboxEmploymentType.PART_TIME:
        share = Decimal("0.6")
    rows = []
    for seed in ABSENCE_TYPE_SEEDS:
        if seed.allowance is not None:
            balance = (seed.allowance * share).quantize(Decimal("0.5")) - used[seed.key]
        elif seed.unit == SandboxTimeUnit.HOURS:
            # Overtime worked and not yet taken off.
            balance = Decimal(rng.randint(0, 40))
        else:
            balance = Decimal(0)
        rows.append(
            {"type_key": seed.key, "balance": balance, "used": used[seed.key], "unit": seed.unit}
        )
    return rows
