"""The Deel connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import (
    REMOTE_ID_SAMPLE_SIZE,
    AuthResult,
    Coverage,
    FieldSupport,
    ModelSupport,
    Page,
    Tool,
    ToolError,
)
from integrations.tools.deel.guides import GUIDES
from integrations.tools.deel.mapping import (
    MAPPED_FIELDS,
    UnexpectedRecordError,
    map_department,
    map_person,
)
from integrations.tools.http import HttpFailure, http_get_json, rate_limits_waited_out
from integrations.tools.oauth import ClientAuthMethod, OAuthSpec, RefreshRotation, granted_scopes

PERM_PEOPLE = "people:read"
PERM_ORGANIZATIONS = "organizations:read"
# People per page of GET /people. The docs name no maximum for `limit` (the other offset-paged
# lists of the API allow at most 99 or 100); 50 stays clear of either.
PAGE_SIZE = 50
# Deel counts 5 requests per organization in a rolling one-second window and sends no
# rate-limit headers: after a 429, the next window is a second away.
RATE_LIMIT_WAIT_SECONDS = 1.0
RATE_LIMIT_RETRIES = 3
# A longer wait than this (from a Retry-After Deel does not document) ends the fetch as a
# transient failure instead of holding a worker.
LONGEST_WAIT_SECONDS = 10.0

OAUTH = OAuthSpec(
    authorize_url=lambda: f"{settings.DEEL_AUTH_URL}/oauth2/authorize",
    token_url=lambda: f"{settings.DEEL_AUTH_URL}/oauth2/tokens",
    client_auth=ClientAuthMethod.BASIC,
    rotation=RefreshRotation.SINGLE_USE,
    # Access tokens live 30 days; Deel's advice is to refresh 5 days before they expire.
    refresh_margin=timedelta(days=5),
)

_VENDOR_FIELDS = {
    "employee_number": "worker_id",
    "first_name": "first_name",
    "last_name": "last_name",
    "display_full_name": "full_name",
    "nationality": "nationalities",
    "job_title": "job_title",
    "work_email": "emails",
    "personal_email": "emails",
    "employment_status": "hiring_status",
    "employment_type": "hiring_type",
    "legal_entity_id": "client_legal_entity",
    "manager_id": "direct_manager",
    "date_of_birth": "birth_date",
    "start_date": "start_date",
    "termination_date": "direct_employee_termination_last_day",
    "remote_created_at": "created_at",
    "home_address": "addresses",
    "groups": "department",
}
# In Deel, but only through one personal-information request per person, which the
# organization-wide 5 requests a second make too slow for a sync.
_NOT_IMPLEMENTED = ("gender", "mobile_phone_number", "marital_status")
_REJECTED = (
    "Deel refused the access token: the connection was revoked in Deel, or the token expired."
)


def _employee_fields() -> dict[str, FieldSupport]:
    fields = {
        field_id: FieldSupport(Coverage.SUPPORTED, None, _VENDOR_FIELDS[field_id])
        for field_id in sorted(MAPPED_FIELDS)
    }
    fields.update(
        {field_id: FieldSupport(Coverage.NOT_IMPLEMENTED) for field_id in _NOT_IMPLEMENTED}
    )
    return fields


class DeelTool(Tool):
    id = "deel"
    label = "Deel"
    category = "HRIS"
    logo = "tools/deel.svg"
    icon = "tools/deel-icon.svg"
    # GET /people has no "changed since" filter: every sync reads everyone.
    supports_delta = False
    oauth = OAUTH
    permissions = {
        PERM_PEOPLE: _(
            "Read the people of your organization: names, emails, job titles, hiring status "
            "and type, start dates, departments and managers"
        ),
        PERM_ORGANIZATIONS: _("Read your organization’s name and its departments"),
    }
    models = {
        "hris_employees": ModelSupport(Coverage.SUPPORTED, PERM_PEOPLE, _employee_fields()),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_ORGANIZATIONS,
            {
                "name": FieldSupport(Coverage.SUPPORTED),
                "type": FieldSupport(Coverage.SUPPORTED),
                "parent_id": FieldSupport(Coverage.SUPPORTED),
            },
        ),
    }
    guides = GUIDES

    def __init__(self, *, page_size: int = PAGE_SIZE) -> None:
        self.page_size = page_size

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        return (
            f"Deel: the connection was not granted the scope '{permission}', which {model_id} "
            "needs; connect again and allow it on Deel's consent screen."
        )

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        token = credentials.get("access_token") or ""
        if not token:
            return AuthResult.invalid("No Deel access token was given.")
        granted = set(granted_scopes(credentials))
        try:
            body = _get(token, "/organizations")
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid(_REJECTED)
            if failure.status_code != 403:
                return _unreachable(failure)
            granted.discard(PERM_ORGANIZATIONS)
            return self._identified_by_people(token, granted)
        try:
            organization_id = str(body["data"][0]["id"])
        except (KeyError, IndexError, TypeError):
            return AuthResult.unreachable(
                "Deel answered the organization request with an unexpected response body."
            )
        granted.add(PERM_ORGANIZATIONS)
        return AuthResult.ok(granted_permissions=granted, remote_account_id=organization_id)

    def _identified_by_people(self, token: str, granted: set[str]) -> AuthResult:
        """Without `organizations:read` no organization id is readable: one page of people
        tells this organization from another instead (the relink overlap rule)."""
        try:
            body = _get(token, "/people", _people_params(0, min(PAGE_SIZE, REMOTE_ID_SAMPLE_SIZE)))
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid(_REJECTED)
            if failure.status_code != 403:
                return _unreachable(failure)
            granted.discard(PERM_PEOPLE)
            return AuthResult.ok(granted_permissions=granted, remote_account_id="")
        try:
            people, _total = _people_page(body)
            sample = [str(person["id"]) for person in people]
        except (UnexpectedRecordError, KeyError, TypeError):
            return AuthResult.unreachable(
                "Deel answered the people request with an unexpected response body."
            )
        granted.add(PERM_PEOPLE)
        return AuthResult.ok(
            granted_permissions=granted, remote_account_id="", remote_id_sample=sample
        )

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        # `since` is ignored: Deel cannot filter people by change date (supports_delta=False).
        token = credentials.get("access_token") or ""
        if model_id == "hris_employees":
            return self._fetch_people(token, fields)
        if model_id == "hris_teams":
            return self._fetch_departments(token, fields)
        raise ToolError(f"Deel does not provide {model_id}.", transient=False)

    def _fetch_people(self, token: str, fields: frozenset[str]) -> Iterator[Page]:
        offset = 0
        while True:
            try:
                body = _patient_get(token, "/people", _people_params(offset, self.page_size))
            except HttpFailure as failure:
                raise _fetch_error(failure, "people") from None
            try:
                people, total = _people_page(body)
                page = [map_person(person, fields) for person in people]
            except UnexpectedRecordError as unexpected:
                raise ToolError(f"Deel people: {unexpected}.", transient=True) from None
            yield page
            offset += len(people)
            if not people or offset >= total:
                return

    def _fetch_departments(self, token: str, fields: frozenset[str]) -> Iterator[Page]:
        try:
            body = _patient_get(token, "/departments", {})
        except HttpFailure as failure:
            # Deel answers 404 when the organization has no departments (its docs).
            if failure.status_code == 404:
                return
            raise _fetch_error(failure, "departments") from None
        departments = body.get("data") if isinstance(body, dict) else None
        if not isinstance(departments, list):
            raise ToolError("Deel departments: unexpected response body.", transient=True)
        try:
            groups = [map_department(department, fields) for department in departments]
        except UnexpectedRecordError as unexpected:
            raise ToolError(f"Deel departments: {unexpected}.", transient=True) from None
        # The list arrives whole (GET /departments is not paged); hand it on in bounded pages.
        for start in range(0, len(groups), self.page_size):
            yield groups[start : start + self.page_size]


def _people_params(offset: int, limit: int) -> dict[str, str]:
    # A fixed order keeps offset paging from skipping or repeating people between pages.
    return {"offset": str(offset), "limit": str(limit), "sort_by": "id", "sort_order": "asc"}


def _people_page(body: Any) -> tuple[list[Any], int]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise UnexpectedRecordError("unexpected response body")
    people = body["data"]
    page = body.get("page")
    total = page.get("total_rows") if isinstance(page, dict) else None
    if not isinstance(total, int | float) or isinstance(total, bool):
        raise UnexpectedRecordError("a page without total_rows")
    return people, int(total)


def _get(token: str, path: str, params: Mapping[str, str] | None = None) -> Any:
    return http_get_json(
        f"{settings.DEEL_API_URL}{path}",
        headers={"Authorization": f"Bearer {token}"},
        params=params,
    )


def _patient_get(token: str, path: str, params: Mapping[str, str]) -> Any:
    """One read of a sync: a rate limit is waited out a few times, as Deel asks (it sends no
    `Retry-After`); any other failure is raised."""
    return rate_limits_waited_out(
        lambda: _get(token, path, params),
        waits=RATE_LIMIT_RETRIES,
        longest_wait=LONGEST_WAIT_SECONDS,
        default_wait=RATE_LIMIT_WAIT_SECONDS,
    )


def _fetch_error(failure: HttpFailure, what: str) -> ToolError:
    status = failure.status_code
    if status == 401:
        return ToolError(f"Deel {what}: the access token was refused (HTTP 401).", transient=False)
    if status == 403:
        return ToolError(
            f"Deel {what}: the connection was not granted the scope this needs (HTTP 403).",
            transient=False,
        )
    permanent = status is not None and 300 <= status < 500 and status not in (408, 429)
    return ToolError(f"Deel {what}: {failure}", transient=not permanent)


def _unreachable(failure: HttpFailure) -> AuthResult:
    retry_after = failure.retry_after_seconds
    if failure.status_code == 429 and retry_after is None:
        retry_after = RATE_LIMIT_WAIT_SECONDS
    return AuthResult.unreachable(
        f"Deel could not be reached: {failure}", retry_after_seconds=retry_after
    )
