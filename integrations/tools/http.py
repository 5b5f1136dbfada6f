"""Outgoing HTTP for connectors: explicit timeouts, errors classified, secrets kept out.

Auth checks do not retry (a failing check is itself the signal); callers decide what a failure
means. Messages never contain request headers or credentials.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from django.conf import settings

USER_AGENT = "kombo-site/1.0"
# `type/subtype` with optional plain `; name=value` parameters: no quotes, markup or controls.
_PLAIN_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(?:\s*;\s*[\w.+-]+=[\w.+-]+)*", re.ASCII)


class HttpFailure(Exception):
    """The call did not produce a usable JSON body. `status_code` is None for network errors."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        retry_after_seconds: float | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retry_after_seconds = retry_after_seconds
        # The start of an error response, for connectors that read vendor error codes from it.
        # Never included in the message: vendors sometimes echo request data.
        self.body = body


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """How long the vendor asks us to wait: `Retry-After`, else an `X-RateLimit-Reset` epoch."""
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if retry_after is not None:
        return retry_after
    reset = headers.get("X-RateLimit-Reset", "").strip()
    if reset.isdigit() and int(reset) > 1_000_000_000:
        return max(0.0, int(reset) - datetime.now(UTC).timestamp())
    return None


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


T = TypeVar("T")


def rate_limits_waited_out(
    call: Callable[[], T],
    *,
    waits: int,
    longest_wait: float,
    default_wait: float | None = None,
) -> T:
    """A sync's read, with the vendor's rate limit (429) waited out up to `waits` times: for
    its `Retry-After`, else `default_wait` (without either, no wait), never for longer than
    `longest_wait`. Any other failure, or one wait too many, raises its `HttpFailure`."""
    waited = 0
    while True:
        try:
            return call()
        except HttpFailure as failure:
            wait = failure.retry_after_seconds
            if wait is None:
                wait = default_wait
            if failure.status_code != 429 or wait is None or wait > longest_wait or waited >= waits:
                raise
        waited += 1
        time.sleep(wait)


def http_get_json(
    url: str,
    *,
    headers: Mapping[str, str],
    params: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float | None = None,
) -> Any:
    return http_request_json("GET", url, headers=headers, params=params, auth=auth, timeout=timeout)


def http_request_json(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    params: Mapping[str, str] | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float | None = None,
) -> Any:
    """One call, its JSON body returned; anything else raises `HttpFailure` (never a secret)."""
    limit = settings.TOOL_HTTP_TIMEOUT if timeout is None else timeout
    try:
        response = requests.request(
            method,
            url,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT, **headers},
            params=params,
            json=json_body,
            data=form,
            auth=auth,
            timeout=(min(limit, 10.0), limit),
            allow_redirects=False,
        )
    except requests.Timeout:
        raise HttpFailure(f"timed out after {limit:g} s") from None
    except requests.ConnectionError:
        raise HttpFailure("connection failed") from None
    except requests.RequestException as exc:
        raise HttpFailure(f"request failed ({type(exc).__name__})") from None
    if response.status_code >= 400:
        # 429 and 503 both carry the vendor's wish of when to come back (BambooHR throttles
        # with 503).
        raise HttpFailure(
            "rate limited (HTTP 429)"
            if response.status_code == 429
            else f"HTTP {response.status_code}",
            status_code=response.status_code,
            retry_after_seconds=_retry_after_seconds(response.headers),
            body=response.text[:2000],
        )
    if 300 <= response.status_code < 400:
        raise HttpFailure(
            f"unexpected redirect (HTTP {response.status_code})", status_code=response.status_code
        )
    try:
        return response.json()
    except ValueError:
        content_type = _content_type_label(response.headers.get("Content-Type", ""))
        raise HttpFailure(
            f"the response was not JSON (Content-Type {content_type})",
            status_code=response.status_code,
        ) from None


def _content_type_label(value: str) -> str:
    """The vendor's (or a proxy's) Content-Type, fit for a message shown on pages: kept only
    when short and plain, else its media type, else a placeholder."""
    value = value.strip()
    if len(value) <= 100 and _PLAIN_CONTENT_TYPE.fullmatch(value):
        return value
    media_type = value.split(";", 1)[0].strip()
    if len(media_type) <= 100 and _PLAIN_CONTENT_TYPE.fullmatch(media_type):
        return media_type
    return "unknown"
