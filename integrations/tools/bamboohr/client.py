"""One BambooHR company: which one the credentials name, its requests, how a refusal reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from integrations.tools.base import AuthResult, ToolError
from integrations.tools.http import HttpFailure, http_get_json, http_request_json

CRED_COMPANY_DOMAIN = "companyDomain"
CRED_API_KEY = "apiKey"

_COMPANY_DOMAIN = re.compile(r"[a-z0-9-]{1,63}")
# People paste their whole BambooHR address; keep only the company part of it.
_BAMBOOHR_ADDRESS = re.compile(r"(?:https?://)?([^./]+)\.bamboohr\.com/?")


@dataclass(frozen=True)
class Company:
    """One BambooHR company as the key's user sees it; the key stays out of every repr."""

    domain: str
    api_key: str = field(repr=False)

    def _url(self, path: str) -> str:
        return settings.BAMBOOHR_API_URL.format(subdomain=self.domain) + path

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        # BambooHR answers XML unless asked for JSON.
        return http_get_json(
            self._url(path),
            headers={"Accept": "application/json"},
            params=params,
            auth=(self.api_key, "x"),
        )

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return http_request_json(
            "POST",
            self._url(path),
            headers={"Accept": "application/json"},
            json_body=body,
            auth=(self.api_key, "x"),
        )


class UnexpectedBodyError(Exception):
    pass


def company_domain(raw: str) -> str | None:
    """The company part of what was entered as the company domain; None if there is none."""
    value = raw.strip().lower()
    address = _BAMBOOHR_ADDRESS.fullmatch(value)
    if address:
        value = address.group(1)
    return value if _COMPANY_DOMAIN.fullmatch(value) else None


def company_from(credentials: Mapping[str, str]) -> Company | str:
    """The company to talk to, or why the credentials cannot name one."""
    raw_domain = credentials.get(CRED_COMPANY_DOMAIN, "")
    if not raw_domain.strip():
        return "Enter your BambooHR company domain (the part before .bamboohr.com)."
    domain = company_domain(raw_domain)
    if domain is None:
        return (
            "That is not a BambooHR company domain: enter only the part before .bamboohr.com, "
            "e.g. 'acme' for https://acme.bamboohr.com."
        )
    api_key = credentials.get(CRED_API_KEY, "").strip()
    if not api_key:
        return "No API key was given."
    return Company(domain, api_key)


def is_permanent(failure: HttpFailure) -> bool:
    """4xx (but a rate limit or timeout) and redirects will not heal by retrying."""
    status = failure.status_code
    return status is not None and 300 <= status < 500 and status not in (408, 429)


def auth_failure(failure: HttpFailure) -> AuthResult:
    status = failure.status_code
    if status == 401:
        return AuthResult.invalid(
            "BambooHR rejected the API key for this company domain (unknown, revoked or "
            "belonging to another company)."
        )
    if status == 403:
        return AuthResult.invalid(
            "BambooHR refused the API key: its user is disabled or may not use the API (BambooHR "
            "also blocks the API for a while after repeated wrong keys)."
        )
    if status == 404:
        return AuthResult.invalid(
            "BambooHR does not know this company domain: check the part before .bamboohr.com "
            "in your BambooHR address."
        )
    if status is not None and 200 <= status < 300:
        return AuthResult.unreachable(f"BambooHR's answer could not be read: {failure}.")
    return AuthResult.unreachable(
        f"BambooHR could not be reached: {failure}.",
        retry_after_seconds=failure.retry_after_seconds,
    )


def read(
    company: Company,
    path: str,
    what: str,
    *,
    params: Mapping[str, str] | None = None,
    permission: str | None = None,
    missing_ok: bool = False,
) -> Any:
    """A GET during a sync: a failure becomes a ToolError that says what could not be read.
    With `missing_ok`, a 404 (an employee deleted since their id was read) answers None."""
    try:
        return company.get(path, params=params)
    except HttpFailure as failure:
        if missing_ok and failure.status_code == 404:
            return None
        needs = f" (needs '{permission}')" if permission and failure.status_code == 403 else ""
        raise ToolError(
            f"BambooHR {what}: {failure}{needs}", transient=not is_permanent(failure)
        ) from failure


def unexpected_body(what: str) -> ToolError:
    return ToolError(f"BambooHR {what}: unexpected response body.", transient=True)
