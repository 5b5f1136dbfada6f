"""The Gusto connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import (
    AuthResult,
    Coverage,
    FieldSupport,
    ModelSupport,
    Page,
    Tool,
    ToolError,
)
from integrations.tools.gusto.guides import GUIDES
from integrations.tools.gusto.mapping import (
    MAPPERS,
    UnexpectedRecordError,
    map_department,
    map_employee,
)
from integrations.tools.http import HttpFailure, http_get_json, rate_limits_waited_out
from integrations.tools.oauth import (
    ClientAuthMethod,
    OAuthSpec,
    RefreshRotation,
    granted_scopes,
)

SCOPE_EMPLOYEES = "employees:read"
SCOPE_DEPARTMENTS = "departments:read"
# Employees per page: the pagination guide's default is 25 and names no maximum; 100 is the
# largest page we ask for.
PAGE_SIZE = 100
GROUP_PAGE_SIZE = 200
# Gusto counts requests in a 60 second window and sends `Retry-After` with its 429: a sync
# waits that long (never longer than one window) a few times before giving the page up.
MAX_RATE_LIMIT_WAIT_SECONDS = 60.0
RATE_LIMIT_WAITS = 3

_SUPPORTED = FieldSupport(Coverage.SUPPORTED)
_VENDOR_FIELDS = {
    "employee_number": "employee_code",
    "first_name": "first_name",
    "last_name": "last_name",
    "display_full_name": "preferred_first_name",
    "job_title": "jobs.title",
    "work_email": "work_email",
    "personal_email": "email",
    "mobile_phone_number": "phone",
    "employment_status": "terminated",
    "employment_type": "current_employment_status",
    "manager_id": "manager_uuid",
    "date_of_birth": "date_of_birth",
    "start_date": "jobs.hire_date",
    "termination_date": "terminations.effective_date",
    "groups": "department_uuid",
}


def _employee_fields() -> dict[str, FieldSupport]:
    fields = {
        field_id: FieldSupport(Coverage.SUPPORTED, None, _VENDOR_FIELDS[field_id])
        for field_id in MAPPERS
    }
    # Each is one more call per employee (home addresses; custom fields with `include`).
    fields["home_address"] = FieldSupport(Coverage.NOT_IMPLEMENTED)
    fields["custom_fields"] = FieldSupport(Coverage.NOT_IMPLEMENTED)
    return fields


def _authorize_url() -> str:
    return f"{settings.GUSTO_API_URL}/oauth/authorize"


def _token_url() -> str:
    return f"{settings.GUSTO_API_URL}/oauth/token"


class GustoTool(Tool):
    id = "gusto"
    label = "Gusto"
    category = "HRIS"
    logo = "tools/gusto.svg"
    icon = "tools/gusto-icon.svg"
    # The employees list has no "changed since" filter: every sync reads everyone.
    supports_delta = False
    credential_fields = ()
    oauth = OAuthSpec(
        authorize_url=_authorize_url,
        token_url=_token_url,
        client_auth=ClientAuthMethod.JSON_BODY,
        rotation=RefreshRotation.UNTIL_NEW_TOKEN_USED,
        # Gusto fixes an application's scopes when it reviews the app; the authorize URL
        # takes none.
        sends_scope=False,
    )
    permissions = {
        SCOPE_EMPLOYEES: _(
            "Read employees (names, work and personal email, phone, job title, employment "
            "dates and status, manager, department, date of birth)"
        ),
        SCOPE_DEPARTMENTS: _("Read the company’s departments"),
    }
    models = {
        "hris_employees": ModelSupport(Coverage.SUPPORTED, SCOPE_EMPLOYEES, _employee_fields()),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            SCOPE_DEPARTMENTS,
            {"name": _SUPPORTED, "type": _SUPPORTED, "parent_id": _SUPPORTED},
        ),
    }
    guides = GUIDES

    def __init__(self, *, page_size: int = PAGE_SIZE) -> None:
        self.page_size = page_size

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        return (
            f"Gusto: the OAuth grant lacks the scope '{permission}' to read {model_id} "
            "(Gusto sets an app's scopes in its Developer Portal review)."
        )

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        access_token = credentials.get("access_token")
        if not access_token:
            return AuthResult.invalid("No Gusto access token is stored.")
        try:
            info = _get(access_token, "/v1/token_info")
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid(_REFUSED)
            return AuthResult.unreachable(
                f"Gusto could not be reached: {_reason(failure)}",
                retry_after_seconds=failure.retry_after_seconds,
            )
        try:
            company_uuid, scopes = _token_info(info)
        except _UnexpectedBodyError:
            return AuthResult.unreachable("Gusto token info: unexpected response body.")
        return AuthResult.ok(
            granted_permissions=scopes or granted_scopes(credentials),
            remote_account_id=company_uuid,
        )

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        # `since` is ignored: Gusto cannot filter employees by change date (no delta syncs).
        if model_id == "hris_employees":
            return self._fetch_employees(credentials, fields)
        if model_id == "hris_teams":
            return self._fetch_groups(credentials, fields)
        raise ToolError(f"Gusto does not provide {model_id}.", transient=False)

    def _fetch_employees(
        self, credentials: Mapping[str, str], fields: frozenset[str]
    ) -> Iterator[Page]:
        access_token = credentials.get("access_token", "")
        company_uuid = _company_uuid(access_token)
        today = datetime.now(UTC).date()
        previous_ids: list[str] = []
        page = 1
        while True:
            body = _get_for_sync(
                access_token,
                f"/v1/companies/{company_uuid}/employees",
                "employees",
                params={"page": str(page), "per": str(self.page_size)},
            )
            if not isinstance(body, list) or not all(isinstance(e, dict) for e in body):
                raise ToolError("Gusto employees: unexpected response body.", transient=True)
            # Past the last page the list is empty: the end, whatever `per` Gusto applied.
            if not body:
                return
            try:
                records = [map_employee(employee, fields, today=today) for employee in body]
            except UnexpectedRecordError as error:
                raise ToolError(f"Gusto employees: {error}.", transient=True) from None
            ids = [record["remote_id"] for record in records]
            if ids == previous_ids:
                raise ToolError(
                    f"Gusto employees: page {page} repeats the page before it.", transient=True
                )
            previous_ids = ids
            yield records
            page += 1

    def _fetch_groups(
        self, credentials: Mapping[str, str], fields: frozenset[str]
    ) -> Iterator[Page]:
        access_token = credentials.get("access_token", "")
        company_uuid = _company_uuid(access_token)
        body = _get_for_sync(
            access_token, f"/v1/companies/{company_uuid}/departments", "departments"
        )
        try:
            if not isinstance(body, list):
                raise UnexpectedRecordError("unexpected response body")
            groups = [map_department(department, fields) for department in body]
        except (UnexpectedRecordError, AttributeError) as error:
            raise ToolError(f"Gusto departments: {error}.", transient=True) from None
        # The list arrives whole (the endpoint is not paginated); hand it on in bounded pages.
        for start in range(0, len(groups), GROUP_PAGE_SIZE):
            yield groups[start : start + GROUP_PAGE_SIZE]


_REFUSED = (
    "Gusto refused the access token (HTTP 401): the connection was revoked in Gusto, or the "
    "token expired."
)


class _UnexpectedBodyError(Exception):
    pass


def _headers(access_token: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {access_token}",
        "X-Gusto-API-Version": settings.GUSTO_API_VERSION,
    }


def _get(access_token: str, path: str, params: Mapping[str, str] | None = None) -> Any:
    return http_get_json(
        f"{settings.GUSTO_API_URL}{path}", headers=_headers(access_token), params=params
    )


def _token_info(info: Any) -> tuple[str, frozenset[str]]:
    """The company the token is for (`resource`, type `Company`) and its scopes."""
    if not isinstance(info, dict):
        raise _UnexpectedBodyError
    resource = info.get("resource")
    if not isinstance(resource, dict) or resource.get("type") != "Company":
        raise _UnexpectedBodyError
    company_uuid = resource.get("uuid")
    scope = info.get("scope")
    if not isinstance(company_uuid, str) or not company_uuid or not isinstance(scope, str):
        raise _UnexpectedBodyError
    return company_uuid, granted_scopes({"scope": scope})


def _company_uuid(access_token: str) -> str:
    info = _get_for_sync(access_token, "/v1/token_info", "token info")
    try:
        return _token_info(info)[0]
    except _UnexpectedBodyError:
        raise ToolError("Gusto token info: unexpected response body.", transient=True) from None


def _get_for_sync(
    access_token: str, path: str, what: str, *, params: Mapping[str, str] | None = None
) -> Any:
    """One read of a sync: a 429 is waited out a few times for Gusto's `Retry-After`; any
    other failure becomes the sync's `ToolError`."""
    try:
        return rate_limits_waited_out(
            lambda: _get(access_token, path, params),
            waits=RATE_LIMIT_WAITS,
            longest_wait=MAX_RATE_LIMIT_WAIT_SECONDS,
        )
    except HttpFailure as failure:
        raise _sync_error(failure, what) from None


def _sync_error(failure: HttpFailure, what: str) -> ToolError:
    status = failure.status_code
    if status == 401:
        return ToolError(f"Gusto {what}: the access token was refused (HTTP 401).", transient=False)
    if status == 403:
        return ToolError(
            f"Gusto {what}: the OAuth grant lacks the scope to read {what} (HTTP 403).",
            transient=False,
        )
    if status is not None and 400 <= status < 500 and status != 429:
        return ToolError(f"Gusto {what}: {_reason(failure)}", transient=False)
    if status == 429 and failure.retry_after_seconds is not None:
        return ToolError(
            f"Gusto {what}: rate limited (HTTP 429), retry after "
            f"{failure.retry_after_seconds:g} s.",
            transient=True,
        )
    return ToolError(f"Gusto {what}: {_reason(failure)}", transient=True)


def _reason(failure: HttpFailure) -> str:
    if failure.status_code == 406:
        return (
            f"{failure} (is GUSTO_API_VERSION {settings.GUSTO_API_VERSION} a version the "
            "Gusto app accepts?)"
        )
    return str(failure)
