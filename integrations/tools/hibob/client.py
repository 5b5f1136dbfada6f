"""HiBob HTTP calls with a service user, and how their failures are classified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from integrations.tools.base import AuthResult, ToolError
from integrations.tools.http import HttpFailure, http_get_json

# Retries of a timed-out or dropped per-employee read (see `get_json`).
PER_EMPLOYEE_RETRIES = 1

REJECTED = (
    "HiBob rejected the service user ID or token (unknown or deleted service user, "
    "or a token that was regenerated)."
)


class Rejected(Exception):
    """401: the service user ID and token are not (or no longer) valid."""

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: HTTP 401 (service user rejected)", transient=False)


class Denied(Exception):
    """403/404/400: refused for good until someone changes the permission group."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: HTTP {self.status_code}", transient=False)


class Unusable(Exception):
    """No usable answer: network, timeout, 5xx, 429, or a body that is not HiBob's."""

    def __init__(self, reason: str, *, retry_after_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after_seconds = retry_after_seconds

    @classmethod
    def from_failure(cls, failure: HttpFailure) -> Unusable:
        return cls(str(failure), retry_after_seconds=failure.retry_after_seconds)

    def result(self) -> AuthResult:
        return AuthResult.unreachable(
            f"HiBob could not be reached: {self}", retry_after_seconds=self.retry_after_seconds
        )

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: {self}", transient=True)


def classify(failure: HttpFailure) -> Rejected | Denied | Unusable:
    status = failure.status_code
    if status == 401:
        return Rejected()
    if status is not None and 400 <= status < 500 and status != 429:
        return Denied(status)
    return Unusable.from_failure(failure)


def as_unusable(failure: Denied | Unusable) -> Unusable:
    if isinstance(failure, Unusable):
        return failure
    return Unusable(f"HiBob refused the request ({failure})")


def base_url() -> str:
    return f"{settings.HIBOB_API_URL}/v1"


def auth(credentials: Mapping[str, str]) -> tuple[str, str]:
    return (credentials.get("service_user_id", ""), credentials.get("token", ""))


def get_json(
    credentials: Mapping[str, str],
    path: str,
    params: Mapping[str, str] | None = None,
    *,
    retry_network_errors: int = 0,
) -> Any:
    """One GET under /v1; a failure raises `Rejected`, `Denied` or `Unusable`.

    Reads done once per employee (thousands in a sync) may retry a timeout or a dropped
    connection: one slow answer should not cost the whole model its sync."""
    for attempt in range(retry_network_errors + 1):
        try:
            return http_get_json(
                f"{base_url()}{path}", headers={}, params=params, auth=auth(credentials)
            )
        except HttpFailure as failure:
            if failure.status_code is not None or attempt == retry_network_errors:
                raise classify(failure) from None
    raise AssertionError("unreachable")


def values_of(body: Any, key: str) -> list[dict[str, Any]]:
    """The list under `key` of a HiBob answer, or `Unusable` when the body is not HiBob's."""
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise Unusable("unexpected response body")
    return items
