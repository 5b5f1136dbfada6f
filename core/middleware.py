"""One `RequestLog` row per API request (method, path, status, integration, latency)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse

from core.ids import new_id
from core.models import RequestLog
from core.redaction import path_redacted

logger = logging.getLogger(__name__)


class ApiRequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/v1/") or request.path.startswith(
            ("/api/v1/schema/", "/api/v1/docs/")
        ):
            return self.get_response(request)
        # Chosen up front so error envelopes can point their `log_url` at this row.
        request.kombo_log_id = new_id()  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        latency_ms = int((time.perf_counter() - started) * 1000)
        api_key = getattr(request, "kombo_api_key", None)
        integration_id = getattr(request, "kombo_integration_id", None) or request.headers.get(
            "X-Integration-Id"
        )
        log = RequestLog(
            id=request.kombo_log_id,  # type: ignore[attr-defined]
            environment_id=api_key.environment_id if api_key else None,
            api_key=api_key,
            method=request.method or "",
            # PostgreSQL text cannot hold NUL bytes, which a hostile path may carry.
            path=path_redacted(request.path.replace("\x00", ""))[:500],
            status_code=response.status_code,
            integration_id=(integration_id or "").replace("\x00", "")[:80] or None,
            error_code=getattr(request, "kombo_error_code", "")[:64],
            latency_ms=latency_ms,
        )
        try:
            _save(log)
        except Exception:
            # Losing a log row must never turn a served response into an error.
            logger.exception("Could not write the request log for %s", log.path)
        return response


def _save(log: RequestLog) -> None:
    try:
        log.save(force_insert=True)
    except (OperationalError, InterfaceError):
        # The database dropped this request's connection (which is likely why it failed):
        # its `log_url` should still lead somewhere, so try once more on a fresh connection.
        if connection.in_atomic_block:
            raise
        connection.close()
        log.save(force_insert=True)
