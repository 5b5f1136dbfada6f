"""A fake HiBob API (`https://api.hibob.com/v1`), as its public docs describe it.

- HTTP Basic auth with service users (ID as username, token as password); an unknown,
  deleted or wrong-token service user gets 401.
- Each service user belongs to a permission group that may view some field categories
  (`categoryId`s of the fields metadata) and may or may not read company lists. Fields of other
  categories are silently left out of people reads (200 OK); with no category at all, people
  search answers 403.
- `POST /v1/people/search`: `fields` (dot-notation field IDs, at most 400, unknown ones
  ignored), `showInactive` (default false), `humanReadable` (`APPEND` / `REPLACE`), at most one
  filter on `root.id` or `root.email` with `operator: equals`. No pagination: every match in one
  `employees` array. Each field comes back as a slash key (`"/work/title": {"value": ...}`, only
  when not null) and in its nested category object (null included).
- `GET /v1/company/people/fields`: the fields metadata, no permission needed.
- `GET /v1/company/named-lists/{department|site}`: `{"name", "values", "items"}` (the live API
  repeats the items under both keys), items nesting through `children`; archived items only
  with `includeArchived=true` (reference/get_company-named-lists-listname).
- Time off (reference/time-off, time-off-policies, time-off-balance): `GET /v1/timeoff/
  policy-types[/{name}]` (Features: time off settings), `GET /v1/timeoff/whosout?from&to`
  (People's data: See who's out; `includeHourly`, `includePending`, `includePrivate`),
  `GET /v1/timeoff/requests/changes?since` (same permission; `since` at most 6 months back,
  `includePending`), `GET /v1/timeoff/employees/{id}/balance?policyType&date` (Balance view;
  404 for an employee without a policy of that type, which the docs do not specify).
- Employee tables (reference/employee-tables): `GET /v1/people/{id}/salaries|employment|work`
  -> `{"values": [...]}`, each needing its section's "histories" permission.
  Each permission beyond categories and lists is a `feature` of the service user's group.
- 429 with `X-RateLimit-Limit/Remaining/Reset` when `search_limit_per_minute` is set; every
  search answer carries those headers.

- Companies: `COMPANY_ID` (the seeded staff) and `OTHER_COMPANY_ID` (a few people of another
  company). A service user belongs to one company and finds only its employees; each employee
  carries its company in `root.companyId` (a Basic info field in the fields metadata, among
  the default fields of apidocs.hibob.com/reference/post_people-identifier's 200 response).

HiBob documents error bodies as a `key`/`error` pair without listing the values: ours are made
up in that shape. List fields hold list item IDs; their labels come with `humanReadable`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
import time
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from tests.support.fakes.server import FakeVendor

COMPANY_ID = 638112
OTHER_COMPANY_ID = 702945

CATEGORIES = {
    "root": "Basic info",
    "work": "Work",
    "lifecycle": "Lifecycle",
    "employment": "Employment",
    "personal": "Personal",
    "personalContact": "Personal contact details",
    "home": "Home",
    "address": "Address",
    "identification": "Identification",
    "eeo": "EEO",
}
ALL_CATEGORIES = frozenset(CATEGORIES)


@dataclass(frozen=True)
class FieldMeta:
    id: str
    category: str
    name: str
    type: str
    list_id: str | None = None

    @property
    def json_path(self) -> tuple[str, ...]:
        parts = tuple(self.id.split("."))
        return parts[1:] if parts[0] == "root" else parts

    def as_metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "categoryId": self.category,
            "categoryDisplayName": CATEGORIES[self.category],
            "name": self.name,
            "description": None,
            "jsonPath": ".".join(self.json_path),
            "type": self.type,
            "typeData": {"listId": self.list_id} if self.list_id else {},
            "historical": False,
        }


FIELDS = (
    FieldMeta("root.id", "root", "ID", "employee-reference"),
    FieldMeta("root.companyId", "root", "Company id", "number"),
    FieldMeta("root.email", "root", "Email", "text"),
    FieldMeta("root.firstName", "root", "First name", "text"),
    FieldMeta("root.surname", "root", "Last name", "text"),
    FieldMeta("root.displayName", "root", "Display name", "text"),
    FieldMeta("root.creationDateTime", "root", "Creation timestamp", "time"),
    FieldMeta("root.avatarUrl", "root", "Avatar URL", "avatar"),
    FieldMeta("work.employeeIdInCompany", "work", "Employee ID", "number"),
    FieldMeta("work.title", "work", "Job title", "list", "title"),
    FieldMeta("work.startDate", "work", "Start date", "date"),
    FieldMeta("work.department", "work", "Department", "list", "department"),
    FieldMeta("work.reportsTo", "work", "Reports to", "employee"),
    FieldMeta("work.site", "work", "Site", "text"),
    FieldMeta("work.siteId", "work", "Site ID", "number"),
    FieldMeta(
        "internal.lifecycleStatus", "lifecycle", "Lifecycle status", "list", "lifecycleStatus"
    ),
    FieldMeta("internal.status", "lifecycle", "Status", "list", "status"),
    FieldMeta("internal.terminationDate", "lifecycle", "Termination date", "date"),
    FieldMeta(
        "payroll.employment.type", "employment", "Employment type", "list", "payrollEmploymentType"
    ),
    FieldMeta("payroll.employment.weeklyHours", "employment", "Weekly hours", "number"),
    FieldMeta("personal.birthDate", "personal", "Date of Birth", "date"),
    FieldMeta("personal.nationality", "personal", "Nationality", "multi-list", "nationalities"),
    FieldMeta("home.privateEmail", "personalContact", "Personal email", "text"),
    FieldMeta("home.mobilePhone", "personalContact", "Personal mobile", "text"),
    FieldMeta("home.legalGender", "home", "Gender", "list", "legalGenderEnhanced"),
    FieldMeta("home.familyStatus", "home", "Marital status", "list", "familystatus"),
    FieldMeta("address.line1", "address", "Address line 1", "text"),
    FieldMeta("address.line2", "address", "Address line 2", "text"),
    FieldMeta("address.city", "address", "City", "text"),
    FieldMeta("address.usaState", "address", "State/Province/Region", "text"),
    FieldMeta("address.postCode", "address", "Zip/Post/Postal code", "text"),
    FieldMeta("address.country", "address", "Country", "list", "countries"),
    FieldMeta("identification.ssn", "identification", "SSN", "ssn"),
    FieldMeta("eeo.ethnicity", "eeo", "Ethnicity", "list", "ethnicity"),
)
FIELDS_BY_ID = {meta.id: meta for meta in FIELDS}
# Without `fields`, search returns Basic info, Work and Employment fields.
DEFAULT_FIELDS = (
    "root.id",
    "root.email",
    "root.firstName",
    "root.surname",
    "root.displayName",
    "work.title",
    "work.department",
    "work.startDate",
    "work.reportsTo",
    "payroll.employment.type",
)
MAX_FIELDS = 400


def list_item_id(list_id: str, label: str) -> str:
    """Stable list item IDs, like HiBob's numeric strings."""
    return str(100_000 + zlib.crc32(f"{list_id}:{label}".encode()) % 900_000)


def _department(
    item_id: str, name: str, *children: dict[str, Any], archived: bool = False
) -> dict[str, Any]:
    return {
        "id": item_id,
        "value": name,
        "name": name,
        "archived": archived,
        "children": list(children),
    }


DEPARTMENTS = [
    _department("209192160", "Management"),
    _department(
        "209192161",
        "Product & Engineering",
        _department("209192162", "Engineering"),
        _department("209192163", "Design"),
    ),
    _department("209192164", "People"),
    _department("209192165", "Sales", _department("209192166", "Account Receivables")),
    _department("209192167", "Legacy Operations", archived=True),
]
SITES = [
    _department("301100", "New York"),
    _department("301101", "Madrid"),
    _department("301102", "Dublin"),
    _department("301103", "Berlin", archived=True),
]
SITE_IDS = {"New York": "301100", "Madrid": "301101", "Dublin": "301102", "Berlin": "301103"}
NAMED_LISTS = {"department": DEPARTMENTS, "site": SITES}

# Permission group settings beyond field categories and company lists.
FEATURES = frozenset(
    {
        "whos_out",  # People's data > Time off > See who's out
        "time_off_settings",  # Features > Time off > Settings > Manage company's time off settings
        "balances",  # People's data > Time off > Balance > See selected people's balances
        "payroll_history",  # People > Payroll > View selected employees' Payroll histories
        "employment_history",  # People > Employment > View ... Employment section histories
        "work_history",  # People > Work > View selected employees' Work section histories
    }
)

DEPARTMENT_IDS = {
    "Management": "209192160",
    "Engineering": "209192162",
    "Design": "209192163",
    "People": "209192164",
    "Sales": "209192165",
    "Account Receivables": "209192166",
}


@dataclass
class FakeEmployee:
    """One employee: machine values by field ID, and the labels of list fields."""

    values: dict[str, Any]
    labels: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.values["root.id"])

    @property
    def active(self) -> bool:
        return self.labels.get("internal.status") == "Active"


@dataclass
class ServiceUser:
    token: str
    categories: frozenset[str]
    read_lists: bool
    company_id: int = COMPANY_ID
    features: frozenset[str] = frozenset()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


class EmployeeBuilder:
    """Builds employees with list fields stored as (item ID, label), as HiBob stores them."""

    def __init__(
        self, *, company_id: int = COMPANY_ID, first_id: int = 3_332_883_884_017_713_200
    ) -> None:
        self.company_id = company_id
        self.next_id = first_id
        self.next_number = 1

    def build(
        self,
        first: str,
        last: str,
        *,
        manager: FakeEmployee | None,
        lists: dict[str, str | list[str] | None],
        values: dict[str, Any],
        email: str | None = None,
    ) -> FakeEmployee:
        employee_id = str(self.next_id)
        self.next_id += 137
        employee = FakeEmployee(
            values={
                "root.id": employee_id,
                "root.companyId": self.company_id,
                "root.firstName": first,
                "root.surname": last,
                "root.displayName": f"{first} {last}" if _ascii(first + last) else f"{last}{first}",
                "root.email": email or f"{_ascii(first)}.{_ascii(last)}@acme-hr.example",
                "work.employeeIdInCompany": self.next_number,
                **values,
            }
        )
        self.next_number += 1
        if manager is not None:
            employee.values["work.reportsTo"] = {
                "id": manager.id,
                "firstName": manager.values["root.firstName"],
                "surname": manager.values["root.surname"],
                "email": manager.values["root.email"],
                "displayName": manager.values["root.displayName"],
            }
            employee.labels["work.reportsTo"] = manager.values["root.displayName"]
        for field_id, label in lists.items():
            if label is None:
                continue
            list_id = FIELDS_BY_ID[field_id].list_id or field_id
            if field_id == "work.department":
                employee.values[field_id] = DEPARTMENT_IDS[str(label)]
            elif isinstance(label, list):
                employee.values[field_id] = [list_item_id(list_id, item) for item in label]
            else:
                employee.values[field_id] = list_item_id(list_id, label)
            employee.labels[field_id] = label
        return employee


_FIRST = (
    "Lena",
    "Mateo",
    "Amélie",
    "Søren",
    "Chloé",
    "Jürgen",
    "Ingrid",
    "Giulia",
    "Björn",
    "Noé",
    "Ana",
    "Łukasz",
    "Zoltán",
    "Mei",
    "Aiko",
    "Omar",
    "Priya",
    "Ólafur",
    "Hélène",
    "Tomás",
)
_LAST = (
    "Schmidt",
    "García",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Nagy",
    "Johansson",
    "Ødegaard",
    "Jovanović",
    "Tanaka",
    "Haddad",
    "Sharma",
    "Silva",
    "Brennan",
    "Lüdenscheidt",
    "van der Berg",
    "Hernández",
    "Novák",
    "Åberg",
    "Petrović",
)
_TYPES = (
    "Full-Time",
    "Part-Time",
    "Contractor",
    "Intern",
    "Freelance",
    "Working Student",
    "Apprentice",
    "Trainee",
)
_TITLES = (
    "Software Engineer",
    "Product Designer",
    "Account Executive",
    "HR Generalist",
    "Data Analyst",
    "Support Specialist",
)
_FILLER_DEPARTMENTS = ("Engineering", "Design", "Sales", "People", "Account Receivables")


def seed_employees(count: int) -> list[FakeEmployee]:
    """Four named employees (a reportsTo chain) and realistic, deterministic colleagues."""
    build = EmployeeBuilder()
    zoe = build.build(
        "Zoë",
        "Müller",
        manager=None,
        lists={
            "work.title": "Chief Executive Officer",
            "work.department": "Management",
            "internal.lifecycleStatus": "Employed",
            "internal.status": "Active",
            "payroll.employment.type": "Full-Time",
            "personal.nationality": ["American"],
            "home.legalGender": "Female",
            "home.familyStatus": "Married",
            "address.country": "United States",
            "eeo.ethnicity": "White",
        },
        values={
            "root.creationDateTime": "2015-02-20T09:30:00.123456",
            "root.avatarUrl": "https://images.hibob.example/avatars/zoe.png",
            "work.startDate": "2015-03-01",
            "work.site": "New York",
            "work.siteId": int(SITE_IDS["New York"]),
            "payroll.employment.weeklyHours": 40,
            "personal.birthDate": "1980-04-12",
            "home.privateEmail": "zoe.mueller@example.org",
            "home.mobilePhone": "+1 212 555 0101",
            "address.line1": "1 Main Street",
            "address.line2": "Apt 4B",
            "address.city": "New York",
            "address.usaState": "NY",
            "address.postCode": "11201",
            "identification.ssn": "123-45-6789",
        },
    )
    jose = build.build(
        "José",
        "Núñez",
        manager=zoe,
        lists={
            "work.title": "VP Engineering",
            "work.department": "Engineering",
            "internal.lifecycleStatus": "Parental leave",
            "internal.status": "Active",
            "payroll.employment.type": "Part-Time",
            "personal.nationality": ["Spanish"],
            "home.legalGender": "Male",
            "home.familyStatus": "Domestic partnership",
            "address.country": "Spain",
            "eeo.ethnicity": "Hispanic or Latino",
        },
        values={
            "root.creationDateTime": "2016-08-01T07:00:00",
            "work.startDate": "2016-09-01",
            "work.site": "Madrid",
            "work.siteId": int(SITE_IDS["Madrid"]),
            "payroll.employment.weeklyHours": 30.5,
            "personal.birthDate": "1985-11-30",
            "home.privateEmail": "jose.nunez@example.org",
            "home.mobilePhone": "+34 600 123 456",
            "address.line1": "Calle de Alcalá 42",
            "address.city": "Madrid",
            "address.postCode": "28014",
        },
    )
    # Sparse: a hire who has not started yet, with only what the hiring flow filled in.
    asa = build.build(
        "Åsa",
        "Øberg",
        manager=jose,
        lists={"internal.lifecycleStatus": "Hired", "internal.status": "Inactive"},
        values={"work.startDate": "2031-01-05"},
    )
    li = build.build(
        "雷",
        "李",
        manager=asa,
        email="li.lei@acme-hr.example",
        lists={
            "work.title": "Data Analyst",
            "work.department": "Engineering",
            "internal.lifecycleStatus": "Terminated",
            "internal.status": "Inactive",
            "payroll.employment.type": "Working Student",
            "home.legalGender": "Prefer not to say",
        },
        values={
            "root.creationDateTime": "2022-01-10T12:00:00",
            "work.startDate": "2022-02-01",
            "internal.terminationDate": "2024-06-30",
            "payroll.employment.weeklyHours": 20,
        },
    )
    employees = [zoe, jose, asa, li]
    for n in range(max(0, count - len(employees))):
        lifecycle, status = "Employed", "Active"
        if n % 10 == 3:
            lifecycle, status = "Terminated", "Inactive"
        elif n % 17 == 5:
            lifecycle = "Garden leave"
        elif n % 29 == 7:
            lifecycle, status = "Hired", "Inactive"
        first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 7) % len(_LAST)]
        values: dict[str, Any] = {
            "root.creationDateTime": f"20{18 + n % 6}-0{1 + n % 9}-1{n % 10}T08:00:00",
            "work.startDate": f"20{18 + n % 6}-0{1 + n % 9}-1{n % 10}",
            "payroll.employment.weeklyHours": 40 if n % 4 else 24,
        }
        if lifecycle == "Terminated":
            values["internal.terminationDate"] = f"2024-0{1 + n % 9}-28"
        if n % 5:
            values["personal.birthDate"] = f"19{70 + n % 30}-0{1 + n % 9}-0{1 + n % 9}"
        if n % 3:
            values["home.privateEmail"] = f"{_ascii(first)}{n}@example.net"
        if n % 7:
            values |= {"address.line1": f"{n} Harbour Road", "address.city": "Dublin"}
            values |= {"work.site": "Dublin", "work.siteId": int(SITE_IDS["Dublin"])}
        employees.append(
            build.build(
                first,
                last,
                manager=zoe if n % 2 else jose,
                email=f"{_ascii(first)}.{_ascii(last)}.{n}@acme-hr.example",
                lists={
                    "work.title": _TITLES[n % len(_TITLES)],
                    "work.department": _FILLER_DEPARTMENTS[n % len(_FILLER_DEPARTMENTS)],
                    "internal.lifecycleStatus": lifecycle,
                    "internal.status": status,
                    "payroll.employment.type": _TYPES[n % len(_TYPES)],
                    "home.legalGender": ("Female", "Male", "Non-binary")[n % 3],
                    "address.country": "Ireland" if n % 7 else None,
                },
                values=values,
            )
        )
    return employees


def other_company_employees(count: int = 6) -> list[FakeEmployee]:
    """Another company's people: their own ids and `root.companyId`."""
    build = EmployeeBuilder(company_id=OTHER_COMPANY_ID, first_id=3_410_552_100_000_000_000)
    return [
        build.build(
            "Hank",
            f"Scorpio{n}",
            manager=None,
            email=f"hank.scorpio{n}@globex.example",
            lists={
                "work.title": "Engineer",
                "internal.lifecycleStatus": "Employed",
                "internal.status": "Active",
            },
            values={"work.startDate": "2021-01-04"},
        )
        for n in range(count)
    ]


POLICY_TYPES: dict[str, dict[str, Any]] = {
    "Holiday": {"activity": "paidTimeoff", "bookingWorkDaysOnly": True, "unit": "days"},
    "Sick": {"activity": "paidTimeoff", "bookingWorkDaysOnly": True, "unit": "days"},
    "Time Off in Lieu": {"activity": "paidTimeoff", "bookingWorkDaysOnly": False, "unit": "hours"},
}
ALLOWANCES = {"Holiday": 25.0, "Sick": 10.0, "Time Off in Lieu": 16.0}
# How far back `GET /timeoff/requests/changes` reaches (changelog: 6 months).
CHANGES_REACH = timedelta(days=183)


@dataclass
class TimeOffRequest:
    """A time off request and its history: (when, changeType, status) oldest first."""

    request_id: int
    employee: FakeEmployee
    policy_type: str
    kind: str
    start: date
    end: date
    status: str
    duration: float
    cost: float
    start_portion: str = "all_day"
    end_portion: str = "all_day"
    day_portion: str | None = None
    history: list[tuple[datetime, str, str]] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return str(POLICY_TYPES[self.policy_type]["unit"])

    def snapshot(self, status: str) -> dict[str, Any]:
        """The request as the Time off API shows it, with `status` at that time."""
        body: dict[str, Any] = {
            "requestId": self.request_id,
            "employeeId": self.employee.id,
            "employeeDisplayName": self.employee.values["root.displayName"],
            "employeeEmail": self.employee.values["root.email"],
            "policyTypeDisplayName": self.policy_type,
            "type": self.kind,
            "status": status,
            "durationUnit": self.unit,
            "totalDuration": self.duration,
            "totalCost": self.cost,
            "visibility": "Public",
        }
        if self.kind == "hours":
            body |= {"date": self.start.isoformat(), "hoursOnDate": int(self.duration)}
        else:
            body |= {"startDate": self.start.isoformat(), "endDate": self.end.isoformat()}
            if self.kind == "portionOnRange":
                body["dayPortion"] = self.day_portion
            else:
                body |= {"startPortion": self.start_portion, "endPortion": self.end_portion}
        return body


def seed_time_off(employees: list[FakeEmployee], now: datetime) -> list[TimeOffRequest]:
    """Requests of the named employees, dated around `now` (UTC), each with its history."""
    today = now.date()
    zoe, jose, asa, li = employees[:4]
    day = timedelta(days=1)
    requests = [
        # A week of holiday starting in the afternoon, approved the day after it was asked for.
        TimeOffRequest(
            5101,
            zoe,
            "Holiday",
            "days",
            today + 20 * day,
            today + 26 * day,
            "approved",
            duration=7,
            cost=4.5,
            start_portion="afternoon",
            history=[
                (now - 10 * day, "Created", "pending"),
                (now - 9 * day, "Updated", "approved"),
            ],
        ),
        # Still waiting for approval; ends at midday.
        TimeOffRequest(
            5102,
            jose,
            "Holiday",
            "days",
            today + 40 * day,
            today + 41 * day,
            "pending",
            duration=2,
            cost=1.5,
            end_portion="morning",
            history=[(now - 2 * day, "Created", "pending")],
        ),
        # Every morning of three days.
        TimeOffRequest(
            5103,
            jose,
            "Sick",
            "portionOnRange",
            today - 30 * day,
            today - 28 * day,
            "approved",
            duration=3,
            cost=1.5,
            day_portion="morning",
            history=[(now - 31 * day, "Created", "approved")],
        ),
        # Three hours on one day, on an hourly policy type.
        TimeOffRequest(
            5104,
            zoe,
            "Time Off in Lieu",
            "hours",
            today + 3 * day,
            today + 3 * day,
            "approved",
            duration=3,
            cost=3,
            history=[(now - 4 * day, "Created", "approved")],
        ),
        # Cancelled: gone from who's out, still in the changes.
        TimeOffRequest(
            5105,
            li,
            "Holiday",
            "days",
            today + 60 * day,
            today + 62 * day,
            "canceled",
            duration=3,
            cost=3,
            history=[
                (now - 8 * day, "Created", "approved"),
                (now - 3 * day, "Canceled", "canceled"),
            ],
        ),
        # Long ago: only a full read (who's out) still sees it.
        TimeOffRequest(
            5106,
            asa,
            "Sick",
            "days",
            today - 300 * day,
            today - 299 * day,
            "approved",
            duration=2,
            cost=2,
            history=[(now - 301 * day, "Created", "approved")],
        ),
        # Spans the turn of a month-long window of a full read: reported once.
        TimeOffRequest(
            5107,
            li,
            "Holiday",
            "days",
            today - 10 * day,
            today + 25 * day,
            "approved",
            duration=36,
            cost=26,
            history=[(now - 40 * day, "Created", "approved")],
        ),
    ]
    return requests


def seed_tables(employees: list[FakeEmployee]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Employee id -> table -> rows: salary, employment and work histories."""
    zoe, jose = employees[:2]
    tables: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for index, employee in enumerate(employees):
        start = str(employee.values.get("work.startDate") or "2020-01-01")
        title = employee.labels.get("work.title")
        kind = employee.labels.get("payroll.employment.type")
        tables[employee.id] = {
            "salaries": [
                {
                    "id": 900 + index,
                    "reason": "Hire",
                    "effectiveDate": start,
                    "base": {"value": 40_000 + 100 * index, "currency": "EUR"},
                    "payPeriod": "Annual",
                    "payFrequency": "Monthly",
                }
            ],
            "employment": [{"id": 700 + index, "effectiveDate": start, "type": kind}]
            if kind
            else [],
            "work": [{"id": 500 + index, "effectiveDate": start, "title": title}] if title else [],
        }
    tables[zoe.id] = {
        "salaries": [
            {
                "id": 1,
                "reason": "Promotion",
                "effectiveDate": "2020-01-01",
                "base": {"value": 185000, "currency": "usd"},
                "payPeriod": "Annual",
                "payFrequency": "Twice a month",
            },
            {
                "id": 2,
                "reason": "Hire",
                "effectiveDate": "2015-03-01",
                "base": {"value": 62.5, "currency": "USD"},
                "payPeriod": "Hourly",
                "payFrequency": "Every four weeks",
            },
        ],
        "employment": [
            {"id": 11, "effectiveDate": "2015-03-01", "type": "Contractor", "contract": "Fixed"},
            {"id": 12, "effectiveDate": "2019-06-01", "type": "Full-Time", "contract": "Permanent"},
        ],
        "work": [
            {"id": 21, "effectiveDate": "2015-03-01", "title": "Head of Operations"},
            {"id": 22, "effectiveDate": "2020-01-01", "title": "Chief Executive Officer"},
        ],
    }
    tables[jose.id]["salaries"][0] |= {"payPeriod": "Monthly", "payFrequency": "Every two weeks"}
    return tables


def _error(status: int, key: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps({"key": key, "error": message}),
        status=status,
        headers=headers or {},
        content_type="application/json",
    )


def _json(body: Any) -> Response:
    return Response(json.dumps(body), content_type="application/json")


def _unarchived(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**item, "children": _unarchived(item["children"])}
        for item in items
        if not item["archived"]
    ]


def _set(node: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _human(meta: FieldMeta, employee: FakeEmployee, value: Any) -> Any:
    if meta.id in employee.labels:
        return employee.labels[meta.id]
    if meta.type == "date":
        year, month, day = str(value).split("-")
        # Human-readable dates follow the calling user's date format.
        return f"{day}/{month}/{year}"
    if meta.type == "number":
        return str(value)
    return value


class FakeHiBob(FakeVendor):
    url_setting = "HIBOB_API_URL"

    def __init__(self, employees: int = 230) -> None:
        super().__init__()
        self.employee_count = employees
        self.employees = seed_employees(employees)
        self.other_employees = other_company_employees()
        self.time_off = seed_time_off(self.employees, datetime.now(UTC))
        self.tables = seed_tables(self.employees)
        self.service_users: dict[str, ServiceUser] = {}
        self.search_limit_per_minute: int | None = None
        self._searches: dict[str, list[float]] = {}
        self._state_lock = threading.Lock()

    def reset(self) -> None:
        """Back to the seeded companies: no service users, faults, requests or rate limit."""
        with self._lock:
            self.faults.clear()
        self.requests.clear()
        self.employees = seed_employees(self.employee_count)
        self.other_employees = other_company_employees()
        self.time_off = seed_time_off(self.employees, datetime.now(UTC))
        self.tables = seed_tables(self.employees)
        with self._state_lock:
            self.service_users.clear()
            self._searches.clear()
        self.search_limit_per_minute = None

    # --- what a HiBob admin does -------------------------------------------------------
    def add_service_user(
        self,
        *,
        categories: Iterable[str] = ALL_CATEGORIES,
        read_lists: bool = True,
        company_id: int = COMPANY_ID,
        features: Iterable[str] = FEATURES,
    ) -> tuple[str, str]:
        """Create a service user of a company in a permission group; returns (ID, token).
        By default the group is set up as the guide says: every category, list and feature."""
        assert FEATURES.issuperset(features), features
        user_id = f"SERVICE-{secrets.randbelow(90_000) + 10_000}"
        token = secrets.token_urlsafe(30)
        with self._state_lock:
            self.service_users[user_id] = ServiceUser(
                token, frozenset(categories), read_lists, company_id, frozenset(features)
            )
        return user_id, token

    def set_permissions(
        self,
        user_id: str,
        *,
        categories: Iterable[str] | None = None,
        read_lists: bool | None = None,
        features: Iterable[str] | None = None,
    ) -> None:
        with self._state_lock:
            user = self.service_users[user_id]
            if categories is not None:
                user.categories = frozenset(categories)
            if read_lists is not None:
                user.read_lists = read_lists
            if features is not None:
                user.features = frozenset(features)

    def delete_service_user(self, user_id: str) -> None:
        with self._state_lock:
            del self.service_users[user_id]

    def regenerate_token(self, user_id: str) -> str:
        with self._state_lock:
            self.service_users[user_id].token = secrets.token_urlsafe(30)
            return self.service_users[user_id].token

    def employee(self, email: str) -> FakeEmployee:
        return next(e for e in self.employees if e.values["root.email"] == email)

    def search_requests(self) -> list[dict[str, Any]]:
        return [
            json.loads(request.get_data())
            for request in self.requests
            if request.path == "/v1/people/search"
        ]

    # --- the API -------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        user = self._authenticate(request)
        if user is None:
            return _error(401, "unauthorized", "Unauthorized")
        user_id, service_user = user
        if request.path == "/v1/people/search" and request.method == "POST":
            return self._search(request, user_id, service_user)
        if request.path == "/v1/company/people/fields" and request.method == "GET":
            return Response(
                json.dumps([meta.as_metadata() for meta in FIELDS]),
                content_type="application/json",
            )
        if request.path.startswith("/v1/company/named-lists/") and request.method == "GET":
            name = request.path.removeprefix("/v1/company/named-lists/")
            if name not in NAMED_LISTS:
                return _error(404, "not.found", f"List {name} not found")
            if not service_user.read_lists:
                return _error(403, "forbidden", "Forbidden")
            items = NAMED_LISTS[name]
            if request.args.get("includeArchived") != "true":
                items = _unarchived(items)
            return _json({"name": name, "values": items, "items": items})
        if request.method == "GET" and request.path.startswith("/v1/timeoff/"):
            return self._time_off(request, service_user)
        if request.method == "GET" and request.path.startswith("/v1/people/"):
            return self._table(request, service_user)
        return _error(404, "not.found", "Not Found")

    # --- time off and employee tables ----------------------------------------------------
    def _staff(self, user: ServiceUser) -> list[FakeEmployee]:
        return self.employees if user.company_id == COMPANY_ID else self.other_employees

    def _time_off(self, request: Request, user: ServiceUser) -> Response:
        path = request.path.removeprefix("/v1/timeoff/")
        if path == "policy-types" or path.startswith("policy-types/"):
            if "time_off_settings" not in user.features:
                return _error(403, "forbidden", "Forbidden")
            if path == "policy-types":
                return _json({"policyTypes": list(POLICY_TYPES)})
            name = unquote(path.removeprefix("policy-types/"))
            if name not in POLICY_TYPES:
                return _error(404, "not.found", f"Policy type {name} not found")
            return _json({"name": name, **POLICY_TYPES[name]})
        if path == "whosout":
            if "whos_out" not in user.features:
                return _error(403, "forbidden", "Forbidden")
            return self._whos_out(request, user)
        if path == "requests/changes":
            if "whos_out" not in user.features:
                return _error(403, "forbidden", "Forbidden")
            return self._changes(request, user)
        if path.startswith("employees/") and path.endswith("/balance"):
            if "balances" not in user.features:
                return _error(403, "forbidden", "Forbidden")
            return self._balance(request, user, path.split("/")[1])
        return _error(404, "not.found", "Not Found")

    def _visible_requests(self, user: ServiceUser) -> list[TimeOffRequest]:
        staff = {employee.id for employee in self._staff(user)}
        return [r for r in self.time_off if r.employee.id in staff]

    def _whos_out(self, request: Request, user: ServiceUser) -> Response:
        try:
            start = date.fromisoformat(request.args["from"])
            end = date.fromisoformat(request.args["to"])
        except (KeyError, ValueError):
            return _error(400, "bad.request", "from and to must be dates (YYYY-MM-DD)")
        wanted = {"approved"} | (
            {"pending"} if request.args.get("includePending") == "true" else set()
        )
        outs = [
            r.snapshot(r.status.capitalize())
            for r in self._visible_requests(user)
            if r.status in wanted
            and r.start <= end
            and r.end >= start
            and (r.kind != "hours" or request.args.get("includeHourly") == "true")
        ]
        for out in outs:
            out["policyType"] = out["policyTypeDisplayName"]
        return _json({"outs": outs})

    def _changes(self, request: Request, user: ServiceUser) -> Response:
        try:
            since = datetime.fromisoformat(request.args["since"].replace("Z", "+00:00"))
        except (KeyError, ValueError):
            return _error(400, "bad.request", "since must be an ISO 8601 timestamp")
        if since.tzinfo is None or since < datetime.now(UTC) - CHANGES_REACH:
            return _error(400, "bad.request", "since may reach back 6 months at most")
        pending = request.args.get("includePending") == "true"
        events = sorted(
            (at, change, status, r)
            for r in self._visible_requests(user)
            for at, change, status in r.history
            if at >= since and (pending or status != "pending")
        )
        changes = [
            {"changeType": change, "changeReason": None, **r.snapshot(status)}
            for _at, change, status, r in events
        ]
        return _json({"changes": changes})

    def _balance(self, request: Request, user: ServiceUser, employee_id: str) -> Response:
        policy, day = request.args.get("policyType"), request.args.get("date")
        if not policy or not day:
            return _error(400, "bad.request", "policyType and date are required")
        staff = {employee.id: index for index, employee in enumerate(self._staff(user))}
        index = staff.get(employee_id)
        # Only some people have a policy of the hourly type.
        if (
            policy not in POLICY_TYPES
            or index is None
            or (policy == "Time Off in Lieu" and index % 3)
        ):
            return _error(404, "not.found", "No policy of this type for the employee")
        taken = sum(
            r.cost
            for r in self.time_off
            if r.employee.id == employee_id and r.policy_type == policy and r.status == "approved"
        )
        allowance = ALLOWANCES[policy]
        return _json(
            {
                "employeeId": employee_id,
                "policy": f"{policy} policy",
                "pointInTime": day,
                "annualAllowance": allowance,
                "startingBalance": allowance,
                "totalTaken": taken,
                "totalAdminAdjustments": 0,
                "totalSystemAdjustments": 0,
                "totalBalanceAsOfDate": allowance - taken,
                "totalRoundedBalanceAsOfDate": round(allowance - taken),
            }
        )

    def _table(self, request: Request, user: ServiceUser) -> Response:
        parts = request.path.removeprefix("/v1/people/").split("/")
        needs = {
            "salaries": "payroll_history",
            "employment": "employment_history",
            "work": "work_history",
        }
        if len(parts) != 2 or parts[1] not in needs:
            return _error(404, "not.found", "Not Found")
        employee_id, table = parts
        if needs[table] not in user.features:
            return _error(403, "forbidden", "Forbidden")
        if employee_id not in {employee.id for employee in self._staff(user)}:
            return _error(404, "not.found", "Employee not found")
        return _json({"values": self.tables.get(employee_id, {}).get(table, [])})

    def _authenticate(self, request: Request) -> tuple[str, ServiceUser] | None:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user_id, _, token = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        with self._state_lock:
            user = self.service_users.get(user_id)
        if user is None or not hmac.compare_digest(user.token.encode(), token.encode()):
            return None
        return user_id, user

    def _rate_limit(self, user_id: str) -> tuple[bool, dict[str, str]]:
        now = time.time()
        limit = self.search_limit_per_minute
        with self._state_lock:
            recent = [t for t in self._searches.get(user_id, []) if now - t < 60]
            allowed = limit is None or len(recent) < limit
            if allowed:
                recent.append(now)
            self._searches[user_id] = recent
        shown = limit if limit is not None else 50
        headers = {
            "X-RateLimit-Limit": str(shown),
            "X-RateLimit-Remaining": str(max(0, shown - len(recent))),
            "X-RateLimit-Reset": str(int((recent[0] if recent else now) + 60)),
        }
        return allowed, headers

    def _search(self, request: Request, user_id: str, user: ServiceUser) -> Response:
        allowed, limit_headers = self._rate_limit(user_id)
        if not allowed:
            return _error(429, "too.many.requests", "Too Many Requests", limit_headers)
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            return _error(400, "bad.request", "Malformed JSON")
        if not isinstance(body, dict):
            return _error(400, "bad.request", "The request body must be an object")
        if not user.categories:
            return _error(403, "forbidden", "The service user has no access to employees")
        field_ids = body.get("fields") or list(DEFAULT_FIELDS)
        if not isinstance(field_ids, list) or not all(isinstance(f, str) for f in field_ids):
            return _error(400, "bad.request", "fields must be a list of field IDs")
        if len(field_ids) > MAX_FIELDS:
            return _error(400, "bad.request", f"At most {MAX_FIELDS} fields may be requested")
        staff = self.employees if user.company_id == COMPANY_ID else self.other_employees
        matches = self._filter(staff, body.get("filters") or [])
        if isinstance(matches, Response):
            return matches
        if body.get("showInactive") is not True:
            matches = [e for e in matches if e.active]
        human = body.get("humanReadable")
        employees = [self._render(e, field_ids, user.categories, human) for e in matches]
        return Response(
            json.dumps({"employees": employees}),
            headers=limit_headers,
            content_type="application/json",
        )

    def _filter(self, staff: list[FakeEmployee], filters: Any) -> list[FakeEmployee] | Response:
        if not isinstance(filters, list) or len(filters) > 1:
            return _error(400, "bad.request", "At most one filter is supported")
        if not filters:
            return list(staff)
        wanted = filters[0]
        if (
            not isinstance(wanted, dict)
            or wanted.get("fieldPath") not in ("root.id", "root.email")
            or wanted.get("operator") != "equals"
            or not isinstance(wanted.get("values"), list)
        ):
            return _error(400, "bad.request", "Invalid filter")
        values = {str(v) for v in wanted["values"]}
        return [e for e in staff if str(e.values[wanted["fieldPath"]]) in values]

    def _render(
        self,
        employee: FakeEmployee,
        field_ids: list[str],
        categories: frozenset[str],
        human_mode: Any,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        readable: dict[str, Any] = {}
        for field_id in field_ids:
            meta = FIELDS_BY_ID.get(field_id)
            # The employee ID always comes back; other fields need their category.
            if meta is None or (meta.id != "root.id" and meta.category not in categories):
                continue
            value = employee.values.get(field_id)
            human = _human(meta, employee, value) if value is not None else None
            if human_mode == "REPLACE":
                value = human
            _set(out, meta.json_path, value)
            if value is not None:
                out["/" + field_id.replace(".", "/")] = {"value": value}
                if human_mode == "APPEND":
                    _set(readable, meta.json_path, human)
        if readable:
            out["humanReadable"] = readable
        return out
