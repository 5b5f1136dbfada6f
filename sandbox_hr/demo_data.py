"""Realistic seed data for Sandbox HR: a German company with an international team, and the
demo's administrator logins.

The seeds are pure data: `sandbox_hr.services` turns them into rows and wires
managers and groups. Names are deliberately non-ASCII ("Zoë Müller", "José Núñez",
"Åsa Øberg") and some optional fields are missing, so connectors and the unified model meet the
data they will meet in real HR systems. The demo logins are made by
`services.sandbox_demo_logins_create`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.utils.text import slugify

from sandbox_hr.models import (
    SandboxEmployeeStatus,
    SandboxEmploymentType,
    SandboxGender,
    SandboxGroupType,
    SandboxMaritalStatus,
)

Role = Literal["ceo", "head", "member"]


@dataclass(frozen=True)
class GroupSeed:
    key: str
    name: str
    type: str
    parent_key: str | None = None


GROUP_SEEDS: tuple[GroupSeed, ...] = (
    GroupSeed("product", "Product & Engineering", SandboxGroupType.DEPARTMENT),
    GroupSeed("engineering", "Engineering", SandboxGroupType.DEPARTMENT, parent_key="product"),
    GroupSeed("people", "People & Culture", SandboxGroupType.DEPARTMENT),
    GroupSeed("sales", "Sales & Customer Success", SandboxGroupType.DEPARTMENT),
    GroupSeed("platform", "Platform Team", SandboxGroupType.TEAM, parent_key="engineering"),
    GroupSeed("rnd", "CC 4100 Research & Development", SandboxGroupType.COST_CENTER),
)
DEPARTMENT_KEYS: tuple[str, ...] = ("engineering", "product", "people", "sales")
_DEPARTMENT_WEIGHTS = (45, 15, 10, 30)
_HEAD_TITLES = {
    "engineering": "VP Engineering",
    "product": "Head of Product",
    "people": "Head of People & Culture",
    "sales": "VP Sales",
}
_JOB_TITLES = {
    "engineering": (
        "Software Engineer",
        "Senior Software Engineer",
        "Staff Engineer",
        "Engineering Manager",
        "QA Engineer",
        "DevOps Engineer",
        "Data Engineer",
    ),
    "product": ("Product Manager", "Senior Product Designer", "UX Researcher", "Product Analyst"),
    "people": (
        "HR Generalist",
        "Talent Acquisition Partner",
        "Payroll Specialist",
        "Office Manager",
    ),
    "sales": (
        "Account Executive",
        "Customer Success Manager",
        "Sales Development Representative",
        "Solutions Consultant",
    ),
}


@dataclass(frozen=True)
class _Origin:
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    weight: int


# Keyed by ISO 3166 country code (the nationality).
_ORIGINS: dict[str, _Origin] = {
    "DE": _Origin(
        ("Hannah", "Lea", "Johanna", "Katharina", "Clara", "Greta", "Zoë", "Jördis"),
        ("Jürgen", "Lukas", "Felix", "Maximilian", "Jonas", "Björn", "Sören", "Thomas"),
        (
            "Müller",
            "Schröder",
            "Weiß",
            "Hoffmann",
            "Becker",
            "Schäfer",
            "Köhler",
            "Groß",
            "Krüger",
            "Wagner",
            "Fuchs",
            "Zimmermann",
            "Müller-Lüdenscheidt",
        ),
        45,
    ),
    "ES": _Origin(
        ("María", "Lucía", "Inés", "Begoña", "Ainhoa"),
        ("José", "Álvaro", "Iñigo", "Sergio", "Raúl"),
        ("Núñez", "García", "Fernández", "Muñoz", "Peña", "Ibáñez", "Gómez"),
        6,
    ),
    "NO": _Origin(
        ("Åsa", "Ingrid", "Sigrid", "Solveig"),
        ("Øystein", "Håkon", "Bjørn", "Eirik"),
        ("Øberg", "Hansen", "Johansen", "Bråthen", "Løvås", "Sæther"),
        4,
    ),
    "SE": _Origin(
        ("Linnéa", "Maja", "Elsa", "Astrid"),
        ("Måns", "Gustav", "Oskar", "Erik"),
        ("Öberg", "Lindqvist", "Sjöberg", "Åkesson", "Nyström", "Bergström"),
        4,
    ),
    "FR": _Origin(
        ("Chloé", "Léa", "Hélène", "Amélie", "Noémie"),
        ("François", "Jérôme", "Théo", "Benoît", "Loïc"),
        ("Lefèvre", "Dubois", "Moreau", "Girard", "Lemaître"),
        6,
    ),
    "PL": _Origin(
        ("Małgorzata", "Agnieszka", "Zofia", "Katarzyna"),
        ("Łukasz", "Paweł", "Wojciech", "Michał"),
        ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając"),
        6,
    ),
    "IT": _Origin(
        ("Giulia", "Francesca", "Chiara", "Alessia"),
        ("Niccolò", "Lorenzo", "Matteo", "Andrea"),
        ("Rossi", "Bianchi", "Esposito", "Ricci", "De Luca", "Colombo"),
        5,
    ),
    "NL": _Origin(
        ("Sanne", "Femke", "Anouk"),
        ("Daan", "Sem", "Joost"),
        ("de Vries", "van Dijk", "Jansen", "Bakker", "van den Berg"),
        4,
    ),
    "TR": _Origin(
        ("Ayşe", "Elif", "Zeynep", "Gülşen"),
        ("Mehmet", "Çağan", "Emre", "Oğuz"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Öztürk", "Çelik"),
        6,
    ),
    "VN": _Origin(
        ("Thảo", "Linh", "Ngọc"),
        ("Minh", "Đức", "Quang"),
        ("Nguyễn", "Trần", "Lê", "Phạm"),
        3,
    ),
    "IE": _Origin(
        ("Siobhán", "Aoife", "Niamh", "Róisín"),
        ("Seán", "Cian", "Oisín", "Pádraig"),
        ("O'Brien", "Murphy", "Kelly", "Byrne", "O'Sullivan"),
        3,
    ),
    "PT": _Origin(
        ("Conceição", "Joana", "Inês"),
        ("João", "Gonçalo", "Tomás"),
        ("Gonçalves", "Ferreira", "Magalhães", "Simões"),
        3,
    ),
}
# The first people of a new account, so the interesting names are always there.
_FEATURED: tuple[tuple[str, str, str, str], ...] = (
    ("Zoë", "Müller", SandboxGender.FEMALE, "DE"),
    ("José", "Núñez", SandboxGender.MALE, "ES"),
    ("Åsa", "Øberg", SandboxGender.FEMALE, "NO"),
)
_NICKNAMES = {
    "Maximilian": "Max",
    "Katharina": "Kathi",
    "Johanna": "Jo",
    "Małgorzata": "Gosia",
    "Wojciech": "Wojtek",
    "Pádraig": "Paddy",
    "Francesca": "Fran",
    "Lorenzo": "Enzo",
    "Gonçalo": "Gonça",
    "Håkon": "Håk",
    "Begoña": "Bego",
}


@dataclass(frozen=True)
class _Residence:
    cities: tuple[tuple[str, tuple[str, ...]], ...]
    streets: tuple[str, ...]
    # `{street}` and `{number}` are filled in; countries write addresses differently.
    street_format: str
    phone: str
    ssn: str
    tax_id: str
    banks: tuple[tuple[str, str, str, int], ...]  # name, BIC, BBAN prefix, BBAN length


# `#` in a pattern is a random digit.
_RESIDENCES: dict[str, _Residence] = {
    "DE": _Residence(
        (
            ("Berlin", ("10115", "10405", "10999", "12047", "13353")),
            ("München", ("80331", "80469", "81541")),
            ("Hamburg", ("20095", "22765", "22303")),
            ("Köln", ("50667", "50823")),
            ("Leipzig", ("04103", "04277")),
            ("Frankfurt am Main", ("60311", "60594")),
        ),
        (
            "Schönhauser Allee",
            "Hauptstraße",
            "Müllerstraße",
            "Königstraße",
            "Kastanienallee",
            "Friedrichstraße",
            "Am Weißen Steg",
            "Straße des 17. Juni",
        ),
        "{street} {number}",
        "+49 15# ########",
        "",
        "",
        (
            ("Deutsche Bank", "DEUTDEBBXXX", "10070000", 18),
            ("Sparkasse KölnBonn", "COLSDE33XXX", "37050198", 18),
            ("N26 Bank", "NTSBDEB1XXX", "10011001", 18),
            ("GLS Gemeinschaftsbank", "GENODEM1GLS", "43060967", 18),
        ),
    ),
    "ES": _Residence(
        (
            ("Madrid", ("28004", "28013")),
            ("Barcelona", ("08001", "08012")),
            ("Valencia", ("46002",)),
        ),
        ("Calle de Alcalá", "Carrer de Mallorca", "Avenida del Puerto"),
        "{street}, {number}",
        "+34 6## ### ###",
        "28 ######## ##",
        "########Z",
        (("CaixaBank", "CAIXESBBXXX", "2100", 20), ("Banco Santander", "BSCHESMMXXX", "0049", 20)),
    ),
    "FR": _Residence(
        (("Paris", ("75003", "75011", "75018")), ("Lyon", ("69001", "69007"))),
        ("rue de Rivoli", "boulevard Haussmann", "rue Mouffetard"),
        "{number} {street}",
        "+33 6 ## ## ## ##",
        "# ## ## ## ### ### ##",
        "## ## ### ### ###",
        (("BNP Paribas", "BNPAFRPPXXX", "30004", 23),),
    ),
    "NL": _Residence(
        (("Amsterdam", ("1015 CJ", "1072 AB")), ("Utrecht", ("3511 LK",))),
        ("Prinsengracht", "Oudegracht", "Ferdinand Bolstraat"),
        "{street} {number}",
        "+31 6 ########",
        "#########",
        "#########",
        (("ING Bank", "INGBNL2AXXX", "INGB", 14),),
    ),
    "PL": _Residence(
        (("Warszawa", ("00-001", "02-495")), ("Kraków", ("30-001", "31-019"))),
        ("ul. Marszałkowska", "ul. Floriańska", "ul. Świętokrzyska"),
        "{street} {number}",
        "+48 5## ### ###",
        "###########",
        "###-###-##-##",
        (("PKO Bank Polski", "BPKOPLPWXXX", "1020", 24),),
    ),
    "SE": _Residence(
        (("Stockholm", ("111 20", "118 27")), ("Göteborg", ("411 03",))),
        ("Drottninggatan", "Götgatan", "Södra Vägen"),
        "{street} {number}",
        "+46 7# ### ## ##",
        "######-####",
        "######-####",
        (("Swedbank", "SWEDSESSXXX", "8000", 20),),
    ),
}
_PRIVATE_MAIL_DOMAINS = ("mail.example", "posteo.example", "web.example", "proton.example")
_ASCII_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "å": "a",
        "ł": "l",
        "đ": "d",
        "ı": "i",
        "œ": "oe",
    }
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
    folded = unicodedata.normalize("NFKD", text.lower().translate(_ASCII_FOLD))
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
            department_key = rng.choices(DEPARTMENT_KEYS, weights=_DEPARTMENT_WEIGHTS)[0]
        person = _FEATURED[index] if featured and index < len(_FEATURED) else None
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
        someone.nationality if someone.nationality in _RESIDENCES and rng.random() < 0.4 else "DE"
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
    """Someone from one of `_ORIGINS`, with a name common there."""
    nationality = rng.choices(list(_ORIGINS), weights=[o.weight for o in _ORIGINS.values()])[0]
    origin = _ORIGINS[nationality]
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
    nickname = _NICKNAMES.get(someone.first_name)
    return f"{nickname} {someone.last_name}" if nickname and rng.random() < 0.6 else None


def _job_title(
    rng: random.Random, *, role: Role, department_key: str | None, employment_type: str
) -> str | None:
    if role == "ceo":
        return "Chief Executive Officer"
    if role == "head" and department_key:
        return _HEAD_TITLES[department_key]
    if employment_type == SandboxEmploymentType.INTERN:
        return "Working Student" if rng.random() < 0.5 else "Intern"
    if rng.random() < 0.03:
        return None
    return rng.choice(_JOB_TITLES[department_key or "engineering"])


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
            f"@{rng.choice(_PRIVATE_MAIL_DOMAINS)}"
        ),
        "mobile_phone": (
            None if rng.random() < 0.15 else _fill(rng, _RESIDENCES[residence_country].phone)
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
    local = f"{ascii_fold(first_name)}.{ascii_fold(last_name)}"
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
    residence = _RESIDENCES[country]
    city, zip_codes = rng.choice(residence.cities)
    street = residence.street_format.format(
        street=rng.choice(residence.streets), number=rng.randint(1, 180)
    )
    return {"street": street, "city": city, "zip": rng.choice(zip_codes), "country": country}


def _ssn(rng: random.Random, country: str, last_name: str, birth_date: date | None) -> str | None:
    if country != "DE":
        return _fill(rng, _RESIDENCES[country].ssn)
    if birth_date is None:
        return None
    # German Sozialversicherungsnummer: area, birth date, initial of the birth name, serial.
    initial = (ascii_fold(last_name)[:1] or "x").upper()
    return f"{rng.randint(10, 89)}{birth_date:%d%m%y}{initial}{rng.randint(0, 499):03d}"


def _tax_id(rng: random.Random, country: str) -> str:
    if country != "DE":
        return _fill(rng, _RESIDENCES[country].tax_id)
    # German Steueridentifikationsnummer: 11 digits, never starting with 0.
    return f"{rng.randint(1, 9)}{_fill(rng, '#' * 10)}"


def _bank_account(rng: random.Random, country: str, holder_name: str) -> dict[str, str]:
    bank_name, bic, bban_prefix, bban_length = rng.choice(_RESIDENCES[country].banks)
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


@dataclass(frozen=True)
class DemoLogin:
    account_name: str
    email: str
    # The only place the password exists in plain text: printed once, then gone.
    password: str


def demo_login_email(account_name: str, taken: set[str]) -> str:
    local, domain = "admin", email_domain_for(account_name)
    candidate = f"{local}@{domain}"
    number = 2
    while candidate in taken:
        candidate = f"{local}{number}@{domain}"
        number += 1
    taken.add(candidate)
    return candidate


def demo_logins_text(logins: list[DemoLogin], *, base_url: str) -> str:
    """What `make run` prints, the way it prints the operator login."""
    lines = [
        "Sandbox HR logins, an administrator per account (shown once, write them down):",
        f"    URL: {base_url}/sandbox-hr/sign-in/",
    ]
    lines += [
        f"    {login.account_name}: email {login.email}  password {login.password}"
        for login in logins
    ]
    return "\n".join(lines)
