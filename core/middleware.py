"""Request plumbing: the log context of each request (its id, its integration), the health
probes answered ahead of everything else, and one `RequestLog` row per API request (method,
path, status, integration, latency)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse

from core import health
from core.ids import new_id
from core.log_context import (
    log_context_start,
    log_integration_set,
    request_id_from_header,
    sane_id,
)
from core.models import RequestLog
from core.redaction import path_redacted

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
PROBES = {"/healthz": health.healthz, "/readyz": health.readyz}


class RequestContextMiddleware:
    """Every log line of a request carries its `request_id`: the incoming `X-Request-ID` (set
    by a load balancer or the client) when it is a sane token, else a new one; the response
    carries it back. The integration it is about joins as soon as it is known: the
    `X-Integration-Id` header of the API, or an `integration_id` in the URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        # Cleared on `request_finished` (core.apps), not here: Django logs an error answer
        # after the middleware returned it, and that line belongs to this request too.
        log_context_start(
            request_id=request_id,
            integration_id=sane_id(request.headers.get("X-Integration-Id")),
        )
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> None:
        integration_id = view_kwargs.get("integration_id")
        if isinstance(integration_id, str) and sane_id(integration_id):
            log_integration_set(integration_id)


class HealthProbesMiddleware:
    """Answers /healthz and /readyz before the rest of the stack: before Django checks the Host
    header against ALLOWED_HOSTS (Kubernetes and most load balancers probe the pod's own
    address, which is no host name of the site) and before the HTTPS redirect (probes speak
    plain HTTP inside the cluster). No session, no sign-in, no request log row."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)


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
