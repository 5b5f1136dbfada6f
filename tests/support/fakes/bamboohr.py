"""A fake BambooHR API behind the gateway URL `/{companyDomain}/...`, as the docs describe it.

What it reproduces (see `integrations/tools/bamboohr/__init__.py` for the pages followed):
- HTTP Basic with the API key as username (any password); a missing, unknown, revoked or other
  company's key gets 401; an unknown company domain gets 404. Errors of the v1 API have an empty
  body and an `X-BambooHR-Error-Message` header; the v2 dataset answers RFC 7807 problem+json.
- v1 answers XML unless the request accepts `application/json`.
- `GET /v1/meta/fields`, `GET /v1/meta/lists`, `GET /v1/employees/changed?since=` and
  `POST /v2/datasets/employee/data` with `fields`, `filter` (`eeid eq '7' or ...`), `orderBy`,
  `page` and `pageSize`, `links` and `meta`, and per-key field access: a field the key's user
  may not read comes back empty (the dataset docs name no marker for it); a field name the
  company's dataset does not know is a 400. `GET /v1/datasets/employee/fields` lists the names
  (paged: `pagination.next_page`).
- `GET /v1/meta/time_off/types` (`{timeOffTypes, defaultHours}`), `GET /v1/time_off/requests`
  (required `start`/`end`, filters `status`, `type`, `employeeId`),
  `GET /v1/employees/{id}/time_off/calculator?end=` and `GET /v1/employees/{id}/tables/{table}`
  for `jobInfo` and `compensation`; a key without time off or table access gets 403.
- Per key: readable fields, dataset access and list access; keys can be revoked.
- Companies: `acme` (347 employees: unicode names, sparse records, terminated people, a future
  hire, a supervisor chain, departments and divisions, an archived department) and `globex`.
"""

from __future__ import annotations

import json
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.support.fakes.server import FakeVendor

# Every field of the `employee` dataset the fake knows; its rows always carry `eeid`.
DATASET_FIELDS = (
    "eeid",
    "employeeNumber",
    "firstName",
    "lastName",
    "preferredName",
    "email",
    "homeEmail",
    "mobilePhone",
    "gender",
    "maritalStatus",
    "status",
    "employmentStatus",
    "jobInformationJobTitle",
    "jobInformationDepartment",
    "jobInformationDivision",
    "jobInformationLocation",
    "supervisorEid",
    "hireDate",
    "terminationDate",
    "dateOfBirth",
    "addressLineOne",
    "city",
    "state",
    "zipcode",
    "country",
    "compensationPayRate",
)
READABLE_BY_DEFAULT = frozenset(DATASET_FIELDS)
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

# The classic field catalog `GET /v1/meta/fields` lists (id, name, type, alias).
META_FIELDS = (
    (1, "First Name", "text", "firstName"),
    (2, "Last Name", "text", "lastName"),
    (1358, "Preferred Name", "text", "preferredName"),
    (15, "Work Email", "email", "workEmail"),
    (16, "Home Email", "email", "homeEmail"),
    (13, "Mobile Phone", "phone", "mobilePhone"),
    (154, "Gender", "gender", "gender"),
    (156, "Marital Status", "marital_status", "maritalStatus"),
    (17, "Job Title", "list", "jobTitle"),
    (4, "Department", "list", "department"),
    (1355, "Division", "list", "division"),
    (18, "Location", "list", "location"),
    (91, "Reporting to", "employee", "supervisorEId"),
    (19, "Hire Date", "date", "hireDate"),
    (4045, "Termination Date", "date", "terminationDate"),
    (6, "Birth Date", "date", "dateOfBirth"),
    (7, "Address Line 1", "text", "address1"),
    (10, "City", "text", "city"),
    (11, "State", "state", "state"),
    (12, "Zip Code", "text", "zipcode"),
    (9, "Country", "country", "country"),
    (4313, "Employment Status", "list", "employmentHistoryStatus"),
    (4307, "Pay Rate", "currency", "payRate"),
)


@dataclass
class ListOption:
    id: int
    name: str
    archived: bool = False


@dataclass
class ListField:
    field_id: int
    alias: str
    name: str
    options: list[ListOption]


@dataclass
class TimeOffType:
    id: int
    name: str
    units: str
    color: str = "#3b8a3e"


@dataclass
class TimeOffRequest:
    id: int
    employee_id: str
    type_id: int
    start: str
    end: str
    amount: float
    status: str
    created: str
    last_changed: str
    employee_note: str | None = None
    dates: dict[str, float] = field(default_factory=dict)


@dataclass
class Balance:
    type_id: int
    balance: str
    used_year_to_date: str
    policy_type: str = "accruing"


@dataclass
class Company:
    domain: str
    employees: dict[str, dict[str, Any]]
    lists: list[ListField]
    # eeid -> (Inserted | Updated | Deleted, last changed)
    changes: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    # The names `GET /v1/datasets/employee/fields` lists: what this company's dataset knows.
    dataset_fields: tuple[str, ...] = DATASET_FIELDS
    time_off_types: list[TimeOffType] = field(default_factory=list)
    time_off_requests: list[TimeOffRequest] = field(default_factory=list)
    # eeid -> balances per time off type
    balances: dict[str, list[Balance]] = field(default_factory=dict)
    # (eeid, table) -> rows without their ids
    tables: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class KeyGrant:
    company: str
    readable: set[str]
    dataset: bool = True
    lists: bool = True
    time_off: bool = True
    tables: frozenset[str] = frozenset({"compensation", "jobInfo"})
    revoked: bool = False


class FakeBambooHr(FakeVendor):
    url_setting = "BAMBOOHR_API_URL"
    url_suffix = "/{subdomain}"

    def __init__(self) -> None:
        super().__init__()
        self.companies: dict[str, Company] = {}
        self.keys: dict[str, KeyGrant] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the seeded companies, with no keys, faults or recorded requests."""
        with self._lock:
            self.companies = {"acme": _acme(), "globex": _globex()}
            self.keys = {}
            self.faults.clear()
            self.requests.clear()

    # --- what tests change ----------------------------------------------------------------

    def issue_key(
        self,
        company: str,
        *,
        hidden: tuple[str, ...] = (),
        dataset: bool = True,
        lists: bool = True,
        time_off: bool = True,
        tables: frozenset[str] = frozenset({"compensation", "jobInfo"}),
    ) -> str:
        """A new 160-bit hex key whose user may read every field but `hidden`."""
        key = secrets.token_hex(20)
        with self._lock:
            self.keys[key] = KeyGrant(
                company,
                set(READABLE_BY_DEFAULT - set(hidden)),
                dataset=dataset,
                lists=lists,
                time_off=time_off,
                tables=tables,
            )
        return key

    def revoke_key(self, key: str) -> None:
        with self._lock:
            self.keys[key].revoked = True

    def hide_field(self, key: str, name: str) -> None:
        with self._lock:
            self.keys[key].readable.discard(name)

    def update_employee(self, company: str, eeid: str, when: datetime, **values: Any) -> None:
        with self._lock:
            self.companies[company].employees[eeid].update(values)
            self.companies[company].changes[eeid] = ("Updated", when)

    def delete_employee(self, company: str, eeid: str, when: datetime) -> None:
        with self._lock:
            del self.companies[company].employees[eeid]
            self.companies[company].changes[eeid] = ("Deleted", when)

    # --- the API --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/", 1)
        company = self.companies.get(parts[0])
        if company is None or len(parts) < 2:
            return _v1_error(404, "Company not found")
        grant = self._grant(request, company)
        if grant is None:
            return _v1_error(401, "Invalid API key")
        route = (request.method, parts[1].rstrip("/"))
        if route == ("GET", "v1/meta/fields"):
            return self._meta_fields(request)
        if route == ("GET", "v1/meta/lists"):
            return self._meta_lists(request, company, grant)
        if route == ("GET", "v1/employees/changed"):
            return self._changed(request, company)
        if route == ("POST", "v2/datasets/employee/data"):
            return self._dataset(request, company, grant)
        if route == ("GET", "v1/datasets/employee/fields"):
            return self._dataset_fields(request, company, grant)
        if route == ("GET", "v1/meta/time_off/types"):
            return self._time_off_types(request, company, grant)
        if route == ("GET", "v1/time_off/requests"):
            return self._time_off_requests(request, company, grant)
        employee_route = re.fullmatch(
            r"v1/employees/(\d+)/(time_off/calculator|tables/\w+)", route[1]
        )
        if request.method == "GET" and employee_route:
            eeid, resource = employee_route.groups()
            if eeid not in company.employees:
                return _v1_error(404, "Employee not found")
            if resource == "time_off/calculator":
                return self._calculator(request, company, grant, eeid)
            return self._table(request, company, grant, eeid, resource.removeprefix("tables/"))
        return _v1_error(404, "Not a valid API")

    def _grant(self, request: Request, company: Company) -> KeyGrant | None:
        auth = request.authorization
        if auth is None or auth.type != "basic" or not auth.username:
            return None
        with self._lock:
            grant = self.keys.get(auth.username)
        if grant is None or grant.revoked or grant.company != company.domain:
            return None
        return grant

    def _meta_fields(self, request: Request) -> Response:
        payload = [
            {"id": field_id, "name": name, "type": kind, "alias": alias}
            for field_id, name, kind, alias in META_FIELDS
        ]
        root = ET.Element("fields")
        for field_id, name, kind, alias in META_FIELDS:
            element = ET.SubElement(root, "field", id=str(field_id), type=kind, alias=alias)
            element.text = name
        return _v1_answer(request, payload, root)

    def _meta_lists(self, request: Request, company: Company, grant: KeyGrant) -> Response:
        if not grant.lists:
            return _v1_error(403, "You do not have access to this resource")
        payload = [
            {
                "fieldId": list_field.field_id,
                "alias": list_field.alias,
                "manageable": "yes",
                "multiple": "no",
                "name": list_field.name,
                "options": [
                    {
                        "id": option.id,
                        "archived": "yes" if option.archived else "no",
                        "createdDate": "2016-12-08T17:41:56+00:00",
                        "archivedDate": "2023-12-31T17:41:56+00:00" if option.archived else None,
                        "name": option.name,
                    }
                    for option in list_field.options
                ],
            }
            for list_field in company.lists
        ]
        root = ET.Element("lists")
        for list_field in company.lists:
            element = ET.SubElement(
                root, "list", fieldId=str(list_field.field_id), alias=list_field.alias
            )
            ET.SubElement(element, "name").text = list_field.name
            options = ET.SubElement(element, "options")
            for option in list_field.options:
                archived = "yes" if option.archived else "no"
                ET.SubElement(
                    options, "option", id=str(option.id), archived=archived
                ).text = option.name
        return _v1_answer(request, payload, root)

    def _changed(self, request: Request, company: Company) -> Response:
        since = _parse_since(request.args.get("since", ""))
        if since is None:
            return _v1_error(400, "Invalid or missing 'since' parameter")
        with self._lock:
            changes = {
                eeid: (action, when)
                for eeid, (action, when) in company.changes.items()
                if when >= since
            }
        latest = max((when for _, when in changes.values()), default=since)
        payload = {
            "latest": latest.isoformat(),
            "employees": {
                eeid: {"id": eeid, "action": action, "lastChanged": when.isoformat()}
                for eeid, (action, when) in sorted(changes.items(), key=lambda item: int(item[0]))
            },
        }
        root = ET.Element("employees", latest=latest.isoformat())
        for eeid, (action, when) in changes.items():
            ET.SubElement(root, "employee", id=eeid, action=action, lastChanged=when.isoformat())
        return _v1_answer(request, payload, root)

    def _dataset(self, request: Request, company: Company, grant: KeyGrant) -> Response:
        if not grant.dataset:
            return _problem(403, "Forbidden", "Insufficient permissions to access this dataset.")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _problem(400, "Bad Request", "The request body must be a JSON object.")
        fields = body.get("fields")
        if not isinstance(fields, list) or not fields:
            return _problem(400, "Bad Request", "fields is required.", code="INVALID_ARGUMENT")
        for name in fields:
            if name not in company.dataset_fields:
                return _problem(
                    400, "Bad Request", f"Invalid field name: employee_{name}", "INVALID_ARGUMENT"
                )
        page, page_size = body.get("page", 1), body.get("pageSize", 100)
        if not isinstance(page, int) or page < 1:
            return _problem(422, "Unprocessable Entity", "page must be at least 1.")
        if not isinstance(page_size, int) or not 1 <= page_size <= 1000:
            return _problem(422, "Unprocessable Entity", "pageSize must be 1 to 1000.")
        order = _parse_order(body.get("orderBy"), fields)
        if isinstance(order, Response):
            return order
        wanted_ids = _parse_id_filter(body.get("filter"))
        if isinstance(wanted_ids, Response):
            return wanted_ids
        with self._lock:
            employees = [dict(employee) for employee in company.employees.values()]
            readable = set(grant.readable)
        if wanted_ids is not None:
            employees = [employee for employee in employees if employee["eeid"] in wanted_ids]
        for order_field, descending in reversed(order):
            employees.sort(
                key=lambda employee: _sort_key(employee, order_field), reverse=descending
            )
        total_pages = max(1, -(-len(employees) // page_size))
        # A field the user may not read comes back empty; the dataset docs name no marker.
        rows = [
            {
                "fields": {
                    name: employee.get(name) if name == "eeid" or name in readable else None
                    for name in fields
                }
            }
            for employee in employees[(page - 1) * page_size : page * page_size]
        ]
        url = f"{self.base_url}/{company.domain}/v2/datasets/employee/data"
        links = {}
        if page < total_pages:
            links["next"] = f"{url}?page={page + 1}&pageSize={page_size}"
        if page > 1:
            links["prev"] = f"{url}?page={page - 1}&pageSize={page_size}"
        payload = {
            "data": rows,
            "links": links,
            "meta": {
                "page": page,
                "pageSize": page_size,
                "totalPages": total_pages,
                "totalItems": len(employees),
            },
        }
        return Response(
            json.dumps(payload),
            content_type="application/json",
            headers={"X-Request-ID": secrets.token_hex(8)},
        )

    def _dataset_fields(self, request: Request, company: Company, grant: KeyGrant) -> Response:
        if not grant.dataset:
            return _v1_error(403, "You do not have access to this resource")
        page = int(request.args.get("page", "1") or 1)
        page_size = 20
        names = company.dataset_fields
        total_pages = max(1, -(-len(names) // page_size))
        chunk = names[(page - 1) * page_size : page * page_size]
        url = f"{self.base_url}/{company.domain}/v1/datasets/employee/fields"
        payload = {
            "fields": [
                {"name": name, "label": name, "parentType": "employee", "parentName": "Employee"}
                for name in chunk
            ],
            "pagination": {
                "total_records": len(names),
                "current_page": page,
                "total_pages": total_pages,
                "next_page": f"{url}?page={page + 1}" if page < total_pages else None,
                "prev_page": f"{url}?page={page - 1}" if page > 1 else None,
            },
        }
        return Response(json.dumps(payload), content_type="application/json")

    def _time_off_types(self, request: Request, company: Company, grant: KeyGrant) -> Response:
        if not grant.time_off:
            return _v1_error(403, "You do not have access to time off")
        payload = {
            "timeOffTypes": [
                {
                    "id": kind.id,
                    "name": kind.name,
                    "units": kind.units,
                    "color": kind.color,
                    "icon": "palm-trees",
                }
                for kind in company.time_off_types
            ],
            "defaultHours": [{"name": "Monday", "amount": "8"}],
        }
        return Response(json.dumps(payload), content_type="application/json")

    def _time_off_requests(self, request: Request, company: Company, grant: KeyGrant) -> Response:
        start, end = request.args.get("start", ""), request.args.get("end", "")
        if not all(re.fullmatch(r"\d{4}-\d\d-\d\d", value) for value in (start, end)):
            return _v1_error(400, "Invalid or missing start/end date")
        if not grant.time_off:
            return _v1_error(403, "You do not have access to time off")
        statuses = {s for s in request.args.get("status", "").split(",") if s}
        types = {t for t in request.args.get("type", "").split(",") if t}
        employee = request.args.get("employeeId")
        with self._lock:
            chosen = [
                r
                for r in company.time_off_requests
                # `start` bounds each request's end date, `end` its start date.
                if r.end >= start
                and r.start <= end
                and (not statuses or r.status in statuses)
                and (not types or str(r.type_id) in types)
                and (employee is None or r.employee_id == employee)
            ]
        kinds = {kind.id: kind for kind in company.time_off_types}
        payload = [
            {
                "id": str(r.id),
                "employeeId": r.employee_id,
                "name": " ".join(
                    str(company.employees.get(r.employee_id, {}).get(part) or "")
                    for part in ("firstName", "lastName")
                ).strip(),
                "start": r.start,
                "end": r.end,
                "created": r.created,
                "status": {
                    "lastChanged": r.last_changed,
                    "lastChangedByUserId": "2369",
                    "status": r.status,
                },
                "type": {"id": str(r.type_id), "name": kinds[r.type_id].name, "icon": "palm"},
                "amount": {"unit": kinds[r.type_id].units, "amount": str(r.amount)},
                "actions": {"view": True, "edit": False, "cancel": False, "approve": False},
                "dates": {day: str(amount) for day, amount in r.dates.items()},
                "notes": {"employee": r.employee_note} if r.employee_note else {},
            }
            for r in chosen
        ]
        return Response(json.dumps(payload), content_type="application/json")

    def _calculator(
        self, request: Request, company: Company, grant: KeyGrant, eeid: str
    ) -> Response:
        if not grant.time_off:
            return _v1_error(403, "You do not have access to time off")
        end = request.args.get("end") or datetime.now(UTC).date().isoformat()
        kinds = {kind.id: kind for kind in company.time_off_types}
        payload = [
            {
                "timeOffType": str(entry.type_id),
                "name": kinds[entry.type_id].name,
                "units": kinds[entry.type_id].units,
                "balance": entry.balance,
                "end": end,
                "policyType": entry.policy_type,
                "usedYearToDate": entry.used_year_to_date,
            }
            for entry in company.balances.get(eeid, [])
        ]
        return Response(json.dumps(payload), content_type="application/json")

    def _table(
        self, request: Request, company: Company, grant: KeyGrant, eeid: str, table: str
    ) -> Response:
        if table not in ("compensation", "jobInfo"):
            return _v1_error(404, "Table not found")
        if table not in grant.tables:
            return _v1_error(403, "You do not have access to this table")
        rows = company.tables.get((eeid, table), [])
        payload = [
            {"id": str(number), "employeeId": eeid, **row}
            for number, row in enumerate(rows, start=1)
        ]
        return Response(json.dumps(payload), content_type="application/json")


# --- answers ------------------------------------------------------------------------------


def _v1_answer(request: Request, payload: Any, xml_root: ET.Element) -> Response:
    if "application/json" in request.headers.get("Accept", ""):
        return Response(json.dumps(payload), content_type="application/json")
    return Response(ET.tostring(xml_root, encoding="unicode"), content_type="application/xml")


def _v1_error(status: int, message: str) -> Response:
    return Response(b"", status=status, headers={"X-BambooHR-Error-Message": message})


def _problem(status: int, title: str, detail: str, code: str = "") -> Response:
    payload = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if code:
        payload["code"] = code
    return Response(
        json.dumps(payload),
        status=status,
        content_type="application/problem+json",
        headers={"X-Request-ID": secrets.token_hex(8)},
    )


def _parse_since(value: str) -> datetime | None:
    # The documented formats: yyyy-mm-ddThh:mm:ss followed by Z, +hh:mm, -hh:mm, +hhmm or -hhmm.
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:?\d\d)", value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parse_order(value: Any, fields: list[str]) -> list[tuple[str, bool]] | Response:
    if value is None:
        return []
    rules = []
    for rule in str(value).split(","):
        match = re.fullmatch(r"\s*(\w+)(?:\s+(asc|desc))?\s*", rule)
        if match is None:
            return _problem(400, "Bad Request", f"Invalid orderBy rule: {rule}", "UE-1001")
        if match.group(1) not in fields:
            return _problem(
                400, "Bad Request", "orderBy fields must be in the fields array.", "UE-1001"
            )
        rules.append((match.group(1), match.group(2) == "desc"))
    return rules


def _parse_id_filter(value: Any) -> set[str] | Response | None:
    """`eeid eq '7'` joined by `or` (the only filter the connector sends)."""
    if value is None:
        return None
    text = str(value)
    if " or " in text and " and " in text:
        return _problem(
            422, "Unprocessable Entity", "Mixed logical operators.", code="INVALID_FILTER"
        )
    ids = set()
    for clause in text.split(" or "):
        match = re.fullmatch(r"\s*eeid eq (?:'(\d+)'|(\d+))\s*", clause)
        if match is None:
            return _problem(
                422, "Unprocessable Entity", f"Unsupported filter: {clause}", "INVALID_FILTER"
            )
        ids.add(match.group(1) or match.group(2))
    return ids


def _sort_key(employee: dict[str, Any], name: str) -> tuple[int, Any]:
    value = employee.get(name)
    if name in ("eeid", "supervisorEid") and value is not None:
        return (1, int(value))
    return (0, "") if value is None else (1, str(value))


# --- seed data ----------------------------------------------------------------------------


def _employee(eeid: int, **values: Any) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(DATASET_FIELDS)
    record.update(eeid=str(eeid), employeeNumber=str(eeid), status="Active")
    record.update(values)
    return record


def _acme() -> Company:
    departments = ListField(
        4,
        "department",
        "Department",
        [
            ListOption(18, "Management"),
            ListOption(19, "Engineering"),
            ListOption(20, "Sales & Success"),
            ListOption(21, "People & Culture"),
            ListOption(22, "Legacy Operations", archived=True),
        ],
    )
    divisions = ListField(
        1355, "division", "Division", [ListOption(31, "Europe"), ListOption(32, "Asia Pacific")]
    )
    job_titles = ListField(17, "jobTitle", "Job Title", [ListOption(41, "Software Engineer")])
    locations = ListField(
        18,
        "location",
        "Location",
        [
            ListOption(51, "Berlin"),
            ListOption(52, "Madrid"),
            ListOption(53, "Lisbon", archived=True),
        ],
    )
    special = [
        _employee(
            1,
            firstName="Zoë",
            lastName="Müller",
            email="zoe.mueller@acme.example",
            mobilePhone="+49 170 1234567",
            gender="Female",
            maritalStatus="Married",
            employmentStatus="Full-Time",
            jobInformationJobTitle="Chief Executive Officer",
            jobInformationDepartment="Management",
            jobInformationDivision="Europe",
            jobInformationLocation="Berlin",
            hireDate="2015-03-01",
            terminationDate="0000-00-00",
            dateOfBirth="1980-02-29",
            compensationPayRate="180000.00 EUR",
        ),
        _employee(
            2,
            employeeNumber="E-0002",
            firstName="José",
            lastName="Núñez",
            preferredName="Pepe",
            email="jose.nunez@acme.example",
            homeEmail="pepe.nunez@correo.example",
            mobilePhone="+34 612 345 678",
            gender="Male",
            maritalStatus="Common Law",
            employmentStatus="Full-Time",
            jobInformationJobTitle="VP Engineering",
            jobInformationDepartment="Engineering",
            jobInformationDivision="Europe",
            jobInformationLocation="Madrid",
            supervisorEid="1",
            hireDate="2017-09-18",
            terminationDate="0000-00-00",
            dateOfBirth="1985-11-04",
            addressLineOne="Calle de Alcalá 42",
            city="Madrid",
            state="Madrid",
            zipcode="28014",
            country="Spain",
            compensationPayRate="120000.00 EUR",
        ),
        _employee(
            3,
            firstName="Åsa",
            lastName="Øberg",
            email="asa.oberg@acme.example",
            gender="Non-binary",
            maritalStatus="Single",
            employmentStatus="Part-Time",
            jobInformationJobTitle="Staff Engineer",
            jobInformationDepartment="Engineering",
            jobInformationDivision="Europe",
            supervisorEid="2",
            hireDate="2019-04-01",
            dateOfBirth="1990-06-15",
            city="Malmö",
            country="Sweden",
        ),
        # A sparse record: only what BambooHR insists on, and unset dates as 0000-00-00.
        _employee(
            4,
            employeeNumber=None,
            firstName="雷",
            lastName="李",
            email="li.lei@acme.example",
            employmentStatus="Contractor",
            supervisorEid="2",
            hireDate="0000-00-00",
            dateOfBirth="0000-00-00",
            terminationDate="0000-00-00",
        ),
        _employee(
            5,
            firstName="Ingrid",
            lastName="Bergström",
            email="ingrid.bergstrom@acme.example",
            status="Inactive",
            employmentStatus="Terminated",
            jobInformationJobTitle="Account Executive",
            jobInformationDepartment="Sales & Success",
            jobInformationDivision="Europe",
            supervisorEid="1",
            hireDate="2019-01-07",
            terminationDate="2023-06-30",
        ),
        # Hired, not started: BambooHR keeps future hires Inactive until their hire date.
        _employee(
            6,
            firstName="Kofi",
            lastName="Mensah",
            email="kofi.mensah@acme.example",
            status="Inactive",
            employmentStatus="Full-Time",
            jobInformationJobTitle="Software Engineer",
            jobInformationDepartment="Engineering",
            jobInformationDivision="Asia Pacific",
            supervisorEid="3",
            hireDate="2099-01-04",
        ),
        _employee(
            7,
            firstName="Chloé",
            lastName="Dubois",
            email="chloe.dubois@acme.example",
            employmentStatus="Intern",
            jobInformationJobTitle="People Intern",
            jobInformationDepartment="Legacy Operations",
            jobInformationDivision="Europe",
            jobInformationLocation="Lisbon",
            supervisorEid="1",
            hireDate="2024-09-02",
        ),
    ]
    first_names = ("Anna", "Björn", "Chiara", "Darius", "Elif", "Fatima", "Gustav", "Hiroshi")
    last_names = ("Schmidt", "Łukasiewicz", "O'Brien", "García", "Nakamura", "Okafor", "Novák")
    departments_cycle = ("Engineering", "Sales & Success", "People & Culture")
    filler = []
    for eeid in range(8, 348):
        first = first_names[eeid % len(first_names)]
        last = last_names[eeid % len(last_names)]
        terminated = eeid % 17 == 0
        filler.append(
            _employee(
                eeid,
                firstName=first,
                lastName=last,
                email=f"{first.lower()}.{eeid}@acme.example",
                status="Inactive" if terminated else "Active",
                employmentStatus="Terminated" if terminated else "Full-Time",
                jobInformationJobTitle="Software Engineer",
                jobInformationDepartment=departments_cycle[eeid % len(departments_cycle)],
                jobInformationDivision="Europe" if eeid % 2 else "Asia Pacific",
                # A chain: everyone reports to someone hired before them.
                supervisorEid=str(max(2, eeid // 3)),
                hireDate=f"20{10 + eeid % 14:02d}-0{1 + eeid % 9}-1{eeid % 10}",
                terminationDate="2024-03-31" if terminated else "0000-00-00",
            )
        )
    employees = {employee["eeid"]: employee for employee in special + filler}
    changes = dict.fromkeys(employees, ("Inserted", EPOCH))
    return Company(
        "acme",
        employees,
        [departments, divisions, job_titles, locations],
        changes,
        time_off_types=[
            TimeOffType(77, "Vacation", "days"),
            TimeOffType(78, "Sick", "hours"),
            TimeOffType(79, "Sabbatical", "weeks"),
        ],
        time_off_requests=_acme_requests(),
        balances={
            "1": [Balance(77, "12.50", "7.50"), Balance(78, "40.00", "16.00")],
            "2": [
                Balance(77, "-1.00", "26.00"),
                Balance(78, "0", "0", policy_type="discretionary"),
            ],
            "250": [Balance(77, "20.00", "0.00")],
        },
        tables=_acme_tables(),
    )


def _acme_requests() -> list[TimeOffRequest]:
    def days(*dates: str, amount: float = 1.0) -> dict[str, float]:
        return dict.fromkeys(dates, amount)

    return [
        TimeOffRequest(
            101,
            "2",
            77,
            "2025-08-04",
            "2025-08-06",
            3,
            "approved",
            "2025-06-02",
            "2025-06-03",
            "Summer in Asturias",
            days("2025-08-04", "2025-08-05", "2025-08-06"),
        ),
        TimeOffRequest(
            102, "3", 78, "2025-03-10", "2025-03-10", 4.5, "requested", "2025-03-01", "2025-03-01"
        ),
        TimeOffRequest(
            103, "1", 77, "2024-12-23", "2025-01-02", 6, "denied", "2024-11-01", "2024-11-05"
        ),
        TimeOffRequest(
            104, "2", 77, "2025-10-01", "2025-10-01", 0.5, "canceled", "2025-09-01", "2025-09-20"
        ),
        # A request replaced by its successor (the docs spell the status this way).
        TimeOffRequest(
            105, "250", 77, "2026-02-02", "2026-02-03", 2, "superceded", "2025-12-01", "2025-12-02"
        ),
        TimeOffRequest(
            106, "250", 79, "2030-01-07", "2030-01-18", 2, "approved", "2025-12-02", "2025-12-02"
        ),
    ]


def _acme_tables() -> dict[tuple[str, str], list[dict[str, Any]]]:
    def job(date: str, title: str, location: str | None) -> dict[str, Any]:
        return {
            "date": date,
            "location": location,
            "division": "Europe",
            "department": "Engineering",
            "jobTitle": title,
            "reportsTo": "Zoë Müller",
        }

    def pay(start: str, rate: str, paid_per: str | None, period: str | None) -> dict[str, Any]:
        return {
            "startDate": start,
            "endDate": None,
            "rate": rate,
            "type": "Salary" if paid_per != "Hour" else "Hourly",
            "exempt": "Exempt",
            "reason": "Promotion",
            "comment": "",
            "paidPer": paid_per,
            "payPeriod": period,
            "paySchedule": None,
            "overtimeRate": None,
        }

    return {
        ("2", "jobInfo"): [
            job("2017-09-18", "Senior Engineer", "Madrid"),
            job("2021-01-01", "VP Engineering", "Madrid"),
        ],
        ("2", "compensation"): [
            pay("2017-09-18", "65000.00 EUR", "Year", "Twice a month"),
            pay("2021-01-01", "120000.00 EUR", "Year", "Monthly"),
        ],
        ("3", "jobInfo"): [job("2019-04-01", "Staff Engineer", None)],
        ("3", "compensation"): [pay("2019-04-01", "45.50 SEK", "Hour", "Every other week")],
        # Paid per pay period, on a schedule BambooHR does not name: both stay unknown.
        ("4", "compensation"): [pay("2020-02-01", "3000 USD", "Pay Period", "Fortnightly-ish")],
    }


def _globex() -> Company:
    employees = {
        str(eeid): _employee(eeid, firstName=first, lastName=last, hireDate="2021-01-04")
        for eeid, (first, last) in enumerate((("Hank", "Scorpio"), ("Homer", "Simpson")), start=1)
    }
    changes = dict.fromkeys(employees, ("Inserted", EPOCH))
    departments = ListField(4, "department", "Department", [ListOption(18, "Doomsday Devices")])
    # A company whose dataset has no home email or gender fields: naming them is a 400.
    known = tuple(name for name in DATASET_FIELDS if name not in ("homeEmail", "gender"))
    return Company("globex", employees, [departments], changes, dataset_fields=known)
