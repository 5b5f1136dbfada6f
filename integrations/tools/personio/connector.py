"""The Personio connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import (
    AuthResult,
    Coverage,
    CredentialField,
    FieldSupport,
    ModelSupport,
    Page,
    Tool,
    ToolError,
    select_fields,
)
from integrations.tools.http import HttpFailure, http_get_json, http_request_json
from integrations.tools.personio.fields import (
    ATTRIBUTE_LABELS,
    ATTRIBUTE_PREFIX,
    PERM_EMPLOYEES,
    attribute_permission,
    permission_of,
)
from integrations.tools.personio.guides import CLIENT_ID_HELP, CLIENT_SECRET_HELP, GUIDES
from integrations.tools.personio.mapping import groups_of, map_employee

# Personio's recommended request header (UPPER_SNAKE_CASE), so Personio support can find us.
APP_HEADERS = {"X-Personio-App-ID": "KOMBO_SITE"}
PAGE_SIZE = 100  # the documented maximum
AUTH_COOLDOWN_SECONDS = 60.0  # documented cool-down after the auth endpoint's rate limit
EMPLOYEES_RETRY_SECONDS = 1.0  # documented minimum wait after a 429 on GET employees

_UNSUPPORTED = FieldSupport(Coverage.UNSUPPORTED)


def _attribute(key: str) -> FieldSupport:
    return FieldSupport(Coverage.SUPPORTED, attribute_permission(key), key)


class _CredentialsRefusedError(Exception):
    pass


class _UnexpectedBodyError(Exception):
    pass


class PersonioTool(Tool):
    id = "personio"
    label = "Personio"
    category = "HRIS"
    logo = "tools/personio.svg"
    icon = "tools/personio-icon.svg"
    supports_delta = True
    credential_fields = (
        CredentialField(
            key="client_id",
            label=_("Client ID"),
            secret=False,
            required_message=_("Enter the Client ID"),
            help_text=CLIENT_ID_HELP,
        ),
        CredentialField(
            key="client_secret",
            label=_("Client secret"),
            secret=True,
            required_message=_("Enter the Client secret"),
            help_text=CLIENT_SECRET_HELP,
        ),
    )
    permissions = {
        PERM_EMPLOYEES: _("Read employees (access scope “Employees”)"),
        **{
            attribute_permission(key): format_lazy(
                _("Read the employee attribute “{label}”"), label=label
            )
            for key, label in ATTRIBUTE_LABELS.items()
        },
    }
    models = {
        "hris_employees": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEES,
            {
                "first_name": _attribute("first_name"),
                "last_name": _attribute("last_name"),
                "display_full_name": _attribute("first_name"),
                "job_title": _attribute("position"),
                "work_email": _attribute("email"),
                "gender": _attribute("gender"),
                "employment_status": _attribute("status"),
                "employment_type": _attribute("weekly_working_hours"),
                "weekly_hours": _attribute("weekly_working_hours"),
                "work_location_id": _attribute("office"),
                "legal_entity_id": _attribute("subcompany"),
                "manager_id": _attribute("supervisor"),
                "start_date": _attribute("hire_date"),
                "termination_date": _attribute("termination_date"),
                "remote_created_at": _attribute("created_at"),
                "bank_accounts": _attribute("iban"),
                "groups": _attribute("department"),
                # Whichever custom attributes the credential may read.
                "custom_fields": FieldSupport(Coverage.SUPPORTED),
                # Not standard Personio attributes: only custom attributes, named per company.
                "employee_number": _UNSUPPORTED,
                "nationality": _UNSUPPORTED,
                "personal_email": _UNSUPPORTED,
                "mobile_phone_number": _UNSUPPORTED,
                "ssn": _UNSUPPORTED,
                "tax_id": _UNSUPPORTED,
                "ethnicity": _UNSUPPORTED,
                "marital_status": _UNSUPPORTED,
                "date_of_birth": _UNSUPPORTED,
                "home_address": _UNSUPPORTED,
                # The profile picture URL needs Personio's bearer token; we cache no files.
                "avatar": _UNSUPPORTED,
            },
        ),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEES,
            {
                "name": _attribute("department"),
                "type": _attribute("department"),
                # v1 exposes no hierarchy between departments, teams and cost centers.
                "parent_id": _UNSUPPORTED,
            },
        ),
    }
    guides = GUIDES

    def __init__(self, *, page_size: int = PAGE_SIZE) -> None:
        self.page_size = page_size

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        if permission == PERM_EMPLOYEES:
            return (
                "Personio: the API credential has no read access to employees "
                f"(access scope 'Employees'), needed for {model_id}."
            )
        return (
            "Personio: the API credential cannot read attribute "
            f"'{permission.removeprefix(ATTRIBUTE_PREFIX)}'"
        )

    def _base_url(self) -> str:
        return f"{settings.PERSONIO_API_URL}/v1"

    def _exchange_token(self, credentials: Mapping[str, str]) -> str:
        try:
            body = http_request_json(
                "POST",
                f"{self._base_url()}/auth",
                headers=APP_HEADERS,
                json_body={
                    "client_id": credentials.get("client_id", ""),
                    "client_secret": credentials.get("client_secret", ""),
                },
            )
        except HttpFailure as failure:
            if failure.status_code in (400, 401, 403):
                raise _CredentialsRefusedError from None
            raise
        data = body.get("data") if isinstance(body, dict) else None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token or body.get("success") is not True:
            raise _UnexpectedBodyError
        return token

    def _get_employees(self, token: str, params: Mapping[str, str]) -> Any:
        return http_get_json(
            f"{self._base_url()}/company/employees",
            headers={**APP_HEADERS, "Authorization": f"Bearer {token}"},
            params=params,
        )

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("client_id") or not credentials.get("client_secret"):
            return AuthResult.invalid("Enter both the Client ID and the Client secret.")
        try:
            token = self._exchange_token(credentials)
        except _CredentialsRefusedError:
            return AuthResult.invalid(
                "Personio rejected the API credentials: the Client ID or secret is wrong, "
                "or the credential was deleted."
            )
        except _UnexpectedBodyError:
            return AuthResult.unreachable(
                "Personio answered the token request with an unexpected response body."
            )
        except HttpFailure as failure:
            return _unreachable(failure, default_retry_after=AUTH_COOLDOWN_SECONDS)
        try:
            # A whole page: its employee ids are how a relink tells this company from another
            # (Personio names no company account), and its attributes what may be read.
            body = self._get_employees(token, {"limit": str(PAGE_SIZE), "offset": "0"})
        except HttpFailure as failure:
            if failure.status_code == 403:
                return AuthResult.ok(granted_permissions=(), remote_account_id="")
            if failure.status_code == 401:
                return AuthResult.invalid("Personio refused the access token it had just issued.")
            return _unreachable(failure, default_retry_after=EMPLOYEES_RETRY_SECONDS)
        try:
            items, _, _ = _parse_page(body)
            readable = {permission_of(key, attr) for item in items for key, attr in item.items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            return AuthResult.unreachable(
                "Personio answered the employees request with an unexpected response body."
            )
        # `id` comes with every employee; it is not an attribute a credential chooses.
        readable.discard(attribute_permission("id"))
        return AuthResult.ok(
            granted_permissions={PERM_EMPLOYEES, *readable},
            remote_account_id="",
            remote_id_sample=(str(item["id"]["value"]) for item in items),
        )

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        if model_id == "hris_employees":
            supported = self._supported_fields(model_id, fields)
            for items in self._employee_pages(credentials, since):
                yield [select_fields(map_employee(item), supported) for item in items]
        elif model_id == "hris_teams":
            supported = self._supported_fields(model_id, fields)
            seen: set[str] = set()
            for items in self._employee_pages(credentials, since):
                page = []
                for group in (group for item in items for group in groups_of(item)):
                    if group["remote_id"] not in seen:
                        seen.add(group["remote_id"])
                        page.append(select_fields(group, supported))
                yield page
        else:
            raise ToolError(f"Personio does not provide {model_id}.", transient=False)

    def _supported_fields(self, model_id: str, fields: frozenset[str]) -> frozenset[str]:
        support = self.model_support(model_id)
        return frozenset(
            field_id
            for field_id in fields
            if support.field_support(field_id).coverage == Coverage.SUPPORTED
        )

    def _fetch_token(self, credentials: Mapping[str, str]) -> str:
        try:
            return self._exchange_token(credentials)
        except _CredentialsRefusedError:
            raise ToolError("Personio rejected the API credentials.", transient=False) from None
        except _UnexpectedBodyError:
            raise ToolError("Personio auth: unexpected response body.", transient=True) from None
        except HttpFailure as failure:
            raise ToolError(f"Personio auth: {failure}", transient=True) from failure

    def _employee_pages(
        self, credentials: Mapping[str, str], since: datetime | None
    ) -> Iterator[list[dict[str, dict[str, Any]]]]:
        """Each vendor page's employees as attribute maps, in Personio's pagination."""
        token = self._fetch_token(credentials)
        offset = pages_read = 0
        while True:
            params = {"limit": str(self.page_size), "offset": str(offset)}
            if since is not None:
                params["updated_since"] = _since_param(since)
            body, token = self._get_page(credentials, token, params)
            try:
                items, current_page, total_pages = _parse_page(body)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ToolError(
                    "Personio employees: unexpected response body.", transient=True
                ) from None
            yield items
            pages_read += 1
            # Counting pages too bounds the loop should `current_page` ever stand still.
            if not items or max(current_page + 1, pages_read) >= total_pages:
                return
            offset += self.page_size

    def _get_page(
        self, credentials: Mapping[str, str], token: str, params: Mapping[str, str]
    ) -> tuple[Any, str]:
        try:
            return self._get_employees(token, params), token
        except HttpFailure as failure:
            if failure.status_code != 401:
                raise _fetch_error(failure) from failure
        # A token lives 24 hours; after a 401 Personio's advice is to authenticate again.
        token = self._fetch_token(credentials)
        try:
            return self._get_employees(token, params), token
        except HttpFailure as failure:
            raise _fetch_error(failure) from failure


def _fetch_error(failure: HttpFailure) -> ToolError:
    if failure.status_code == 401:
        return ToolError(
            "Personio employees: the access token was refused (HTTP 401).", transient=False
        )
    if failure.status_code == 403:
        return ToolError(
            "Personio employees: the API credential has no read access to employees (HTTP 403).",
            transient=False,
        )
    return ToolError(f"Personio employees: {failure}", transient=True)


def _unreachable(failure: HttpFailure, *, default_retry_after: float) -> AuthResult:
    message = str(failure)
    if "text/html" in message:
        message = (
            "Personio answered with a web page instead of JSON "
            "(is PERSONIO_API_URL the API host, https://api.personio.de?)"
        )
    retry_after = failure.retry_after_seconds
    if failure.status_code == 429 and retry_after is None:
        retry_after = default_retry_after
    return AuthResult.unreachable(
        f"Personio could not be reached: {message}", retry_after_seconds=retry_after
    )


def _since_param(since: datetime) -> str:
    # The documented format has no zone; we send UTC.
    moment = since.astimezone(UTC) if since.tzinfo else since
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _parse_page(body: Any) -> tuple[list[dict[str, dict[str, Any]]], int, int]:
    """(employees' attribute maps, current page, total pages); raises on a malformed body."""
    if not isinstance(body, dict) or body.get("success") is not True:
        raise ValueError("not a successful Personio response")
    metadata = body["metadata"]
    current_page, total_pages = int(metadata["current_page"]), int(metadata["total_pages"])
    items = []
    for item in body["data"]:
        attributes = item["attributes"]
        if attributes["id"]["value"] is None or not all(
            isinstance(attr, dict) for attr in attributes.values()
        ):
            raise ValueError("an employee without an id")
        items.append(attributes)
    return items, current_page, total_pages
