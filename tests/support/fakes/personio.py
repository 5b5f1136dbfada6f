"""A fake of Personio's Personnel Data API v1, as documented on developer.personio.de.

- `POST /v1/auth` takes `client_id` / `client_secret` in a JSON or form body and answers
  `{"success": true, "data": {"token": "papi-..."}}`; the same token comes back for a credential
  until it expires (24 hours, or `expire_tokens()`). Credentials in the query string get 403
  (the announced deprecation); wrong, unknown or deleted credentials get 401.
- `GET /v1/company/employees?limit=&offset=&updated_since=` with `Authorization: Bearer`:
  `limit` defaults to 50 and may not exceed 100; `updated_since` ignores `limit` and `offset`.
  Each employee carries only the attributes the credential may read (plus `id`), each as
  `{"label", "value", "type", "universal_id"}`. The token comes back in the `Authorization`
  response header. An unknown or expired token gets 401, a credential without the Employees
  scope 403, both with the `{"success": false, "error": {"code", "message"}}` envelope.

- `GET /v1/company/employees/attributes`: the attributes whitelisted for the credential, as
  `{"success", "data": [{"key", "label", "type", "universal_id"}]}`, whether or not the company
  has employees. With `updated_since`, the employee listing pages like any other (changelog,
  November 2023).
- `GET /v1/company/time-off-types?limit=&offset=` (record offset, default limit 200): the
  `TimeOffType` resources. `GET /v1/company/time-offs?limit=&offset=&updated_from=`: absences
  counted in days, `offset` the page number (0 first), `metadata.current_page` one-based as in the
  reference's example, `updated_from` a date, inclusive. `GET
  /v1/company/employees/{id}/absences/balance`: `[{"id", "name", "category", "balance"}]` per
  absence type; 404 for an unknown employee. All three need the Absences scope (403 without).

- Companies: the seeded one (`employees`, ids from 1001) and, for "another company's
  credentials", `other_employees` (ids from 8001). A credential belongs to one company and reads
  only its employees. Personio's responses name no company (see the connector's docstring), so
  neither does the fake: only the employees differ.

The exact error messages are not documented; these are plausible ones.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.support.fakes.server import FakeVendor

SCOPE_EMPLOYEES = "employees:read"
SCOPE_ABSENCES = "absences:read"

# key -> (label, type, universal_id) for every attribute the fake knows.
ATTRIBUTES: dict[str, tuple[str, str, str | None]] = {
    "first_name": ("First name", "standard", "first_name"),
    "last_name": ("Last name", "standard", "last_name"),
    "email": ("Email", "standard", "email"),
    "gender": ("Gender", "standard", "gender"),
    "status": ("Status", "standard", "status"),
    "position": ("Position", "standard", "position"),
    "supervisor": ("Supervisor", "standard", "supervisor"),
    "employment_type": ("Employment type", "standard", "employment_type"),
    "weekly_working_hours": ("Weekly hours", "standard", "weekly_working_hours"),
    "hire_date": ("Hire date", "date", "hire_date"),
    "contract_end_date": ("Contract ends", "date", "contract_end_date"),
    "termination_date": ("Termination date", "date", "termination_date"),
    "created_at": ("created_at", "date", "created_at"),
    "last_modified_at": ("Last modified", "date", "last_modified_at"),
    "subcompany": ("Subcompany", "standard", "subcompany"),
    "office": ("Office", "standard", "office"),
    "department": ("Department", "standard", "department"),
    "team": ("Team", "standard", "team"),
    "cost_centers": ("Cost center", "standard", "cost_centers"),
    "fix_salary": ("Fix salary", "decimal", "fix_salary"),
    "fix_salary_interval": ("Salary interval", "standard", "fix_salary_interval"),
    "hourly_salary": ("Hourly salary", "decimal", "hourly_salary"),
    "dynamic_21827": ("IBAN", "standard", "iban"),
    "dynamic_24407": ("Titel", "standard", None),
}
ALL_ATTRIBUTES = frozenset(ATTRIBUTES)

DEPARTMENTS = {
    1001: "Geschäftsführung",
    1002: "Engineering",
    1003: "People & Culture",
    1004: "Sales",
    1005: "Customer Support",
}
TEAMS = {2001: "Platform", 2002: "Mobile", 2003: "Field Sales"}
COST_CENTERS = {3001: "CC-100 Headquarters", 3002: "CC-200 Product", 3003: "CC-300 Revenue"}
OFFICES = {4001: "München", 4002: "Madrid", 4003: "Stockholm"}
SUBCOMPANIES = {5001: "Acme GmbH", 5002: "Acme Iberia S.L."}

SEEDED_AT = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
RECENTLY = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeCredential:
    client_id: str
    client_secret: str
    scopes: set[str]
    readable_attributes: set[str]
    deleted: bool = False
    other_company: bool = False


@dataclass
class FakeEmployee:
    id: int
    values: dict[str, Any]
    updated_at: datetime = SEEDED_AT


@dataclass
class FakeTimeOffType:
    id: int
    name: str
    unit: str
    half_days: bool = True
    category: str | None = None


@dataclass
class FakeTimeOff:
    id: int
    employee_id: int
    type_id: int
    start: str
    end: str
    days: float
    status: str = "approved"
    half_day_start: bool = False
    half_day_end: bool = False
    comment: str | None = None
    created_at: str = "2025-01-10T09:00:00+01:00"
    updated_at: datetime = SEEDED_AT


@dataclass
class _Token:
    client_id: str
    expires_at: datetime


class FakePersonio(FakeVendor):
    url_setting = "PERSONIO_API_URL"

    def __init__(
        self,
        *,
        employees: list[FakeEmployee] | None = None,
        token_lifetime: timedelta = timedelta(hours=24),
    ) -> None:
        super().__init__()
        self.employees = seed_employees() if employees is None else employees
        self.other_employees = other_company_employees()
        self.time_off_types = seed_time_off_types()
        self.time_offs = seed_time_offs()
        # (employee id, time-off type id) -> days left; types without an entry show 0.
        self.balances = seed_balances()
        self.token_lifetime = token_lifetime
        self.credentials: dict[str, FakeCredential] = {}
        self.tokens: dict[str, _Token] = {}
        self._state = threading.Lock()

    # --- what tests change -------------------------------------------------------------------
    def reset(self) -> None:
        """Back to a freshly seeded company: no credentials, tokens, faults or requests."""
        with self._lock:
            self.faults.clear()
        with self._state:
            self.credentials.clear()
            self.tokens.clear()
        self.requests.clear()
        self.employees = seed_employees()
        self.other_employees = other_company_employees()
        self.time_off_types = seed_time_off_types()
        self.time_offs = seed_time_offs()
        self.balances = seed_balances()
        self.token_lifetime = timedelta(hours=24)

    def credential_create(
        self,
        *,
        scopes: Iterable[str] = (SCOPE_EMPLOYEES, SCOPE_ABSENCES),
        readable_attributes: Iterable[str] = ALL_ATTRIBUTES,
        other_company: bool = False,
    ) -> dict[str, str]:
        """A new API credential (of the other company's Personio when `other_company`); returns
        what a customer would paste into the form."""
        credential = FakeCredential(
            client_id=secrets.token_hex(12),
            client_secret=f"papi-{secrets.token_urlsafe(32)}",
            scopes=set(scopes),
            readable_attributes=set(readable_attributes),
            other_company=other_company,
        )
        self.credentials[credential.client_id] = credential
        return {"client_id": credential.client_id, "client_secret": credential.client_secret}

    def credential_delete(self, client_id: str) -> None:
        self.credentials[client_id].deleted = True

    def scope_remove(self, client_id: str, scope: str) -> None:
        self.credentials[client_id].scopes.discard(scope)

    def expire_tokens(self) -> None:
        with self._state:
            for token in self.tokens.values():
                token.expires_at = datetime.now(UTC) - timedelta(seconds=1)

    def employee(self, employee_id: int) -> FakeEmployee:
        return next(e for e in self.employees if e.id == employee_id)

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    # --- the API -----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.path == "/v1/auth" and request.method == "POST":
            return self._auth(request)
        if request.method != "GET":
            return _error(404, "The requested resource was not found.")
        if request.path == "/v1/company/employees":
            return self._employees(request)
        if request.path == "/v1/company/employees/attributes":
            return self._attributes(request)
        if request.path == "/v1/company/time-off-types":
            return self._time_off_types(request)
        if request.path == "/v1/company/time-offs":
            return self._time_offs(request)
        match = _BALANCE_PATH.fullmatch(request.path)
        if match:
            return self._balance(request, int(match["employee_id"]))
        return _error(404, "The requested resource was not found.")

    def _auth(self, request: Request) -> Response:
        if "client_id" in request.args or "client_secret" in request.args:
            return _error(403, "Credentials must be sent in the request body.")
        if request.is_json:
            payload = request.get_json(silent=True)
            body = payload if isinstance(payload, dict) else {}
        else:
            body = request.form
        client_id, client_secret = body.get("client_id"), body.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(client_secret, str):
            return _error(400, "The client_id and client_secret fields are required.")
        credential = self.credentials.get(client_id)
        if (
            credential is None
            or credential.deleted
            or not hmac.compare_digest(credential.client_secret, client_secret)
        ):
            return _error(401, "Wrong credentials")
        now = datetime.now(UTC)
        with self._state:
            for value, token in self.tokens.items():
                if token.client_id == client_id and token.expires_at > now:
                    return _json({"success": True, "data": {"token": value}})
            value = f"papi-{secrets.token_urlsafe(32)}"
            self.tokens[value] = _Token(client_id, now + self.token_lifetime)
        return _json({"success": True, "data": {"token": value}})

    def _credential_for(self, request: Request) -> tuple[FakeCredential | None, str]:
        header = request.headers.get("Authorization", "")
        value = header.removeprefix("Bearer ").strip()
        with self._state:
            token = self.tokens.get(value) if header.startswith("Bearer ") else None
        if token is None or token.expires_at <= datetime.now(UTC):
            return None, value
        credential = self.credentials.get(token.client_id)
        if credential is None or credential.deleted:
            return None, value
        return credential, value

    def _employees(self, request: Request) -> Response:
        credential, token = self._credential_for(request)
        if credential is None:
            return _error(401, "The access token is invalid or has expired.")
        if SCOPE_EMPLOYEES not in credential.scopes:
            return _error(403, "This API credential has no access to employees.")
        company = self.other_employees if credential.other_company else self.employees
        since = request.args.get("updated_since")
        if since is not None:
            try:
                moment = _parse_since(since)
            except ValueError:
                return _error(400, "The updated_since parameter is not a valid date.")
            company = [e for e in company if e.updated_at > moment]
        try:
            limit = int(request.args.get("limit", "50"))
            offset = int(request.args.get("offset", "0"))
        except ValueError:
            return _error(400, "limit and offset must be integers.")
        # The adoption guide announces a maximum of 100; its error wording is not public.
        if not 1 <= limit <= 100 or offset < 0:
            return _error(400, "limit must be between 1 and 100 and offset at least 0.")
        selected = company[offset : offset + limit]
        total_pages = math.ceil(len(company) / limit)
        current_page = offset // limit
        body = {
            "success": True,
            "metadata": {
                "total_elements": len(company),
                "current_page": current_page,
                "total_pages": total_pages,
            },
            "offset": offset,
            "limit": limit,
            "data": [
                {
                    "type": "Employee",
                    "attributes": _render(employee, credential.readable_attributes),
                }
                for employee in selected
            ],
        }
        response = _json(body)
        response.headers["Authorization"] = f"Bearer {token}"
        return response

    def _authorized(
        self, request: Request, scope: str, what: str
    ) -> tuple[FakeCredential | None, Response | None]:
        credential, _ = self._credential_for(request)
        if credential is None:
            return None, _error(401, "The access token is invalid or has expired.")
        if scope not in credential.scopes:
            return None, _error(403, f"This API credential has no access to {what}.")
        return credential, None

    def _attributes(self, request: Request) -> Response:
        credential, refusal = self._authorized(request, SCOPE_EMPLOYEES, "employees")
        if credential is None:
            assert refusal is not None
            return refusal
        data = [
            {"key": key, "label": label, "type": kind, "universal_id": universal_id}
            for key, (label, kind, universal_id) in ATTRIBUTES.items()
            if key in credential.readable_attributes
        ]
        return _json({"success": True, "data": data})

    def _time_off_types(self, request: Request) -> Response:
        credential, refusal = self._authorized(request, SCOPE_ABSENCES, "absences")
        if credential is None:
            assert refusal is not None
            return refusal
        try:
            limit = int(request.args.get("limit", "200"))
            offset = int(request.args.get("offset", "0"))
        except ValueError:
            return _error(400, "limit and offset must be integers.")
        if limit < 1 or offset < 0:
            return _error(400, "limit must be at least 1 and offset at least 0.")
        data = [
            {
                "type": "TimeOffType",
                "attributes": {
                    "id": kind.id,
                    "name": kind.name,
                    "category": kind.category,
                    "unit": kind.unit,
                    "half_day_requests_enabled": kind.half_days,
                    "certification_required": False,
                    "substitute_option": "disabled",
                    "approval_required": True,
                },
            }
            for kind in self.time_off_types[offset : offset + limit]
        ]
        return _json({"success": True, "data": data})

    def _time_offs(self, request: Request) -> Response:
        credential, refusal = self._authorized(request, SCOPE_ABSENCES, "absences")
        if credential is None:
            assert refusal is not None
            return refusal
        try:
            limit = int(request.args.get("limit", "200"))
            page = int(request.args.get("offset", "0"))
        except ValueError:
            return _error(400, "limit and offset must be integers.")
        if limit < 1 or page < 0:
            return _error(400, "limit must be at least 1 and offset at least 0.")
        day_types = {kind.id: kind for kind in self.time_off_types if kind.unit == "day"}
        company_ids = {
            e.id for e in (self.other_employees if credential.other_company else self.employees)
        }
        selected = [
            t for t in self.time_offs if t.type_id in day_types and t.employee_id in company_ids
        ]
        updated_from = request.args.get("updated_from")
        if updated_from is not None:
            try:
                day = date.fromisoformat(updated_from)
            except ValueError:
                return _error(400, "updated_from must be a date (YYYY-MM-DD).")
            selected = [t for t in selected if t.updated_at.date() >= day]
        employees = {e.id: e for e in self.employees}
        body = {
            "success": True,
            "metadata": {
                "total_elements": len(selected),
                "current_page": page + 1,
                "total_pages": math.ceil(len(selected) / limit),
            },
            "data": [
                _render_time_off(t, day_types[t.type_id], employees.get(t.employee_id))
                for t in selected[page * limit : (page + 1) * limit]
            ],
            "offset": page,
            "limit": limit,
        }
        return _json(body)

    def _balance(self, request: Request, employee_id: int) -> Response:
        credential, refusal = self._authorized(request, SCOPE_ABSENCES, "absences")
        if credential is None:
            assert refusal is not None
            return refusal
        company = self.other_employees if credential.other_company else self.employees
        if not any(e.id == employee_id for e in company):
            return _error(404, "Es ist ein Problem aufgetreten ")
        data = [
            {
                "id": kind.id,
                "name": kind.name,
                "category": kind.category,
                "balance": self.balances.get((employee_id, kind.id), 0),
            }
            for kind in self.time_off_types
        ]
        return _json({"success": True, "data": data})


_BALANCE_PATH = re.compile(r"/v1/company/employees/(?P<employee_id>\d+)/absences/balance")


def _render_time_off(
    time_off: FakeTimeOff, kind: FakeTimeOffType, employee: FakeEmployee | None
) -> dict[str, Any]:
    first = employee.values.get("first_name") if employee else None
    return {
        "type": "TimeOffPeriod",
        "attributes": {
            "id": time_off.id,
            "status": time_off.status,
            "start_date": f"{time_off.start}T00:00:00+0100",
            "end_date": f"{time_off.end}T00:00:00+0100",
            "days_count": time_off.days,
            # As a forum answer reports them: 0 and 1 rather than booleans.
            "half_day_start": int(time_off.half_day_start),
            "half_day_end": int(time_off.half_day_end),
            "time_off_type": {
                "type": "TimeOffType",
                "attributes": {"id": kind.id, "name": kind.name, "category": kind.category},
            },
            "employee": {
                "type": "Employee",
                "attributes": {
                    "id": {
                        "label": "ID",
                        "value": time_off.employee_id,
                        "type": "integer",
                        "universal_id": "id",
                    },
                    "first_name": {
                        "label": "First name",
                        "value": first,
                        "type": "standard",
                        "universal_id": "first_name",
                    },
                },
            },
            "certificate": {"status": "not-required"},
            "created_at": time_off.created_at,
            "updated_at": time_off.updated_at.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "comment": time_off.comment,
        },
    }


def _parse_since(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _render(employee: FakeEmployee, readable: set[str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "id": {"label": "ID", "value": employee.id, "type": "integer", "universal_id": "id"}
    }
    for key, (label, kind, universal_id) in ATTRIBUTES.items():
        if key in readable:
            attributes[key] = {
                "label": label,
                "value": employee.values.get(key),
                "type": kind,
                "universal_id": universal_id,
            }
    return attributes


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"success": False, "error": {"code": status, "message": message}}, status)


# --- seed data ---------------------------------------------------------------------------------
def _ref(kind: str, ref_id: int | None, names: dict[int, str]) -> dict[str, Any] | None:
    if ref_id is None:
        return None
    return {"type": kind, "attributes": {"id": ref_id, "name": names[ref_id]}}


def _supervisor(employee_id: int | None) -> dict[str, Any] | None:
    if employee_id is None:
        return None
    return {
        "type": "Employee",
        "attributes": {
            "id": {"label": "ID", "value": employee_id, "type": "integer", "universal_id": "id"}
        },
    }


def _date(value: str | None) -> str | None:
    return None if value is None else f"{value}T00:00:00+01:00"


def _employee(
    employee_id: int,
    first: str | None,
    last: str | None,
    *,
    email: str | None = None,
    gender: str | None = None,
    status: str = "active",
    position: str | None = None,
    supervisor: int | None = None,
    employment_type: str = "internal",
    hours: str | None = None,
    hire: str | None = None,
    termination: str | None = None,
    department: int | None = None,
    team: int | None = None,
    cost_centers: tuple[int, ...] = (),
    office: int | None = None,
    subcompany: int | None = None,
    iban: str | None = None,
    title: str | None = None,
    salary: tuple[float, str] | None = None,
    hourly: float | None = None,
    updated_at: datetime = SEEDED_AT,
) -> FakeEmployee:
    return FakeEmployee(
        id=employee_id,
        updated_at=updated_at,
        values={
            "first_name": first,
            "last_name": last,
            "email": email,
            "gender": gender,
            "status": status,
            "position": position,
            "supervisor": _supervisor(supervisor),
            "employment_type": employment_type if hours else None,
            "weekly_working_hours": hours,
            "hire_date": _date(hire),
            "contract_end_date": None,
            "termination_date": _date(termination),
            "created_at": "2019-02-01T10:15:00+01:00",
            "last_modified_at": updated_at.isoformat(),
            "subcompany": _ref("Subcompany", subcompany, SUBCOMPANIES),
            "office": _ref("Office", office, OFFICES),
            "department": _ref("Department", department, DEPARTMENTS),
            "team": _ref("Team", team, TEAMS),
            "cost_centers": [
                {
                    "type": "CostCenter",
                    "attributes": {
                        "id": cc,
                        "name": COST_CENTERS[cc],
                        "percentage": 100 // len(cost_centers),
                    },
                }
                for cc in cost_centers
            ],
            "fix_salary": salary[0] if salary else 0,
            "fix_salary_interval": salary[1] if salary else None,
            "hourly_salary": hourly or 0,
            "dynamic_21827": iban,
            "dynamic_24407": title,
        },
    )


ZOE, JOSE, ASA, LI_LEI, CHLOE, NOA, ANA = 1001, 1002, 1003, 1004, 1005, 1006, 1007

_FIRST_NAMES = (
    "Lukas", "Emma", "Mateo", "Sofía", "Jonas", "Léa", "Noah", "Mia", "Elias", "Hanna",
    "Finn", "Ida", "Luca", "Greta", "Oskar", "Marta", "Pablo", "Inés", "Erik", "Freja",
)  # fmt: skip
_LAST_NAMES = (
    "Schmidt", "García", "Lindqvist", "Rossi", "Dubois", "Novák", "Kowalski", "Jensen",
    "Costa", "Weber", "Fernández", "Bianchi", "Müller", "Larsen", "Moreau",
)  # fmt: skip


def seed_employees(total: int = 57) -> list[FakeEmployee]:
    """A small company: a manager chain, unicode names, leavers, sparse records, filler staff."""
    people = [
        _employee(
            ZOE, "Zoë", "Müller", email="zoe.mueller@acme.example", gender="female",
            position="Geschäftsführerin", hours="40", hire="2016-04-01", department=1001,
            cost_centers=(3001,), office=4001, subcompany=5001,
            iban="DE89 3704 0044 0532 0130 00", title="Dr.", salary=(9500, "monthly"),
        ),
        _employee(
            JOSE, "José", "Núñez", email="jose.nunez@acme.example", gender="male",
            position="CTO", supervisor=ZOE, hours="40", hire="2017-09-15", department=1002,
            team=2001, cost_centers=(3002, 3001), office=4002, subcompany=5002,
            iban="ES91 2100 0418 4502 0005 1332", salary=(98000, "yearly"),
        ),
        _employee(
            ASA, "Åsa", "Øberg", email="asa.oberg@acme.example", gender="diverse",
            position="Engineering Manager", supervisor=JOSE, hours="38.5", hire="2019-03-01",
            department=1002, team=2001, cost_centers=(3002,), office=4003, subcompany=5001,
        ),
        _employee(
            LI_LEI, "雷", "李", email="li.lei@acme.example", gender="male", status="onboarding",
            position="Mobile Developer", supervisor=ASA, hours="20", hire="2025-04-01",
            department=1002, team=2002, office=4001, subcompany=5001, hourly=21.5,
            updated_at=RECENTLY,
        ),
        _employee(
            CHLOE, "Chloé", "Dubois", email="chloe.dubois@acme.example", gender="female",
            status="inactive", position="Account Executive", supervisor=ZOE, hours="40",
            hire="2020-01-06", termination="2025-02-28", department=1004, team=2003,
            cost_centers=(3003,), office=4001, subcompany=5001, updated_at=RECENTLY,
        ),
        _employee(NOA, "Noa", None, email="noa@acme.example"),
        _employee(
            ANA, "Ana Lucía", "Pérez", email="ana.perez@acme.example", gender="female",
            status="leave", position="People Partner", supervisor=ZOE, hours="30",
            hire="2021-06-01", department=1003, cost_centers=(3001,), office=4002,
            subcompany=5002,
        ),
    ]  # fmt: skip
    departments = (1002, 1004, 1005, 1003)
    for index in range(total - len(people)):
        first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
        last = _LAST_NAMES[(index * 7) % len(_LAST_NAMES)]
        department = departments[index % len(departments)]
        people.append(
            _employee(
                2000 + index,
                first,
                last,
                email=f"{first.lower()}.{last.lower()}{index}@acme.example",
                gender=("male", "female", None)[index % 3],
                status="inactive" if index % 11 == 10 else "active",
                position=("Software Engineer", "Sales Representative", "Support Agent")[index % 3],
                supervisor=ASA if department == 1002 else ZOE,
                hours="40" if index % 4 else "24",
                hire=f"20{18 + index % 7}-0{1 + index % 9}-01",
                termination="2024-12-31" if index % 11 == 10 else None,
                department=department,
                team=2001 if department == 1002 else None,
                office=(4001, 4002, 4003)[index % 3],
                subcompany=5001,
            )
        )
    return people


def other_company_employees(total: int = 12) -> list[FakeEmployee]:
    """Another company's staff: its own ids, names and addresses."""
    return [
        _employee(
            8001 + index,
            _FIRST_NAMES[(index * 3) % len(_FIRST_NAMES)],
            _LAST_NAMES[(index * 5) % len(_LAST_NAMES)],
            email=f"person{index}@globex.example",
            position="Analyst",
            hours="40",
            hire="2022-05-01",
            department=1002,
            office=4002,
            subcompany=5002,
        )
        for index in range(total)
    ]


VACATION, SICK_DAYS, HOME_OFFICE_HOURS = 1234, 1236, 1235


def seed_time_off_types() -> list[FakeTimeOffType]:
    """The reference's two example types, and sick days that take no half days."""
    return [
        FakeTimeOffType(VACATION, "Paid vacation", "day"),
        FakeTimeOffType(HOME_OFFICE_HOURS, "Home office", "hour", category="offsite_work"),
        FakeTimeOffType(SICK_DAYS, "Sick days", "day", half_days=False),
    ]


def seed_time_offs() -> list[FakeTimeOff]:
    return [
        FakeTimeOff(
            9001, ZOE, VACATION, "2025-03-10", "2025-03-14", 5,
            created_at="2025-02-01T08:00:00+0100",
        ),
        FakeTimeOff(
            9002, JOSE, VACATION, "2025-04-01", "2025-04-02", 1.5, status="pending",
            half_day_start=True, comment="Dentist in the morning", updated_at=RECENTLY,
        ),
        FakeTimeOff(9003, ASA, SICK_DAYS, "2025-01-07", "2025-01-07", 1),
        # Counted in hours: not served by /company/time-offs.
        FakeTimeOff(9004, ASA, HOME_OFFICE_HOURS, "2025-01-08", "2025-01-08", 0.5),
    ]  # fmt: skip


def seed_balances() -> dict[tuple[int, int], float]:
    return {(ZOE, VACATION): 14, (JOSE, VACATION): 20.5, (ASA, SICK_DAYS): 2}
