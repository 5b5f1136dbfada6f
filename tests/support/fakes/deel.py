"""A fake Deel: the app host's OAuth 2.0 endpoints and the REST API v2, as Deel's docs describe.

The pages are listed in `integrations/tools/deel/__init__.py`; what the fake does:

- `GET /oauth2/authorize?client_id&redirect_uri&scope&response_type=code&state`: an unknown
  client or a redirect URI that is not exactly the registered one gets an HTML error page
  (RFC 6749 §4.1.2.1: never redirected to); a missing `state`, another `response_type` or an
  unknown scope go back to the redirect URI with `error=`. Otherwise the consent page: "<app>
  wants to access <organization>", the requested scopes, a `<select name="company">` of the
  organizations the signed-in admin may connect, and Allow / Deny (a plain form POST to the
  same path). Allow -> `redirect_uri?code=..&state=..`; Deny -> `?error=access_denied&state=..`.
- `POST /oauth2/tokens`, form-encoded, HTTP Basic client authentication only (credentials in
  the body are `invalid_client`, RFC 6749 §5.2). `authorization_code`: codes live 10 minutes,
  are single use (a second use is `invalid_grant` and revokes what the code gave, RFC 6749
  §4.1.2) and need the same `redirect_uri`. `refresh_token`: strictly single use; a used one
  is `invalid_grant` and revokes the whole grant ("may revoke all tokens associated with that
  grant": this fake does). Access tokens last 30 days, refresh tokens 90. `redirect_uri` is
  optional on a refresh but must match when sent.
- `/rest/v2` with `Authorization: Bearer`: `GET /organizations`, `GET /people` (offset/limit,
  `page.total_rows`), `GET /departments` (404 when there are none). Unknown, expired or revoked
  tokens get 401, a missing scope 403, both as `ApiErrorContainer` bodies. 5 requests a second
  per organization in a rolling window, then 429 without rate-limit headers (configurable).

Test switches: `revoke_grant`, `lose_next_refresh_response`, `omit_next_refresh_token`,
`expire_access_tokens`, `rate_limit_per_second`; counters `refresh_count`,
`invalid_grant_count`, `rate_limited_count`, `token_requests`, `api_requests`; `consent()`
drives the consent page like a browser would.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.test import override_settings
from werkzeug.wrappers import Request, Response

from tests.support.fakes.oauth import (
    FakeOAuthVendor,
    consent_form,
    drop_connection,
    json_response,
    oauth_error,
    redirect_back,
)

CLIENT_ID = "5e3b7c1d-2f4a-4b8e-9c6d-0a1b2c3d4e5f"
CLIENT_SECRET = "dl_secret_7Hq2sVx9LmN4pR8tKw3zYb6cFj1gDe5a"
APP_NAME = "Kombo Site"
REDIRECT_URI = "https://kombo-site.example/connect/oauth/callback"

ORG_ID = "7d2c5b1e-3a4f-4e6b-8c9d-1f2e3a4b5c6d"
ORG_NAME = "Acme Remote Inc."
OTHER_ORG_ID = "c4e8a2f6-9b1d-4d3c-a5e7-6f8091a2b3c4"
OTHER_ORG_NAME = "Globex GmbH"

PERM_PEOPLE = "people:read"
PERM_ORGANIZATIONS = "organizations:read"
# Some of Deel's scopes: enough to tell a known scope from an unknown one.
KNOWN_SCOPES = frozenset(
    {
        PERM_PEOPLE,
        "people:write",
        PERM_ORGANIZATIONS,
        "organizations:write",
        "contracts:read",
        "contracts:write",
        "accounting:read",
        "timesheets:read",
        "Users:read",
    }
)
ACCESS_TOKEN_SECONDS = 30 * 24 * 3600
REFRESH_TOKEN_SECONDS = 90 * 24 * 3600
CODE_SECONDS = 600
RATE_LIMIT_PER_SECOND = 5
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10


@dataclass
class Organization:
    id: str
    name: str
    people: list[dict[str, Any]]
    departments: list[dict[str, Any]]


@dataclass
class Grant:
    """One consent: an organization's admin allowed the app these scopes."""

    organization_id: str
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class _Code:
    redirect_uri: str
    grant: Grant
    expires_at: float
    used: bool = False


@dataclass
class _Refresh:
    grant: Grant
    expires_at: float
    used: bool = False


@dataclass
class _Access:
    grant: Grant
    expires_at: float


@dataclass(frozen=True)
class TokenRequest:
    grant_type: str
    # "basic", "body" (client_secret in the form) or "none".
    client_auth: str


@dataclass
class _Seed:
    organization_id: str
    departments: list[dict[str, Any]] = field(default_factory=list)
    next_worker_id: int = 1001

    def department(self, name: str, parent: dict[str, Any] | None = None) -> dict[str, Any]:
        department = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.organization_id}/{name}")),
            "name": name,
            "parent": parent["id"] if parent else None,
        }
        self.departments.append(department)
        return department

    def person(
        self,
        first: str,
        last: str,
        *,
        work_email: str | None,
        hiring_status: str,
        hiring_type: str,
        start_date: str | None,
        department: dict[str, Any] | None = None,
        manager: dict[str, Any] | None = None,
        **values: Any,
    ) -> dict[str, Any]:
        """A record in the shape of GET /people's `data` items (the v2 OpenAPI description)."""
        worker_id = self.next_worker_id
        self.next_worker_id += 1
        emails = [{"type": "work", "value": work_email}] if work_email else []
        if values.get("personal_email"):
            emails.append({"type": "personal", "value": values.pop("personal_email")})
        return {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.organization_id}/p/{worker_id}")),
            "worker_id": worker_id,
            "external_id": None,
            "first_name": first,
            "last_name": last,
            "full_name": f"{first} {last}",
            "preferred_first_name": None,
            "preferred_last_name": None,
            "emails": emails,
            "job_title": values.pop("job_title", None),
            "seniority": values.pop("seniority", None),
            "hiring_status": hiring_status,
            "new_hiring_status": hiring_status,
            "hiring_type": hiring_type,
            "start_date": start_date,
            "birth_date": values.pop("birth_date", None),
            "nationalities": values.pop("nationalities", []),
            "country": values.pop("country", None),
            "state": None,
            "timezone": values.pop("timezone", None),
            "work_location": None,
            "addresses": values.pop("addresses", []),
            "department": (
                {"id": department["id"], "name": department["name"], "parent": department["parent"]}
                if department
                else None
            ),
            "direct_manager": (
                {
                    "id": manager["id"],
                    "worker_id": str(manager["worker_id"]),
                    "first_name": manager["first_name"],
                    "last_name": manager["last_name"],
                    "work_email": manager["emails"][0]["value"] if manager["emails"] else None,
                }
                if manager
                else None
            ),
            "direct_reports": [],
            "direct_reports_count": 0,
            "client_legal_entity": values.pop("client_legal_entity", None),
            "completion_date": values.pop("completion_date", None),
            "direct_employee_termination_last_day": values.pop("termination_last_day", None),
            "employments": [],
            "created_at": values.pop("created_at", None),
            "updated_at": values.pop("updated_at", None),
        }


_FIRST = ["Ava", "Ben", "Chloé", "Dev", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Jun"]
_LAST = ["Okafor", "Schmidt", "Rossi", "García", "Kowalski", "Tanaka", "Dubois", "Silva"]
_TITLES = ["Software Engineer", "Account Executive", "Recruiter", "Designer", "Data Analyst"]
_TYPES = ["eor", "direct_employee", "contractor", "global_payroll"]


def seed_acme(count: int) -> Organization:
    """Acme's people: four written out field by field, the rest varied fillers."""
    seed = _Seed(ORG_ID)
    engineering = seed.department("Engineering")
    platform = seed.department("Platform", engineering)
    people_ops = seed.department("People Ops")
    sales = seed.department("Sales")
    entity = {"id": "41b6f5a8-0c2d-4e1f-9a3b-7c8d9e0f1a2b", "name": "Acme Remote GmbH"}
    zoe = seed.person(
        "Zoë",
        "Müller",
        work_email="zoe.mueller@acme-remote.example",
        personal_email="zoe@example.org",
        hiring_status="active",
        hiring_type="direct_employee",
        start_date="2019-03-01",
        department=engineering,
        job_title="Head of Engineering",
        seniority="Director",
        birth_date="1988-04-12",
        nationalities=["DE"],
        country="DE",
        timezone="Europe/Berlin",
        addresses=[
            {
                "streetAddress": "Torstraße 1",
                "locality": "Berlin",
                "region": "BE",
                "postalCode": "10119",
                "country": "DE",
            }
        ],
        client_legal_entity=entity,
        created_at="2019-02-20T09:00:00.000Z",
        updated_at="2024-05-02T10:11:12.000Z",
    )
    jose = seed.person(
        "José",
        "Núñez",
        work_email="jose.nunez@acme-remote.example",
        hiring_status="offboarding",
        hiring_type="contractor",
        start_date="2021-06-14",
        department=platform,
        manager=zoe,
        job_title="Platform Contractor",
        nationalities=["ES", "MX"],
        country="ES",
        completion_date="2025-09-30",
        created_at="2021-06-01T12:30:00.000Z",
    )
    # Sparse: a hire who has not started, with only what the hiring flow filled in.
    asa = seed.person(
        "Åsa",
        "Øberg",
        work_email=None,
        hiring_status="onboarding",
        hiring_type="eor",
        start_date="2031-01-05",
        manager=jose,
    )
    li = seed.person(
        "雷",
        "李",
        work_email="li.lei@acme-remote.example",
        hiring_status="inactive",
        hiring_type="global_payroll",
        start_date="2022-02-01",
        department=sales,
        manager=zoe,
        job_title="Account Executive",
        termination_last_day="2024-06-30T00:00:00.000Z",
        created_at="2022-01-10T12:00:00.000Z",
    )
    people = [zoe, jose, asa, li]
    departments = [engineering, platform, people_ops, sales]
    for n in range(max(0, count - len(people))):
        first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 3) % len(_LAST)]
        status = "inactive" if n % 11 == 4 else "onboarding" if n % 13 == 6 else "active"
        people.append(
            seed.person(
                first,
                last,
                work_email=f"{first.lower()}.{last.lower()}.{n}@acme-remote.example",
                personal_email=f"{first.lower()}{n}@example.net" if n % 3 else None,
                hiring_status=status,
                hiring_type=_TYPES[n % len(_TYPES)],
                start_date=f"20{18 + n % 6}-0{1 + n % 9}-1{n % 10}",
                department=departments[n % len(departments)],
                manager=zoe if n % 2 else jose,
                job_title=_TITLES[n % len(_TITLES)],
                birth_date=f"19{70 + n % 30}-0{1 + n % 9}-0{1 + n % 9}" if n % 5 else None,
                created_at=f"20{18 + n % 6}-0{1 + n % 9}-0{1 + n % 9}T08:00:00.000Z",
            )
        )
    return Organization(ORG_ID, ORG_NAME, people, seed.departments)


def seed_globex(count: int = 6) -> Organization:
    seed = _Seed(OTHER_ORG_ID)
    research = seed.department("Research")
    people = [
        seed.person(
            "Hank",
            f"Scorpio{n}",
            work_email=f"hank.scorpio{n}@globex.example",
            hiring_status="active",
            hiring_type="eor",
            start_date="2021-01-04",
            department=research,
            job_title="Engineer",
        )
        for n in range(count)
    ]
    return Organization(OTHER_ORG_ID, OTHER_ORG_NAME, people, seed.departments)


def _oauth_error(error: str, status: int = 400, description: str = "") -> Response:
    # Deel authenticates clients with HTTP Basic only, so its refusal names that scheme.
    headers = {"WWW-Authenticate": 'Basic realm="deel"'} if error == "invalid_client" else {}
    return oauth_error(error, status=status, description=description, headers=headers)


def _api_error(request: Request, status: int, message: str) -> Response:
    """Deel's `ApiErrorContainer`."""
    return json_response(
        {
            "request": {
                "method": request.method,
                "url": request.full_path.rstrip("?"),
                "status": status,
                "api_req_id": secrets.token_hex(8),
                "docs": "https://developer.deel.com/docs",
                "source": "public-api",
                "code": status,
            },
            "errors": [{"message": message}],
        },
        status=status,
    )


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | Deel</title></head><body><main>{body}</main></body></html>",
        status=status,
        content_type="text/html; charset=utf-8",
    )


class LostResponseError(ConnectionError):
    """The fake dropped the connection on purpose, after doing the work."""


class FakeDeel(FakeOAuthVendor):
    url_setting = "DEEL_API_URL"
    url_suffix = "/rest/v2"

    def __init__(self, people: int = 57) -> None:
        super().__init__()
        self.people_count = people
        self._state = threading.Lock()
        self._reset_state()

    def _reset_state(self) -> None:
        self.organizations = {org.id: org for org in (seed_acme(self.people_count), seed_globex())}
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.redirect_uris = [REDIRECT_URI]
        self.grants: list[Grant] = []
        self._codes: dict[str, _Code] = {}
        self._refresh_tokens: dict[str, _Refresh] = {}
        self._access_tokens: dict[str, _Access] = {}
        self._recent: dict[str, list[float]] = {}
        self.rate_limit_per_second: int | None = RATE_LIMIT_PER_SECOND
        self.refresh_count = 0
        self.invalid_grant_count = 0
        self.rate_limited_count = 0
        self.token_requests: list[TokenRequest] = []
        self._lose_next_refresh = False
        self._omit_next_refresh_token = False

    def reset(self) -> None:
        """Back to the seeded organizations: no grants, faults, requests or switches."""
        with self._lock:
            self.faults.clear()
        self.requests.clear()
        with self._state:
            self._reset_state()

    @contextmanager
    def configured(self) -> Iterator[None]:
        """Freshly reset, with both of Deel's hosts (API and app) pointing at this fake."""
        self.reset()
        with override_settings(
            DEEL_API_URL=self.base_url + self.url_suffix, DEEL_AUTH_URL=self.base_url
        ):
            yield

    # --- what Deel's admins and its servers do, for tests ------------------------------
    def revoke_grant(self, company_id: str) -> None:
        """An admin disconnects the app: every token of its grants for that company dies."""
        with self._state:
            for grant in self.grants:
                if grant.organization_id == company_id:
                    grant.revoked = True

    def lose_next_refresh_response(self) -> None:
        """The next refresh is performed (tokens rotated) but its answer never arrives."""
        self._lose_next_refresh = True

    def omit_next_refresh_token(self) -> None:
        """The next refresh answers without a `refresh_token`; the used one stays valid."""
        self._omit_next_refresh_token = True

    def expire_access_tokens(self) -> None:
        with self._state:
            for access in self._access_tokens.values():
                access.expires_at = 0.0

    def person(self, email: str) -> dict[str, Any]:
        return next(
            person
            for org in self.organizations.values()
            for person in org.people
            if any(item["value"] == email for item in person["emails"])
        )

    @property
    def api_requests(self) -> list[tuple[str, str, dict[str, str]]]:
        return [
            (request.method, request.path.removeprefix("/rest/v2"), dict(request.args))
            for request in self.requests
            if request.path.startswith("/rest/v2/")
        ]

    # --- the wire ----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.path == "/oauth2/authorize" and request.method in ("GET", "POST"):
            return self._authorize(request)
        if request.path == "/oauth2/tokens" and request.method == "POST":
            return self._token(request)
        if request.path.startswith("/rest/v2/"):
            return self._api(request)
        return _page("Not found", "<h1>Page not found</h1>", 404)

    def _authorize(self, request: Request) -> Response:
        values = request.form if request.method == "POST" else request.args
        client_id = values.get("client_id", "")
        redirect_uri = values.get("redirect_uri", "")
        if not hmac.compare_digest(client_id.encode(), self.client_id.encode()):
            return _page("Error", "<h1>Unknown app</h1><p>This app does not exist.</p>", 400)
        if redirect_uri not in self.redirect_uris:
            return _page(
                "Error",
                "<h1>Invalid redirect URI</h1><p>The redirect URI does not match the one "
                "registered for this app.</p>",
                400,
            )
        state = values.get("state", "")
        if not state:
            return self._back(redirect_uri, {"error": "invalid_request"}, "state is required")
        if values.get("response_type") != "code":
            return self._back(redirect_uri, {"error": "unsupported_response_type", "state": state})
        scopes = tuple(dict.fromkeys(values.get("scope", "").split()))
        if not scopes or not set(scopes) <= KNOWN_SCOPES:
            return self._back(redirect_uri, {"error": "invalid_scope", "state": state})
        if request.method == "GET":
            return self._consent_page(client_id, redirect_uri, scopes, state)
        if values.get("decision") != "allow":
            return self._back(redirect_uri, {"error": "access_denied", "state": state})
        organization_id = values.get("company", "")
        if organization_id not in self.organizations:
            return _page("Error", "<h1>Unknown organization</h1>", 400)
        code = secrets.token_urlsafe(24)
        with self._state:
            grant = Grant(organization_id, scopes)
            self._codes[code] = _Code(redirect_uri, grant, time.time() + CODE_SECONDS)
        return self._back(redirect_uri, {"code": code, "state": state})

    @staticmethod
    def _back(redirect_uri: str, params: dict[str, str], description: str = "") -> Response:
        if description:
            params = {**params, "error_description": description}
        return redirect_back(redirect_uri, params)

    def _consent_page(
        self, client_id: str, redirect_uri: str, scopes: tuple[str, ...], state: str
    ) -> Response:
        default = next(iter(self.organizations.values()))
        hidden = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "response_type": "code",
            "state": state,
        }
        companies = [(org.id, org.name) for org in self.organizations.values()]
        return _page(
            f"Authorize {APP_NAME}",
            f"<h1>{html.escape(APP_NAME)} wants to access {html.escape(default.name)}</h1>"
            + consent_form(
                action="/oauth2/authorize",
                hidden=hidden,
                company_label="Organization",
                companies=companies,
                app_name=APP_NAME,
                scopes=scopes,
            ),
        )

    def _client_auth(self, request: Request) -> tuple[str, bool]:
        """How the client authenticated, and whether that is Deel's Basic with our app."""
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return "basic", False
            valid = hmac.compare_digest(user.encode(), self.client_id.encode()) and (
                hmac.compare_digest(password.encode(), self.client_secret.encode())
            )
            return "basic", valid
        if request.form.get("client_secret"):
            return "body", False
        return "none", False

    def _token(self, request: Request) -> Response:
        grant_type = request.form.get("grant_type", "")
        client_auth, valid = self._client_auth(request)
        self.token_requests.append(TokenRequest(grant_type, client_auth))
        if not valid:
            return _oauth_error("invalid_client", 401)
        if request.mimetype != "application/x-www-form-urlencoded":
            return _oauth_error("invalid_request", description="form-encoded body expected")
        if grant_type == "authorization_code":
            return self._code_grant(request)
        if grant_type == "refresh_token":
            return self._refresh_grant(request)
        return _oauth_error("unsupported_grant_type")

    def _invalid_grant(self, description: str) -> Response:
        self.invalid_grant_count += 1
        return _oauth_error("invalid_grant", description=description)

    def _code_grant(self, request: Request) -> Response:
        with self._state:
            code = self._codes.get(request.form.get("code", ""))
            if code is None or code.expires_at < time.time():
                return self._invalid_grant("unknown or expired code")
            if code.used:
                code.grant.revoked = True
                return self._invalid_grant("code already used")
            if request.form.get("redirect_uri") != code.redirect_uri:
                return self._invalid_grant("redirect_uri does not match")
            code.used = True
            self.grants.append(code.grant)
            return json_response(
                self._issue(code.grant, with_refresh=True), headers={"Cache-Control": "no-store"}
            )

    def _refresh_grant(self, request: Request) -> Response:
        with self._state:
            refresh = self._refresh_tokens.get(request.form.get("refresh_token", ""))
            if refresh is None:
                return self._invalid_grant("unknown refresh token")
            if refresh.used:
                refresh.grant.revoked = True
                return self._invalid_grant("refresh token already used")
            if refresh.grant.revoked or refresh.expires_at < time.time():
                return self._invalid_grant("refresh token revoked or expired")
            sent_redirect = request.form.get("redirect_uri")
            if sent_redirect is not None and sent_redirect not in self.redirect_uris:
                return self._invalid_grant("redirect_uri does not match")
            keep = self._omit_next_refresh_token
            self._omit_next_refresh_token = False
            refresh.used = not keep
            body = self._issue(refresh.grant, with_refresh=not keep)
            self.refresh_count += 1
            lose = self._lose_next_refresh
            self._lose_next_refresh = False
        if lose:
            # Done server-side; the answer is lost: the connection closes without a response.
            drop_connection(request)
            raise LostResponseError("refresh answer dropped on purpose")
        return json_response(body, headers={"Cache-Control": "no-store"})

    def _issue(self, grant: Grant, *, with_refresh: bool) -> dict[str, Any]:
        now = time.time()
        access = secrets.token_urlsafe(32)
        self._access_tokens[access] = _Access(grant, now + ACCESS_TOKEN_SECONDS)
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "Bearer",
            "scope": " ".join(grant.scopes),
        }
        if with_refresh:
            refresh = secrets.token_urlsafe(32)
            self._refresh_tokens[refresh] = _Refresh(grant, now + REFRESH_TOKEN_SECONDS)
            body["refresh_token"] = refresh
        return body

    # --- the REST API --------------------------------------------------------------------
    def _api(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with self._state:
            access = self._access_tokens.get(token) if scheme.lower() == "bearer" else None
            if access is None or access.grant.revoked or access.expires_at < time.time():
                return _api_error(request, 401, "Unauthorized")
            grant = access.grant
            if not self._within_rate_limit(grant.organization_id):
                self.rate_limited_count += 1
                return _api_error(request, 429, "Too many requests")
        organization = self.organizations[grant.organization_id]
        path = request.path.removeprefix("/rest/v2")
        if request.method != "GET":
            return _api_error(request, 405, "Method not allowed")
        if path == "/organizations":
            if PERM_ORGANIZATIONS not in grant.scopes:
                return _api_error(request, 403, "Missing scope: organizations:read")
            return json_response({"data": [{"id": organization.id, "name": organization.name}]})
        if path == "/departments":
            if PERM_ORGANIZATIONS not in grant.scopes:
                return _api_error(request, 403, "Missing scope: organizations:read")
            if not organization.departments:
                return _api_error(request, 404, "No departments found")
            return json_response({"data": organization.departments})
        if path == "/people":
            if PERM_PEOPLE not in grant.scopes:
                return _api_error(request, 403, "Missing scope: people:read")
            return self._people(request, organization)
        return _api_error(request, 404, "Not found")

    def _within_rate_limit(self, organization_id: str) -> bool:
        limit = self.rate_limit_per_second
        if limit is None:
            return True
        now = time.monotonic()
        recent = [t for t in self._recent.get(organization_id, []) if now - t < 1.0]
        allowed = len(recent) < limit
        if allowed:
            recent.append(now)
        self._recent[organization_id] = recent
        return allowed

    def _people(self, request: Request, organization: Organization) -> Response:
        try:
            offset = int(request.args.get("offset", "0"))
            limit = int(request.args.get("limit", str(DEFAULT_PAGE_SIZE)))
        except ValueError:
            return _api_error(request, 400, "offset and limit must be numbers")
        if offset < 0 or not 1 <= limit <= MAX_PAGE_SIZE:
            return _api_error(request, 400, f"limit must be between 1 and {MAX_PAGE_SIZE}")
        people = list(organization.people)
        sort_by = request.args.get("sort_by")
        if sort_by is not None:
            if sort_by not in ("id", "first_name", "last_name", "start_date"):
                return _api_error(request, 400, "unknown sort_by")
            people.sort(
                key=lambda person: str(person.get(sort_by) or ""),
                reverse=request.args.get("sort_order") == "desc",
            )
        return json_response(
            {
                "data": people[offset : offset + limit],
                "page": {"offset": offset, "total_rows": len(people), "items_per_page": limit},
            }
        )
