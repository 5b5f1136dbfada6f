"""The Sandbox HR HTTP API, exactly as the `sandbox` connector expects it.

See the module docstring of `integrations.tools.sandbox` for the contract. An OAuth access token
is accepted wherever an API key is, its granted scopes standing for the key's permissions.
Every answer is JSON, errors included: `{"error": {"code", "message", ...}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import wraps
from typing import Any, TypedDict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from sandbox_hr.models import (
    PERM_ABSENCES,
    PERM_COMPENSATION,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_ORG,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    SandboxAbsence,
    SandboxAbsenceType,
    SandboxEmployee,
    SandboxEmployment,
    SandboxGroup,
    SandboxLegalEntity,
    SandboxLocation,
    SandboxTimeOffBalance,
)
from sandbox_hr.selectors import (
    InvalidCursorError,
    PageCursor,
    RecordPage,
    RecordT,
    cursor_decode,
    employee_page,
    group_page,
    record_page,
)
from sandbox_hr.services import (
    ACCESS_TOKEN_PREFIX,
    PermissionHolder,
    SandboxCaller,
    sandbox_caller_authenticate,
)

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

ApiView = Callable[[HttpRequest, SandboxCaller], HttpResponse]


class BadParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def _error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


def _bearer(request: HttpRequest) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def sandbox_api(permission: str | None = None) -> Callable[[ApiView], Callable[..., HttpResponse]]:
    """GET only, Bearer API key or OAuth access token, optional required permission, JSON
    errors."""

    def decorator(view: ApiView) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            if request.method != "GET":
                response = _error(405, "method_not_allowed", "Only GET is supported.")
                response["Allow"] = "GET"
                return response
            bearer = _bearer(request)
            caller = sandbox_caller_authenticate(bearer=bearer) if bearer else None
            if caller is None:
                return _unauthenticated(bearer)
            if permission is not None and not caller.has_permission(permission):
                return _error(
                    403,
                    "missing_permission",
                    f"This {caller.credential} lacks the permission {permission}",
                    permission=permission,
                )
            try:
                return view(request, caller)
            except BadParameterError as exc:
                return _error(400, "invalid_parameter", str(exc), parameter=exc.parameter)
            except Exception:
                logger.exception("Sandbox HR API error on %s", request.path)
                return _error(500, "internal_error", "Sandbox HR hit an unexpected error.")

        return wrapper

    return decorator


def _unauthenticated(bearer: str) -> JsonResponse:
    if bearer.startswith(ACCESS_TOKEN_PREFIX):
        # RFC 6750 §3.1: an expired, revoked or unknown access token is `invalid_token`.
        response = _error(
            401,
            "invalid_token",
            "The access token is unknown, expired or revoked. Refresh it, or ask the company "
            "to connect the app again.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="sandbox-hr", error="invalid_token"'
        return response
    response = _error(
        401,
        "invalid_api_key",
        "The API key is missing, unknown or revoked. Send it as `Authorization: Bearer <API key>`.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="sandbox-hr"'
    return response


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise BadParameterError("limit", f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    return int(raw)


def _cursor(request: HttpRequest) -> PageCursor | None:
    raw = request.GET.get("cursor")
    if not raw:
        return None
    try:
        return cursor_decode(raw)
    except InvalidCursorError as exc:
        raise BadParameterError("cursor", str(exc)) from None


def _updated_since(request: HttpRequest) -> datetime | None:
    raw = (request.GET.get("updated_since") or "").strip()
    if not raw:
        return None
    # An unencoded `+02:00` offset arrives as ` 02:00`.
    for text in (raw, raw.replace(" ", "+")):
        moment = _parse_moment(text)
        if moment is not None:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    raise BadParameterError(
        "updated_since", "updated_since must be an ISO 8601 date-time, e.g. 2024-05-01T00:00:00Z."
    )


class _PageQuery(TypedDict):
    after: PageCursor | None
    limit: int
    updated_since: datetime | None


def _page_query(request: HttpRequest) -> _PageQuery:
    """The paging parameters every list endpoint takes."""
    return {
        "after": _cursor(request),
        "limit": _limit(request),
        "updated_since": _updated_since(request),
    }


def _page_response(
    page: RecordPage[RecordT], record_json: Callable[[RecordT], dict[str, Any]]
) -> JsonResponse:
    return JsonResponse(
        {"data": [record_json(record) for record in page.records], "next_cursor": page.next_cursor}
    )


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        if moment is not None:
            return moment
        day = parse_date(text)
    except ValueError:
        return None
    return datetime.combine(day, time.min) if day is not None else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def employee_json(
    employee: SandboxEmployee, caller: PermissionHolder, *, department_ids: list[str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": employee.pk,
        "employee_number": employee.employee_number,
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "preferred_name": employee.preferred_name,
        "email": employee.email,
        "job_title": employee.job_title,
        "status": employee.status,
        "employment_type": employee.employment_type,
        "weekly_hours": float(employee.weekly_hours) if employee.weekly_hours is not None else None,
        "manager_id": employee.manager_id,
        "location_id": employee.location_id,
        "legal_entity_id": employee.legal_entity_id,
        "hire_date": _iso(employee.hire_date),
        "termination_date": _iso(employee.termination_date),
        "created_at": _iso(employee.created_at),
        "updated_at": _iso(employee.updated_at),
    }
    if caller.has_permission(PERM_GROUPS):
        record["department_ids"] = department_ids
    if caller.has_permission(PERM_PERSONAL):
        address = employee.home_address
        record.update(
            nationality=employee.nationality,
            private_email=employee.private_email,
            mobile_phone=employee.mobile_phone,
            gender=employee.gender,
            marital_status=employee.marital_status,
            birth_date=_iso(employee.birth_date),
            home_address=(
                {part: address.get(part) for part in ("street", "city", "zip", "country")}
                if isinstance(address, dict)
                else None
            ),
        )
    if caller.has_permission(PERM_SENSITIVE):
        record.update(
            ssn=employee.ssn, tax_id=employee.tax_id, bank_accounts=employee.bank_accounts or []
        )
    return record


def group_json(group: SandboxGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "type": group.type,
        "parent_id": group.parent_id,
        "updated_at": _iso(group.updated_at),
    }


def _amount(value: Any) -> float | None:
    return float(value) if value is not None else None


def _address_json(address: Any) -> dict[str, Any] | None:
    if not isinstance(address, dict):
        return None
    return {part: address.get(part) for part in ("street", "city", "zip", "country")}


def location_json(location: SandboxLocation) -> dict[str, Any]:
    return {
        "id": location.pk,
        "name": location.name,
        "type": location.type,
        "address": _address_json(location.address),
        "updated_at": _iso(location.updated_at),
    }


def legal_entity_json(entity: SandboxLegalEntity) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "name": entity.name,
        "address": _address_json(entity.address),
        "updated_at": _iso(entity.updated_at),
    }


def employment_json(employment: SandboxEmployment) -> dict[str, Any]:
    return {
        "id": employment.pk,
        "employee_id": employment.employee_id,
        "job_title": employment.job_title,
        "employment_type": employment.employment_type,
        "pay_rate": _amount(employment.pay_rate),
        "pay_currency": employment.pay_currency,
        "pay_period": employment.pay_period,
        "pay_frequency": employment.pay_frequency,
        "effective_date": _iso(employment.effective_date),
        "updated_at": _iso(employment.updated_at),
    }


def absence_type_json(absence_type: SandboxAbsenceType) -> dict[str, Any]:
    return {
        "id": absence_type.pk,
        "name": absence_type.name,
        "unit": absence_type.unit,
        "half_days_allowed": absence_type.half_days_allowed,
        "updated_at": _iso(absence_type.updated_at),
    }


def absence_json(absence: SandboxAbsence) -> dict[str, Any]:
    return {
        "id": absence.pk,
        "employee_id": absence.employee_id,
        "type_id": absence.type_id,
        "start_date": _iso(absence.start_date),
        "end_date": _iso(absence.end_date),
        "start_half_day": absence.start_half_day,
        "end_half_day": absence.end_half_day,
        "amount": _amount(absence.amount),
        "unit": absence.unit,
        "status": absence.status,
        "note": absence.note,
        "created_at": _iso(absence.created_at),
        "updated_at": _iso(absence.updated_at),
    }


def time_off_balance_json(balance: SandboxTimeOffBalance) -> dict[str, Any]:
    return {
        "id": balance.pk,
        "employee_id": balance.employee_id,
        "type_id": balance.type_id,
        "balance": _amount(balance.balance),
        "used": _amount(balance.used),
        "unit": balance.unit,
        "updated_at": _iso(balance.updated_at),
    }


@sandbox_api()
def me(request: HttpRequest, caller: SandboxCaller) -> HttpResponse:
    return JsonResponse(
        {
            "account": {"id": caller.account.pk, "name": caller.account.name},
            "permissions": list(caller.permissions),
        }
    )


@sandbox_api(PERM_EMPLOYEES)
def employees(request: HttpRequest, caller: SandboxCaller) -> HttpResponse:
    page = employee_page(
        account=caller.account,
        **_page_query(request),
        with_departments=caller.has_permission(PERM_GROUPS),
    )
    return _page_response(
        page,
        lambda employee: employee_json(
            employee, caller, department_ids=page.department_ids.get(employee.pk, [])
        ),
    )


@sandbox_api(PERM_GROUPS)
def groups(request: HttpRequest, caller: SandboxCaller) -> HttpResponse:
    page = group_page(account=caller.account, **_page_query(request))
    return _page_response(page, group_json)


def _record_list(model: type[RecordT], record_json: Callable[[RecordT], dict[str, Any]]) -> ApiView:
    def view(request: HttpRequest, caller: SandboxCaller) -> HttpResponse:
        page = record_page(model=model, account=caller.account, **_page_query(request))
        return _page_response(page, record_json)

    return view


locations = sandbox_api(PERM_ORG)(_record_list(SandboxLocation, location_json))
legal_entities = sandbox_api(PERM_ORG)(_record_list(SandboxLegalEntity, legal_entity_json))
employments = sandbox_api(PERM_COMPENSATION)(_record_list(SandboxEmployment, employment_json))
absence_types = sandbox_api(PERM_ABSENCES)(_record_list(SandboxAbsenceType, absence_type_json))
absences = sandbox_api(PERM_ABSENCES)(_record_list(SandboxAbsence, absence_json))
time_off_balances = sandbox_api(PERM_ABSENCES)(
    _record_list(SandboxTimeOffBalance, time_off_balance_json)
)


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    return _error(
        404, "not_found", f"Sandbox HR has no endpoint at {request.method} {request.path}."
    )
