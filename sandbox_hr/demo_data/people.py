"""Employees drawn from the tables: names, titles, groups, dates, addresses, bank details."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from sandbox_hr.demo_data.tables import (
    ASCII_FOLD,
    DEPARTMENT_KEYS,
    DEPARTMENT_WEIGHTS,
    FEATURED,
    HEAD_TITLES,
    JOB_TITLES,
    NICKNAMES,
    ORIGINS,
    PRIVATE_MAIL_DOMAINS,
    RESIDENCES,
    Role,
)
from sandbox_hr.models import (
    SandboxEmployeeStatus,
    SandboxEmploymentType,
    SandboxGender,
    SandboxMaritalStatus,
)


@dataclass(frozen=True)
class EmployeeSeed:
    role: Role
    # The employee's home department (a key of GROUP_SEEDS); None for the CEO.
    department_key: str | None
    # Every group the employee belongs to, the home department first.
    group_keys: tuple[str, ...]
    # Values for SandboxEmployee fields, without ids, account, manager or employee number.
    fields: dict[str, Any]


def demo_random(seed: int | None) -> random.Random:
    # Demo data only: reproducible for a given seed, never used for secrets.
    return random.Random(seed)  # noqa: S311


def email_domain_for(account_name: str) -> str:
    return f"{slugify(account_name) or 'sandbox-hr'}.example"


def ascii_fold(text: str) -> str:
    """`Müller-Lüdenscheidt` -> `mueller-luedenscheidt`, for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(ASCII_FOLD))
    return re.sub(r"[^a-z0-9-]", "", folded.encode("ascii", "ignore").decode())


def employee_seeds(
    rng: random.Random,
    *,
    count: int,
    today: date,
    email_domain: str,
    taken_emails: set[str],
    has_ceo: bool,
    departments_with_head: set[str],
    featured: bool,
) -> list[EmployeeSeed]:
    """`count` new employees. The first become the CEO and department heads where missing.

    `taken_emails` is updated with the work e-mail addresses handed out.
    """
    seeds: list[EmployeeSeed] = []
    heads_missing = [key for key in DEPARTMENT_KEYS if key not in departments_with_head]
    for index in range(count):
        if not has_ceo:
            role: Role = "ceo"
            department_key: str | None = None
            has_ceo = True
        elif heads_missing:
            role = "head"
            department_key = heads_missing.pop(0)
        else:
            role = "member"
            department_key = rng.choices(DEPARTMENT_KEYS, weights=DEPARTMENT_WEIGHTS)[0]
        person = FEATURED[index] if featured and index < len(FEATURED) else None
        seeds.append(
            _employee_seed(
                rng,
                role=role,
                department_key=department_key,
                person=person,
                today=today,
                email_domain=email_domain,
                taken_emails=taken_emails,
            )
        )
    return seeds


@dataclass(frozen=True)
class _Person:
    first_name: str
    last_name: str
    gender: str
    nationality: str


def _employee_seed(
    rng: random.Random,
    *,
    role: Role,
    department_key: str | None,
    person: tuple[str, str, str, str] | None,
    today: date,
    email_domain: str,
    taken_emails: set[str],
) -> EmployeeSeed:
    # Every draw from `rng` stays in this order: a seeded account must keep its data.
    someone = _Person(*person) if person is not None else _person(rng)
    leader = role != "member"
    employment_type = SandboxEmploymentType.FULL_TIME if leader else _employment_type(rng)
    status, hire_date, termination_date = _employment_dates(rng, leader=leader, today=today)
    job_title = _job_title(
        rng, role=role, department_key=department_key, employment_type=employment_type
    )
    birth_date = _birth_date(rng, leader=leader, employment_type=employment_type, today=today)
    residence_country = (
        someone.nationality if someone.nationality in RESIDENCES and rng.random() < 0.4 else "DE"
    )
    has_bank_account = rng.random() >= 0.1 and employment_type != SandboxEmploymentType.FREELANCE
    fields: dict[str, Any] = {
        "first_name": someone.first_name,
        "last_name": someone.last_name,
        "preferred_name": _preferred_name(rng, someone),
        "email": _work_email(someone.first_name, someone.last_name, email_domain, taken_emails),
        "job_title": job_title,
        "status": status,
        "employment_type": employment_type,
        "weekly_hours": _weekly_hours(rng, employment_type),
        "hire_date": hire_date,
        "termination_date": termination_date,
        "birth_date": birth_date,
        **_personal_fields(rng, someone, residence_country=residence_country),
        **_sensitive_fields(
            rng,
            someone,
            employment_type=employment_type,
            birth_date=birth_date,
            residence_country=residence_country,
            has_bank_account=has_bank_account,
        ),
    }
    return EmployeeSeed(
        role=role,
        department_key=department_key,
        group_keys=_group_keys(rng, role=role, department_key=department_key),
        fields=fields,
    )


def _person(rng: random.Random) -> _Person:
    """Someone from one of `ORIGINS`, with a name common there."""
    nationality = rng.choices(list(ORIGINS), weights=[o.weight for o in ORIGINS.values()])[0]
    origin = ORIGINS[nationality]
    gender: str = rng.choice((SandboxGender.FEMALE, SandboxGender.MALE))
    first_name = rng.choice(origin.female if gender == SandboxGender.FEMALE else origin.male)
    last_name = rng.choice(origin.last)
    # The name lists are binary; a few people still record another gender.
    roll = rng.random()
    if roll < 0.04:
        gender = SandboxGender.DIVERSE
    elif roll < 0.08:
        gender = SandboxGender.UNSPECIFIED
    return _Person(first_name, last_name, gender, nationality)


def _preferred_name(rng: random.Random, someone: _Person) -> str | None:
    nickname = NICKNAMES.get(someone.first_name)
    return f"{nickname} {someone.last_name}" if nickname and rng.random() < 0.6 else None


def _job_title(
    rng: random.Random, *, role: Role, department_key: str | None, employment_type: str
) -> str | None:
    if role == "ceo":
        return "Chief Executive Officer"
    if role == "head" and department_key:
        return HEAD_TITLES[department_key]
    if employment_type == SandboxEmploymentType.INTERN:
        return "Working Student" if rng.random() < 0.5 else "Intern"
    if rng.random() < 0.03:
        return None
    return rng.choice(JOB_TITLES[department_key or "engineering"])


def _birth_date(
    rng: random.Random, *, leader: bool, employment_type: str, today: date
) -> date | None:
    if leader:
        youngest, oldest = 34, 61
    elif employment_type == SandboxEmploymentType.INTERN:
        youngest, oldest = 19, 27
    else:
        youngest, oldest = 22, 63
    if rng.random() < 0.08:
        return None
    return today - timedelta(days=rng.randint(youngest * 365, oldest * 365))


def _personal_fields(
    rng: random.Random, someone: _Person, *, residence_country: str
) -> dict[str, Any]:
    """What permission `employees.personal:read` shows but the birth date; some left empty."""
    return {
        "gender": None if rng.random() < 0.03 else someone.gender,
        "private_email": (
            None
            if rng.random() < 0.2
            else f"{ascii_fold(someone.first_name)}.{ascii_fold(someone.last_name)}"
            f"{rng.randint(1, 99)}"
            f"@{rng.choice(PRIVATE_MAIL_DOMAINS)}"
        ),
        "mobile_phone": (
            None if rng.random() < 0.15 else _fill(rng, RESIDENCES[residence_country].phone)
        ),
        "nationality": None if rng.random() < 0.05 else someone.nationality,
        "marital_status": (
            None if rng.random() < 0.3 else rng.choice(list(SandboxMaritalStatus.values))
        ),
        "home_address": None if rng.random() < 0.1 else _home_address(rng, residence_country),
    }


def _sensitive_fields(
    rng: random.Random,
    someone: _Person,
    *,
    employment_type: str,
    birth_date: date | None,
    residence_country: str,
    has_bank_account: bool,
) -> dict[str, Any]:
    """What permission `employees.sensitive:read` shows; some left empty."""
    # Contractors and freelancers are not on the payroll: no social security number on file.
    no_ssn = employment_type in (SandboxEmploymentType.CONTRACTOR, SandboxEmploymentType.FREELANCE)
    return {
        "ssn": (
            None
            if rng.random() < 0.15 or no_ssn
            else _ssn(rng, residence_country, someone.last_name, birth_date)
        ),
        "tax_id": None if rng.random() < 0.1 else _tax_id(rng, residence_country),
        "bank_accounts": (
            [_bank_account(rng, residence_country, f"{someone.first_name} {someone.last_name}")]
            if has_bank_account
            else []
        ),
    }


def _group_keys(rng: random.Random, *, role: Role, department_key: str | None) -> tuple[str, ...]:
    """The home department first, then the team and cost center that go with it."""
    if department_key is None:
        return ()
    group_keys: tuple[str, ...] = (department_key,)
    if department_key == "engineering" and (role == "head" or rng.random() < 0.4):
        group_keys += ("platform",)
    if department_key in ("engineering", "product"):
        group_keys += ("rnd",)
    return group_keys


def _employment_type(rng: random.Random) -> str:
    return rng.choices(
        (
            SandboxEmploymentType.FULL_TIME,
            SandboxEmploymentType.PART_TIME,
            SandboxEmploymentType.CONTRACTOR,
            SandboxEmploymentType.INTERN,
            SandboxEmploymentType.FREELANCE,
        ),
        weights=(70, 12, 7, 6, 5),
    )[0]


def _employment_dates(
    rng: random.Random, *, leader: bool, today: date
) -> tuple[str, date, date | None]:
    """Status, hire date and termination date that agree with each other."""
    hire_date = today - timedelta(days=rng.randint(60, 9 * 365))
    roll = 1.0 if leader else rng.random()
    if roll < 0.08:
        termination_date = hire_date + timedelta(days=rng.randint(30, (today - hire_date).days))
        return SandboxEmployeeStatus.INACTIVE, hire_date, termination_date
    if roll < 0.13:
        return SandboxEmployeeStatus.LEAVE, hire_date, None
    if roll < 0.18:
        return SandboxEmployeeStatus.PENDING, today + timedelta(days=rng.randint(7, 75)), None
    if roll < 0.21:
        # Handed in their notice: still active, leaving soon.
        return SandboxEmployeeStatus.ACTIVE, hire_date, today + timedelta(days=rng.randint(14, 90))
    return SandboxEmployeeStatus.ACTIVE, hire_date, None


def _weekly_hours(rng: random.Random, employment_type: str) -> Decimal | None:
    if employment_type == SandboxEmploymentType.FULL_TIME:
        return Decimal(rng.choice(("40", "40", "38.5")))
    if employment_type == SandboxEmploymentType.PART_TIME:
        return Decimal(rng.choice(("20", "24", "30", "32")))
    if employment_type == SandboxEmploymentType.INTERN:
        return Decimal(rng.choice(("20", "40")))
    if employment_type == SandboxEmploymentType.CONTRACTOR and rng.random() < 0.5:
        return Decimal("40")
    return None


def _work_email(first_name: str, last_name: str, domain: str, taken: set[str]) -> str:
    return unique_email(f"{ascii_fold(first_name)}.{ascii_fold(last_name)}", domain, taken)


def unique_email(local: str, domain: str, taken: set[str]) -> str:
    """`local@domain`, or `local2@domain`, `local3@`... if taken; the address is then taken."""
    candidate = f"{local}@{domain}"
    number = 2
    while candidate in taken:
        candidate = f"{local}{number}@{domain}"
        number += 1
    taken.add(candidate)
    return candidate


def _fill(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randint(0, 9)) if char == "#" else char for char in pattern)


def _home_address(rng: random.Random, country: str) -> dict[str, str]:
    residence = RESIDENCES[country]
    city, zip_codes = rng.choice(residence.cities)
    street = residence.street_format.format(
        street=rng.choice(residence.streets), number=rng.randint(1, 180)
    )
    return {"street": street, "city": city, "zip": rng.choice(zip_codes), "country": country}


def _ssn(rng: random.Random, country: str, last_name: str, birth_date: date | None) -> str | None:
    if country != "DE":
        return _fill(rng, RESIDENCES[country].ssn)
    if birth_date is None:
        return None
    # German Sozialversicherungsnummer: area, birth date, initial of the birth name, serial.
    initial = (ascii_fold(last_name)[:1] or "x").upper()
    return f"{rng.randint(10, 89)}{birth_date:%d%m%y}{initial}{rng.randint(0, 499):03d}"


def _tax_id(rng: random.Random, country: str) -> str:
    if country != "DE":
        return _fill(rng, RESIDENCES[country].tax_id)
    # German Steueridentifikationsnummer: 11 digits, never starting with 0.
    return f"{rng.randint(1, 9)}{_fill(rng, '#' * 10)}"


def _bank_account(rng: random.Random, country: str, holder_name: str) -> dict[str, str]:
    bank_name, bic, bban_prefix, bban_length = rng.choice(RESIDENCES[country].banks)
    bban = bban_prefix + _fill(rng, "#" * (bban_length - len(bban_prefix)))
    return {
        "iban": iban(country, bban),
        "bic": bic,
        "bank_name": bank_name,
        "holder_name": holder_name,
    }


def iban(country: str, bban: str) -> str:
    """An IBAN with valid ISO 13616 check digits."""
    rearranged = f"{bban}{country}00"
    digits = "".join(str(int(char, 36)) for char in rearranged)
    check = 98 - int(digits) % 97
    return f"{country}{check:02d}{bban}"
