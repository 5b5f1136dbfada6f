"""Kombo's error envelope for every API error, whatever raised it.

`{"status": "error", "error": {"code", "title", "message", "log_url"}}`; never an HTML page or a
500 for bad input under `/api/`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response

from core.redaction import path_redacted
from core.site_urls import site_url

logger = logging.getLogger(__name__)


class KomboApiError(exceptions.APIException):
    """An API error with a Kombo error code."""

    def __init__(self, *, status_code: int, code: str, title: str, message: str) -> None:
        super().__init__(detail=message)
        self.status_code = status_code
        self.kombo_code = code
        self.title = title
        self.message = message


class IntegrationNotFound(KomboApiError):
    def __init__(self, integration_id: str) -> None:
        super().__init__(
            status_code=404,
            code="PLATFORM.INTEGRATION_NOT_FOUND",
            title="Integration not found",
            message=f"No integration with the ID {integration_id!r} exists in this environment.",
        )


class InputInvalid(KomboApiError):
    def __init__(self, message: str) -> None:
        super().__init__(
            status_code=400,
            code="PLATFORM.INPUT_INVALID",
            title="Invalid input",
            message=message,
        )


class InputNotFound(KomboApiError):
    """An ID in the path that names nothing in the API key's environment: Kombo answers 404
    under its input-invalid code."""

    def __init__(self, *, title: str, message: str) -> None:
        super().__init__(
            status_code=404, code="PLATFORM.INPUT_INVALID", title=title, message=message
        )


def log_url_for(request: HttpRequest) -> str | None:
    log_id = getattr(request, "kombo_log_id", None)
    if log_id is None:
        return None
    return site_url("dashboard:request_log_detail", log_id)


def error_body(request: HttpRequest, *, code: str, title: str, message: str) -> dict[str, Any]:
    request.kombo_error_code = code  # type: ignore[attr-defined]
    return {
        "status": "error",
        "error": {
            "code": code,
            "title": title,
            "message": message,
            "log_url": log_url_for(request),
        },
    }


def _flatten_validation_errors(detail: Any, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        messages: list[str] = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            path = f"{prefix}.{name}" if prefix and name else (name or prefix)
            messages.extend(_flatten_validation_errors(value, path))
        return messages
    if isinstance(detail, list):
        messages = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            messages.extend(
                _flatten_validation_errors(value, f"{prefix}[{index}]" if nested else prefix)
            )
        return messages
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def _classify(exc: Exception) -> tuple[int, str, str, str] | None:
    if isinstance(exc, KomboApiError):
        return exc.status_code, exc.kombo_code, exc.title, exc.message
    if isinstance(exc, exceptions.ValidationError):
        message = "; ".join(_flatten_validation_errors(exc.detail)) or "Invalid input."
        return 400, "PLATFORM.INPUT_INVALID", "Invalid input", message
    if isinstance(exc, exceptions.ParseError):
        return (
            400,
            "PLATFORM.INPUT_INVALID",
            "Invalid input",
            f"Malformed request body: {exc.detail}",
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return 415, "PLATFORM.INPUT_INVALID", "Invalid input", str(exc.detail)
    if isinstance(exc, RequestDataTooBig):
        return 413, "PLATFORM.INPUT_INVALID", "Invalid input", "The request body is too large."
    if isinstance(exc, SuspiciousOperation):
        return 400, "PLATFORM.INPUT_INVALID", "Invalid input", "The request was rejected."
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return 401, "PLATFORM.AUTHENTICATION_INVALID", "Authentication invalid", str(exc.detail)
    if isinstance(exc, exceptions.PermissionDenied | PermissionDenied):
        return 403, "PLATFORM.AUTHENTICATION_INVALID", "Permission denied", "Permission denied."
    if isinstance(exc, exceptions.Throttled):
        return 429, "PLATFORM.RATE_LIMIT_EXCEEDED", "Rate limit exceeded", str(exc.detail)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, "PLATFORM.INPUT_INVALID", "Method not allowed", str(exc.detail)
    if isinstance(exc, exceptions.NotAcceptable):
        return 406, "PLATFORM.INPUT_INVALID", "Not acceptable", str(exc.detail)
    if isinstance(exc, exceptions.NotFound | Http404):
        return 404, "PLATFORM.INPUT_INVALID", "Not found", "The requested resource does not exist."
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, "PLATFORM.UNKNOWN_ERROR", "Error", str(exc.detail)
    return None


def kombo_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request: HttpRequest = context["request"]._request
    classified = _classify(exc)
    if classified is None:
        logger.exception(
            "Unhandled API error on %s %s", request.method, path_redacted(request.path)
        )
        classified = (
            500,
            "PLATFORM.UNKNOWN_ERROR",
            "Unknown error",
            "An unexpected error occurred. Share the log_url with support.",
        )
    status_code, code, title, message = classified
    response = Response(
        error_body(request, code=code, title=title, message=message), status=status_code
    )
    if status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    wait = getattr(exc, "wait", None)
    if status_code == 429 and wait:
        response["Retry-After"] = str(int(wait))
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        body = error_body(
            request,
            code="PLATFORM.INPUT_INVALID",
            title="Not found",
            message=f"No API endpoint at {request.method} {request.path}.",
        )
        return JsonResponse(body, status=404)
    response = defaults.page_not_found(request, exception)
    if isinstance(response, TemplateResponse):
        response.render()
    return response


# API clients send no CSRF token: without the exemption an unknown path answered a POST, PUT,
# PATCH or DELETE with Django's HTML "CSRF verification failed" page instead of the envelope.
@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    return handler404(request, Http404())


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        body = error_body(
            request,
            code="PLATFORM.UNKNOWN_ERROR",
            title="Unknown error",
            message="An unexpected error occurred. Share the log_url with support.",
        )
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
