"""A fake Gusto (`https://api.gusto.com`): its OAuth 2.0 consent page and token endpoint, and
the App Integrations API, as Gusto's public docs describe them (the pages are listed in
`integrations/tools/gusto/__init__.py`).

- `GET /oauth/authorize?client_id&redirect_uri&response_type=code[&state]`: the registered
  app's consent page. An unknown client or a redirect URI that is not exactly a registered one
  gets an HTML error page and no redirect (RFC 6749 §4.1.2.1); another `response_type` is sent
  back as `unsupported_response_type`. The page stands for the signed-in admin: a `<select
  name="company">` of the companies they administer, the app's scopes (fixed on the app, none
  requested) and Allow / Deny buttons posting to the same path. Allow -> `redirect_uri?code&
  state`; Deny -> `redirect_uri?error=access_denied&state`. The code lives 10 minutes, is
  single use, and only with the same `redirect_uri`.
- `POST /oauth/token`: the parameters and the client credentials in one JSON body; any other
  client authentication (form body, HTTP Basic, none) is `invalid_client` (401), and a
  `client_secret` in the URL is a 400. `authorization_code` and `refresh_token` grants; errors
  per RFC 6749 §5.2. Access tokens live 7200 s. A refresh returns a new access AND refresh
  token; the used refresh token (and the access token issued with it) stays valid until the
  NEW access token is first used on the API, then dies: a refresh whose answer was lost can be
  repeated with the old refresh token as long as the new access token was never used.
- The API (Bearer token, `X-Gusto-API-Version`: malformed or older than the app's minimum ->
  406; echoed back): `GET /v1/token_info`, `GET /v1/companies/{uuid}/employees` (`page`,
  `per`, `terminated`, `X-Page`/`X-Per-Page`/`X-Total-Count`/`X-Total-Pages`),
  `GET /v1/companies/{uuid}/departments`. A missing scope is 403 (`missing_permissions`);
  another company's uuid is 404 (a token reaches one company); a dead token 401
  (`invalid_token`). 200 requests a minute per grant in a rolling window, then 429 with
  `Retry-After`.

Where Gusto's docs are silent the fake follows RFC 6749 (token errors) and Gusto's documented
error shape `{"errors": [{"error_key", "category", "message"}]}`; the largest `per` is taken
to be 100.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import math
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.support.fakes.oauth import (
    FakeOAuthVendor,
    consent_form,
    drop_connection,
    json_response,
    oauth_error,
    redirect_back,
)

# The sample application of Gusto's OAuth2 guide.
CLIENT_ID = "bbb286ff1a4fe6b84742b0d49b8d0d65bd0208d27d3d50333591df71c45da519"
CLIENT_SECRET = "cb06cb755b868a819ead51671f0f7e9c35c7c4cbbae0e38bef167e0e4ba64ee6"
REDIRECT_URI = "https://kombo.example.com/connect/oauth/gusto/callback"
APP_NAME = "Kombo Connect"
APP_SCOPES = ("companies:read", "departments:read", "employees:read")
MIN_API_VERSION = "2024-04-01"
ACCESS_TOKEN_SECONDS = 7200
CODE_SECONDS = 600
RATE_LIMIT_PER_MINUTE = 200
MAX_PER = 100
DEFAULT_PER = 25

# The company of the token info example, and the one of the Employee schema's example.
COMPANY_UUID = "5eca5127-6048-43ad-91ee-b56a0c34bc85"
COMPANY_NAME = "Ye Olde Wig Shoppe"
OTHER_COMPANY_UUID = "e904cc79-818a-4da8-9d37-0be0a86fdda8"
OTHER_COMPANY_NAME = "Crooked Timber Books"
ADMIN_UUID = "367871c2-3f70-4874-adc9-f1736647e8e1"
EMPLOYEE_COUNT = 130

_NAMESPACE = uuid.UUID("0f5b3c2e-4d6a-4b8e-9c1d-2e3f4a5b6c7d")
_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")


def _uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _version(name: str) -> str:
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def _job(employee_uuid: str, title: str | None, hire_date: str) -> dict[str, Any]:
    job_uuid = _uuid(f"job:{employee_uuid}")
    return {
        "uuid": job_uuid,
        "version": _version(job_uuid),
        "employee_uuid": employee_uuid,
        "current_compensation_uuid": _uuid(f"compensation:{employee_uuid}"),
        "payment_unit": "Year",
        "primary": True,
        "two_percent_shareholder": False,
        "state_wc_covered": None,
        "state_wc_class_code": None,
        "title": title,
        "rate": "80000.00",
        "hire_date": hire_date,
    }


def employee_record(
    company_uuid: str,
    *,
    uuid_: str,
    first_name: str,
    last_name: str,
    title: str | None,
    hire_date: str,
    department: dict[str, Any] | None = None,
    **values: Any,
) -> dict[str, Any]:
    """One employee in the Employee schema's shape (its `x-examples` success_status)."""
    record: dict[str, Any] = {
        "uuid": uuid_,
        "first_name": first_name,
        "middle_initial": None,
        "last_name": last_name,
        "email": None,
        "company_uuid": company_uuid,
        "manager_uuid": None,
        "version": _version(uuid_),
        "current_employment_status": "full_time",
        "onboarding_status": "onboarding_completed",
        "preferred_first_name": None,
        "department_uuid": department["uuid"] if department else None,
        "employee_code": uuid_[:6],
        "payment_method": "Direct Deposit",
        "department": department["title"] if department else None,
        "terminated": False,
        "two_percent_shareholder": False,
        "onboarded": True,
        "historical": False,
        "has_ssn": True,
        "onboarding_documents_config": {"uuid": None, "i9_document": False},
        "jobs": [_job(uuid_, title, hire_date)],
        "eligible_paid_time_off": [],
        "terminations": [],
        "garnishments": [],
        "date_of_birth": None,
        "ssn": "",
        "phone": None,
        "work_email": None,
    }
    record.update(values)
    return record


def _termination(employee_uuid: str, effective_date: str, *, active: bool) -> dict[str, Any]:
    termination_uuid = _uuid(f"termination:{employee_uuid}")
    return {
        "uuid": termination_uuid,
        "version": _version(termination_uuid),
        "employee_uuid": employee_uuid,
        "active": active,
        "cancelable": not active,
        "effective_date": effective_date,
        "run_termination_payroll": False,
    }


def _department(company_uuid: str, title: str) -> dict[str, Any]:
    department_uuid = _uuid(f"department:{company_uuid}:{title}")
    return {
        "uuid": department_uuid,
        "company_uuid": company_uuid,
        "title": title,
        "version": _version(department_uuid),
        "employees": [],
        "contractors": [],
    }


_FIRST = ("Ada", "Bao", "Chioma", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ines", "Jonas")
_LAST = ("Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Umar", "Vega")
_TITLES = ("Wig Stylist", "Barber", "Shop Assistant", "Bookkeeper", "Courier")


@dataclass
class Company:
    uuid: str
    name: str
    employees: list[dict[str, Any]]
    departments: list[dict[str, Any]]


def seed_company(today: date) -> Company:
    """The main company: a handful of employees in documented example shapes, then staff."""
    c = COMPANY_UUID
    departments = [
        _department(c, title) for title in ("Stage Hand", "Styling", "Front Desk", "Finance")
    ]
    stage, styling, _front_desk, finance = departments
    owner = "d7282d99-ab6b-42f5-ba45-f4a670e886a8"
    later = (today + timedelta(days=30)).isoformat()
    employees = [
        employee_record(
            c,
            uuid_=owner,
            first_name="Boaty",
            last_name="Koss",
            title="Owner",
            hire_date="2024-06-09",
            department=finance,
            email="keena.feest@kiehn.co.uk",
            work_email="boaty.koss@wigshoppe.example",
            date_of_birth="2005-06-09",
            employee_code="46f036",
        ),
        employee_record(
            c,
            uuid_=_uuid("soren"),
            first_name="Soren",
            last_name="Kierkegaard",
            title="Head Stylist",
            hire_date="2021-03-01",
            department=styling,
            middle_initial="A",
            preferred_first_name="Søren",
            email="knight0faith@example.com",
            work_email="soren@wigshoppe.example",
            phone="8001234567",
            date_of_birth="1995-05-05",
            manager_uuid=owner,
            current_employment_status="part_time_twenty_plus_hours",
        ),
        employee_record(
            c,
            uuid_="9779767c-6044-48e0-bf68-aeb370b9a2e7",
            first_name="Nicole",
            last_name="Boehm",
            title="Stage Hand",
            hire_date="2019-01-14",
            department=stage,
            middle_initial="M",
            email="kory7757869450111548@barton-hermiston.io",
            manager_uuid=owner,
            terminated=True,
            terminations=[
                _termination("9779767c-6044-48e0-bf68-aeb370b9a2e7", "2023-08-31", active=True)
            ],
        ),
        employee_record(
            c,
            uuid_=_uuid("leaving"),
            first_name="Isaiah",
            last_name="Berlin",
            title="Bookkeeper",
            hire_date="2020-09-01",
            department=finance,
            manager_uuid=owner,
            terminated=True,
            current_employment_status="seasonal",
            terminations=[_termination(_uuid("leaving"), later, active=False)],
        ),
        employee_record(
            c,
            uuid_=_uuid("newcomer"),
            first_name="Greta",
            last_name="Lindqvist",
            title=None,
            hire_date=later,
            department=None,
            manager_uuid=owner,
            onboarded=False,
            onboarding_status="self_onboarding_invited",
            current_employment_status=None,
            jobs=[],
        ),
    ]
    for index in range(EMPLOYEE_COUNT - len(employees)):
        first, last = _FIRST[index % len(_FIRST)], _LAST[index % len(_LAST)]
        department = departments[index % len(departments)]
        employee_uuid = _uuid(f"staff:{index}")
        employees.append(
            employee_record(
                c,
                uuid_=employee_uuid,
                first_name=first,
                last_name=f"{last} {index}",
                title=_TITLES[index % len(_TITLES)],
                hire_date=(date(2022, 1, 3) + timedelta(days=7 * index)).isoformat(),
                department=department,
                work_email=f"{first.lower()}.{index}@wigshoppe.example",
                manager_uuid=owner,
            )
        )
    for department in departments:
        department["employees"] = [
            {"uuid": e["uuid"]} for e in employees if e["department_uuid"] == department["uuid"]
        ]
    return Company(COMPANY_UUID, COMPANY_NAME, employees, departments)


def seed_other_company() -> Company:
    c = OTHER_COMPANY_UUID
    shop = _department(c, "Shop")
    employees = [
        employee_record(
            c,
            uuid_=_uuid(f"other:{index}"),
            first_name=first,
            last_name="Marlowe",
            title="Bookseller",
            hire_date="2023-02-01",
            department=shop,
        )
        for index, first in enumerate(("Wren", "Otto", "Pia"))
    ]
    shop["employees"] = [{"uuid": e["uuid"]} for e in employees]
    return Company(c, OTHER_COMPANY_NAME, employees, [shop])


@dataclass
class Grant:
    """One admin's consent for the app on one company."""

    company_uuid: str
    scopes: tuple[str, ...]
    revoked: bool = False
    api_calls: list[float] = field(default_factory=list)


@dataclass
class TokenRow:
    """An access token and the refresh token issued with it (one row, as OAuth servers keep
    them); `previous` is the row whose refresh token was used to get this one."""

    access_token: str
    refresh_token: str | None
    grant: Grant
    expires_at: float
    previous: TokenRow | None = None
    revoked: bool = False
    used: bool = False


@dataclass
class AuthorizationCode:
    grant: Grant
    redirect_uri: str
    expires_at: float
    used: bool = False


def _error(status: int, category: str, message: str, **headers: str) -> Response:
    body = {"errors": [{"error_key": "request", "category": category, "message": message}]}
    return json_response(body, status=status, headers=headers)


_INVALID_GRANT = (
    "The provided authorization grant is invalid, expired, revoked, does not match the "
    "redirection URI used in the authorization request, or was issued to another client."
)
_INVALID_CLIENT = (
    "Client authentication failed due to unknown client, no client authentication included, "
    "or unsupported authentication method."
)


class FakeGusto(FakeOAuthVendor):
    url_setting = "GUSTO_API_URL"

    def __init__(self) -> None:
        super().__init__()
        self._state_lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to the seeded companies: no grants, tokens, faults, requests or switches."""
        with self._lock:
            self.faults.clear()
        self.requests.clear()
        with self._state_lock:
            today = date.today()
            self.companies = {
                company.uuid: company for company in (seed_company(today), seed_other_company())
            }
            self.redirect_uris = [REDIRECT_URI]
            self.app_scopes: tuple[str, ...] = APP_SCOPES
            # The companies the admin signed in to Gusto administers.
            self.admin_companies = [COMPANY_UUID, OTHER_COMPANY_UUID]
            self.rate_limit_per_window = RATE_LIMIT_PER_MINUTE
            self.rate_limit_window_seconds = 60.0
            self.grants: list[Grant] = []
            self._codes: dict[str, AuthorizationCode] = {}
            self._access: dict[str, TokenRow] = {}
            self._refresh: dict[str, TokenRow] = {}
            self._lose_next_refresh = False
            self._next_refresh_without_refresh_token = False
            self.refresh_count = 0
            self.invalid_grant_count = 0
            self.token_requests: list[dict[str, str]] = []
            self.api_requests: list[tuple[str, str, int]] = []

    # --- what tests and a Gusto admin do ---------------------------------------------------
    def grant(
        self, company_uuid: str = COMPANY_UUID, *, scopes: tuple[str, ...] | None = None
    ) -> dict[str, str]:
        """A consented grant's first tokens, stored the way the platform stores them."""
        with self._state_lock:
            record = Grant(company_uuid, self.app_scopes if scopes is None else scopes)
            self.grants.append(record)
            row = self._issue(record, previous=None, with_refresh_token=True)
        return {
            "access_token": row.access_token,
            "refresh_token": row.refresh_token,
            "token_type": "Bearer",
            "expires_at": str(int(row.expires_at)),
            "scope": " ".join(record.scopes),
        }

    def revoke_grant(self, company_uuid: str) -> None:
        """The admin disconnects the app: every token of the app for that company dies."""
        with self._state_lock:
            for record in self.grants:
                if record.company_uuid == company_uuid:
                    record.revoked = True

    def expire_access_tokens(self) -> None:
        with self._state_lock:
            for row in self._access.values():
                row.expires_at = min(row.expires_at, time.time() - 1)

    def lose_next_refresh_response(self) -> None:
        """The next refresh rotates the tokens, then the connection drops before any answer."""
        with self._state_lock:
            self._lose_next_refresh = True

    def answer_next_refresh_without_refresh_token(self) -> None:
        """The next refresh answers as a server that does not rotate: a new access token,
        no `refresh_token`, and the one used stays valid."""
        with self._state_lock:
            self._next_refresh_without_refresh_token = True

    def access_token_used(self, access_token: str) -> bool:
        with self._state_lock:
            row = self._access.get(access_token)
            return row is not None and row.used

    def employee(self, employee_uuid: str) -> dict[str, Any]:
        return next(e for e in self.companies[COMPANY_UUID].employees if e["uuid"] == employee_uuid)

    # --- routing ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.path == "/oauth/authorize" and request.method in ("GET", "POST"):
            return self._authorize(request)
        if request.path == "/oauth/token" and request.method == "POST":
            return self._token(request)
        if request.path.startswith("/v1/"):
            response = self._api(request)
            with self._state_lock:
                self.api_requests.append((request.method, request.path, response.status_code))
            return response
        return _error(404, "not_found", "The requested resource does not exist.")

    # --- the consent page ------------------------------------------------------------------
    def _authorize(self, request: Request) -> Response:
        params = request.form if request.method == "POST" else request.args
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        state = params.get("state")
        if not hmac.compare_digest(client_id.encode(), CLIENT_ID.encode()):
            return _page(
                400, "Authorization error", "Client authentication failed: unknown client."
            )
        if redirect_uri not in self.redirect_uris:
            return _page(
                400,
                "Authorization error",
                "The redirect uri included is not valid.",
            )
        back = {"state": state} if state is not None else {}
        if params.get("response_type") != "code":
            return redirect_back(redirect_uri, {"error": "unsupported_response_type", **back})
        if request.method == "GET":
            return self._consent_page(client_id, redirect_uri, state)
        if params.get("decision") != "allow":
            return redirect_back(redirect_uri, {"error": "access_denied", **back})
        company_uuid = params.get("company", "")
        if company_uuid not in self.admin_companies:
            return _page(403, "Authorization error", "You are not an admin of that company.")
        code = secrets.token_urlsafe(32)
        with self._state_lock:
            record = Grant(company_uuid, self.app_scopes)
            self.grants.append(record)
            self._codes[code] = AuthorizationCode(record, redirect_uri, time.time() + CODE_SECONDS)
        return redirect_back(redirect_uri, {"code": code, **back})

    def _consent_page(self, client_id: str, redirect_uri: str, state: str | None) -> Response:
        hidden = {"client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code"}
        if state is not None:
            hidden["state"] = state
        companies = [(uuid_, self.companies[uuid_].name) for uuid_ in self.admin_companies]
        body = f"<h1>{html.escape(APP_NAME)} wants to access your company</h1>" + consent_form(
            action="/oauth/authorize",
            hidden=hidden,
            company_label="Company",
            companies=companies,
            app_name=APP_NAME,
            scopes=self.app_scopes,
        )
        return _page(200, f"Authorize {APP_NAME}", body, raw=True)

    # --- the token endpoint ----------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        if request.mimetype == "application/json":
            method = "json_body"
        elif request.headers.get("Authorization", "").lower().startswith("basic "):
            method = "basic"
        elif request.form.get("client_secret"):
            method = "form_body"
        else:
            method = "none"
        body: Any = None
        if method == "json_body":
            body = request.get_json(silent=True)
            grant_type = str(body.get("grant_type", "")) if isinstance(body, dict) else ""
        else:
            grant_type = request.form.get("grant_type", "")
        with self._state_lock:
            self.token_requests.append({"grant_type": grant_type, "client_auth": method})
        if "client_secret" in request.args:
            return oauth_error(
                "invalid_request", description="The client_secret cannot be passed in the URL."
            )
        if method != "json_body":
            return oauth_error("invalid_client", status=401, description=_INVALID_CLIENT)
        if not isinstance(body, dict):
            return oauth_error(
                "invalid_request", description="The request body is not a JSON object."
            )
        client_id = str(body.get("client_id", ""))
        client_secret = str(body.get("client_secret", ""))
        if not (
            hmac.compare_digest(client_id.encode(), CLIENT_ID.encode())
            and hmac.compare_digest(client_secret.encode(), CLIENT_SECRET.encode())
        ):
            return oauth_error("invalid_client", status=401, description=_INVALID_CLIENT)
        if grant_type == "authorization_code":
            return self._code_grant(body)
        if grant_type == "refresh_token":
            return self._refresh_grant(request, body)
        return oauth_error(
            "unsupported_grant_type", description="The authorization grant type is not supported."
        )

    def _code_grant(self, body: dict[str, Any]) -> Response:
        code = str(body.get("code", ""))
        redirect_uri = str(body.get("redirect_uri", ""))
        with self._state_lock:
            record = self._codes.get(code)
            if (
                record is None
                or record.used
                or record.expires_at <= time.time()
                or record.grant.revoked
                or record.redirect_uri != redirect_uri
            ):
                self.invalid_grant_count += 1
                return oauth_error("invalid_grant", description=_INVALID_GRANT)
            record.used = True
            row = self._issue(record.grant, previous=None, with_refresh_token=True)
        return _token_response(row)

    def _refresh_grant(self, request: Request, body: dict[str, Any]) -> Response:
        redirect_uri = body.get("redirect_uri")
        with self._state_lock:
            row = self._refresh.get(str(body.get("refresh_token", "")))
            if (
                row is None
                or row.revoked
                or row.grant.revoked
                or (redirect_uri is not None and redirect_uri not in self.redirect_uris)
            ):
                self.invalid_grant_count += 1
                return oauth_error("invalid_grant", description=_INVALID_GRANT)
            self.refresh_count += 1
            if self._next_refresh_without_refresh_token:
                self._next_refresh_without_refresh_token = False
                new_row = self._issue(row.grant, previous=None, with_refresh_token=False)
            else:
                new_row = self._issue(row.grant, previous=row, with_refresh_token=True)
            lose = self._lose_next_refresh
            self._lose_next_refresh = False
        if lose:
            # The rotation happened; the answer never arrives (the client sees the connection
            # close before any status line).
            drop_connection(request)
        return _token_response(new_row)

    def _issue(
        self, grant: Grant, *, previous: TokenRow | None, with_refresh_token: bool
    ) -> TokenRow:
        row = TokenRow(
            access_token=secrets.token_urlsafe(32),
            refresh_token=secrets.token_urlsafe(32) if with_refresh_token else None,
            grant=grant,
            expires_at=time.time() + ACCESS_TOKEN_SECONDS,
            previous=previous,
        )
        self._access[row.access_token] = row
        if row.refresh_token is not None:
            self._refresh[row.refresh_token] = row
        return row

    # --- the API ---------------------------------------------------------------------------
    def _api(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with self._state_lock:
            row = self._access.get(token) if scheme.lower() == "bearer" else None
            if row is None or row.revoked or row.grant.revoked or row.expires_at <= time.time():
                return _error(
                    401,
                    "invalid_token",
                    "The token is invalid, expired, or has not been included in the request.",
                    **{"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            if not row.used:
                row.used = True
                # The first use of a refreshed access token revokes the refresh token (and
                # access token) it replaced.
                if row.previous is not None:
                    row.previous.revoked = True
            limited = self._rate_limited(row.grant)
        if limited is not None:
            return limited
        version = request.headers.get("X-Gusto-API-Version", MIN_API_VERSION)
        if not _VERSION.fullmatch(version):
            return _error(
                406,
                "invalid_api_version",
                f"Invalid API Version `{version}`. Expected format: YYYY-MM-DD",
            )
        if version < MIN_API_VERSION or version > date.today().isoformat():
            return _error(
                406,
                "invalid_api_version",
                f"Invalid API Version `{version}`. Version must be >= your application's "
                f"minimum API version `{MIN_API_VERSION}` and not in the future.",
            )
        response = self._route(request, row.grant)
        response.headers["X-Gusto-API-Version"] = version
        return response

    def _rate_limited(self, grant: Grant) -> Response | None:
        now = time.time()
        window = self.rate_limit_window_seconds
        grant.api_calls = [t for t in grant.api_calls if now - t < window]
        if len(grant.api_calls) >= self.rate_limit_per_window:
            wait = max(1, math.ceil(window - (now - grant.api_calls[0])))
            return _error(
                429,
                "rate_limit_exceeded",
                "Too Many Requests",
                **{
                    "Retry-After": str(wait),
                    "X-RateLimit-Limit": str(self.rate_limit_per_window),
                    "X-RateLimit-Remaining": "0",
                },
            )
        grant.api_calls.append(now)
        return None

    def _route(self, request: Request, grant: Grant) -> Response:
        if request.method != "GET":
            return _error(404, "not_found", "The requested resource does not exist.")
        if request.path == "/v1/token_info":
            return json_response(
                {
                    "scope": " ".join(grant.scopes),
                    "resource": {"type": "Company", "uuid": grant.company_uuid},
                    "resource_owner": {"type": "CompanyAdmin", "uuid": ADMIN_UUID},
                }
            )
        match = re.fullmatch(r"/v1/companies/([^/]+)/(employees|departments)", request.path)
        if match is None:
            return _error(404, "not_found", "The requested resource does not exist.")
        company_uuid, collection = match.groups()
        # A token reaches exactly one company (strict access).
        if company_uuid != grant.company_uuid or company_uuid not in self.companies:
            return _error(404, "not_found", "The requested resource does not exist.")
        scope = f"{collection}:read"
        if scope not in grant.scopes:
            return _error(
                403,
                "missing_permissions",
                f"This application is missing the `{scope}` scope for this request.",
            )
        company = self.companies[company_uuid]
        if collection == "departments":
            return json_response(company.departments)
        return self._employees(request, company)

    def _employees(self, request: Request, company: Company) -> Response:
        staff = company.employees
        terminated = request.args.get("terminated")
        if terminated in ("true", "false"):
            staff = [e for e in staff if bool(e["terminated"]) == (terminated == "true")]
        if "page" not in request.args and "per" not in request.args:
            return json_response(staff)
        try:
            page = max(1, int(request.args.get("page", "1")))
            per = min(MAX_PER, max(1, int(request.args.get("per", str(DEFAULT_PER)))))
        except ValueError:
            return _error(422, "invalid_parameter", "page and per must be numbers")
        start = (page - 1) * per
        headers = {
            "X-Page": str(page),
            "X-Per-Page": str(per),
            "X-Total-Count": str(len(staff)),
            "X-Total-Pages": str(math.ceil(len(staff) / per)),
        }
        return json_response(staff[start : start + per], headers=headers)


def _token_response(row: TokenRow) -> Response:
    body: dict[str, Any] = {
        "access_token": row.access_token,
        "token_type": "bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "scope": " ".join(row.grant.scopes),
        "created_at": int(row.expires_at - ACCESS_TOKEN_SECONDS),
    }
    if row.refresh_token is not None:
        body["refresh_token"] = row.refresh_token
    return json_response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _page(status: int, title: str, body: str, *, raw: bool = False) -> Response:
    content = body if raw else f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p>"
    return Response(
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title></head><body>{content}</body></html>",
        status=status,
        content_type="text/html",
    )
