"""Personio's Personnel Data API v1 on the wire: the token, authenticated reads, their errors.

The pages followed: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from integrations.tools.base import ToolError
from integrations.tools.http import HttpFailure, http_get_json, http_request_json
from integrations.tools.personio.fields import (
    PERM_ABSENCES,
    PERM_EMPLOYEES,
    attribute_permission,
    permission_of,
)

# Personio's recommended request header (UPPER_SNAKE_CASE), so Personio support can find us.
APP_HEADERS = {"X-Personio-App-ID": "KOMBO_SITE"}
ATTRIBUTES_PATH = "/company/employees/attributes"
_SCOPE_NAMES = {PERM_EMPLOYEES: "Employees", PERM_ABSENCES: "Absences"}


class CredentialsRefusedError(Exception):
    pass


class UnexpectedBodyError(Exception):
    pass


def _base_url() -> str:
    return f"{settings.PERSONIO_API_URL}/v1"


def exchange_token(credentials: Mapping[str, str]) -> str:
    try:
        body = http_request_json(
            "POST",
            f"{_base_url()}/auth",
            headers=APP_HEADERS,
            json_body={
                "client_id": credentials.get("client_id", ""),
                "client_secret": credentials.get("client_secret", ""),
            },
        )
    except HttpFailure as failure:
        if failure.status_code in (400, 401, 403):
            raise CredentialsRefusedError from None
        raise
    data = body.get("data") if isinstance(body, dict) else None
    token = data.get("token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token or body.get("success") is not True:
        raise UnexpectedBodyError
    return token


def api_get(token: str, path: str, params: Mapping[str, str] | None = None) -> Any:
    return http_get_json(
        f"{_base_url()}{path}",
        headers={**APP_HEADERS, "Authorization": f"Bearer {token}"},
        params=params or {},
    )


def fetch_token(credentials: Mapping[str, str]) -> str:
    """A token for a sync's reads; what goes wrong is a ToolError."""
    try:
        return exchange_token(credentials)
    except CredentialsRefusedError:
        raise ToolError("Personio rejected the API credentials.", transient=False) from None
    except UnexpectedBodyError:
        raise ToolError("Personio auth: unexpected response body.", transient=True) from None
    except HttpFailure as failure:
        raise ToolError(f"Personio auth: {failure}", transient=True) from failure


class Session:
    """One fetch's access token, renewed once when Personio refuses it mid-fetch."""

    def __init__(self, credentials: Mapping[str, str]) -> None:
        self.credentials = credentials
        self.token: str | None = None

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None,
        what: str,
        permission: str,
        *,
        missing_ok: bool = False,
    ) -> Any:
        """The JSON body; None for a 404 when `missing_ok` (a record gone since it was listed)."""
        if self.token is None:
            self.token = fetch_token(self.credentials)
        try:
            return api_get(self.token, path, params)
        except HttpFailure as failure:
            if failure.status_code == 404 and missing_ok:
                return None
            if failure.status_code != 401:
                raise fetch_error(failure, what, permission) from failure
        # A token lives 24 hours; after a 401 Personio's advice is to authenticate again.
        self.token = fetch_token(self.credentials)
        try:
            return api_get(self.token, path, params)
        except HttpFailure as failure:
            if failure.status_code == 404 and missing_ok:
                return None
            raise fetch_error(failure, what, permission) from failure


def fetch_error(failure: HttpFailure, what: str, permission: str) -> ToolError:
    if failure.status_code == 401:
        return ToolError(
            f"Personio {what}: the access token was refused (HTTP 401).", transient=False
        )
    if failure.status_code == 403:
        scope = _SCOPE_NAMES[permission]
        return ToolError(
            f"Personio {what}: the API credential has no read access to {scope.lower()} "
            f"(access scope '{scope}', HTTP 403).",
            transient=False,
        )
    return ToolError(f"Personio {what}: {failure}", transient=True)


def granted_attributes(body: Any) -> set[str]:
    """`GET /company/employees/attributes`: `{"data": [{"key", "label", "type",
    "universal_id"}]}`, the attributes whitelisted for the credential."""
    if not isinstance(body, dict) or body.get("success") is not True:
        raise ValueError("not a successful Personio response")
    granted = {permission_of(str(entry["key"]), entry) for entry in body["data"]}
    # `id` comes with every employee; it is not an attribute a credential chooses.
    granted.discard(attribute_permission("id"))
    return granted


def since_param(since: datetime) -> str:
    # The documented format has no zone; we send UTC.
    moment = since.astimezone(UTC) if since.tzinfo else since
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def parse_employee_page(body: Any) -> tuple[list[dict[str, dict[str, Any]]], int, int]:
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
