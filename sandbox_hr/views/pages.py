"""Sandbox HR's own pages for its customers: sign-in, employees (and each one's time off and
employment history), time off, Settings → API keys.

Everything the hosted form's guide tells a customer to do happens here. A page shows only the
signed-in user's account; another account's key is as unknown as a made-up id. Only
administrators manage keys. A new key is shown once, in the response to the POST that created
it, and never kept in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.client_address import client_network
from core.login_lockout import lockout_period_words
from core.ratelimit import rate_limit_hit, rate_limit_reached, rate_limit_reset
from sandbox_hr import selectors, services
from sandbox_hr.forms import CustomerApiKeyForm, SignInForm
from sandbox_hr.models import (
    SANDBOX_PERMISSION_DESCRIPTIONS,
    SANDBOX_PERMISSIONS,
    SandboxApiKey,
)
from sandbox_hr.sessions import (
    COOKIE_PATH,
    SandboxSession,
    session_end,
    session_open,
    session_start,
)

SIGN_IN_ERROR = "The email address or password is incorrect."
SIGN_IN_LOCKED = (
    "Too many failed sign-ins with this email address. Signing in is paused for up to "
    "{period}; try again later."
)
SIGN_IN_FAILURES = "sandbox-hr-sign-in-failures"
HOME = "sandbox_hr:employee_list"
API_KEYS = "sandbox_hr:api_key_list"

CustomerView = Callable[..., HttpResponse]


def sign_in_redirect(request: HttpRequest) -> HttpResponse:
    """To the sign-in page, and back to this page afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('sandbox_hr:sign_in')}?{query}")


def signed_in(view: CustomerView) -> CustomerView:
    """Sandbox HR users only: the view gets their session; anyone else goes to the sign-in."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = session_open(request)
        if session is None:
            return sign_in_redirect(request)
        response = view(request, session, *args, **kwargs)
        session.save_if_modified()
        return response

    return wrapper


def administrators_only_for(subject: str) -> Callable[[CustomerView], CustomerView]:
    """Administrators only: anyone else sees that only they can manage `subject` (a 403)."""

    def decorator(view: CustomerView) -> CustomerView:
        @wraps(view)
        def wrapper(
            request: HttpRequest, session: SandboxSession, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not session.user.may_manage_api_keys:
                return customer_page(
                    request,
                    session,
                    "forbidden.html",
                    {"section": "settings", "subject": subject},
                    status=403,
                )
            return view(request, session, *args, **kwargs)

        return wrapper

    return decorator


administrators_only = administrators_only_for("API keys")


def customer_page(
    request: HttpRequest,
    session: SandboxSession,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        f"sandbox_hr/customer/{template}",
        {
            "sandbox_user": session.user,
            "account": session.user.account,
            "notice": session.notice_pop(),
            **context,
        },
        status=status,
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: the Sandbox HR page that asked for it, or the employees."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(COOKIE_PATH) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(HOME)


def _sign_in_locked(failures_key: str) -> bool:
    return rate_limit_reached(
        scope=SIGN_IN_FAILURES, key=failures_key, limit=settings.LOGIN_FAILURE_LIMIT
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if session_open(request) is not None:
        return redirect(_next_url(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    error = None
    status = 200
    if form.is_valid():
        email = form.cleaned_data["email"]
        # Per email *and* address, like the dashboard's lockout: a stranger guessing someone's
        # password locks only themselves out. The right password is refused too while locked.
        failures_key = f"{email.lower()} {client_network(request) or 'unknown'}"
        # Counted before the password is checked: parallel guesses cannot all slip through
        # between a check and the count. A success clears the count.
        over_limit = rate_limit_hit(
            scope=SIGN_IN_FAILURES,
            key=failures_key,
            limit=settings.LOGIN_FAILURE_LIMIT,
            window_seconds=int(settings.LOGIN_LOCKOUT_PERIOD.total_seconds()),
        )
        if not over_limit:
            user = services.sandbox_user_authenticate(
                email=email, password=form.cleaned_data["password"]
            )
            if user is not None:
                rate_limit_reset(scope=SIGN_IN_FAILURES, key=failures_key)
                response = redirect(_next_url(request))
                session_start(request=request, response=response, user=user)
                return response
        if over_limit or _sign_in_locked(failures_key):
            error, status = SIGN_IN_LOCKED.format(period=lockout_period_words()), 429
        else:
            error = SIGN_IN_ERROR
    return render(
        request,
        "sandbox_hr/customer/sign_in.html",
        {"form": form, "error": error, "next": _next_url(request)},
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    response = redirect("sandbox_hr:sign_in")
    session_end(request=request, response=response)
    return response


@require_GET
@signed_in
def home(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    return redirect(HOME)


@require_GET
@signed_in
def employee_list(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    page = selectors.account_employee_directory(
        account=session.user.account, page_number=request.GET.get("page")
    )
    return customer_page(
        request, session, "employee_list.html", {"section": "employees", "page": page}
    )


@require_GET
@signed_in
def employee_detail(
    request: HttpRequest, session: SandboxSession, employee_id: str
) -> HttpResponse:
    employee = selectors.account_employee_get(account=session.user.account, employee_id=employee_id)
    if employee is None:
        return customer_page(
            request, session, "employee_not_found.html", {"section": "employees"}, status=404
        )
    return customer_page(
        request,
        session,
        "employee_detail.html",
        {
            "section": "employees",
            "employee": employee,
            "time_off": selectors.employee_time_off(employee=employee),
        },
    )


@require_GET
@signed_in
def time_off(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    page = selectors.account_absences(
        account=session.user.account, page_number=request.GET.get("page")
    )
    return customer_page(request, session, "time_off.html", {"section": "time_off", "page": page})


@require_GET
@signed_in
def settings_overview(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    return customer_page(request, session, "settings.html", {"section": "settings"})


@require_GET
@signed_in
@administrators_only
def api_key_list(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    keys = selectors.account_api_keys(account=session.user.account)
    return customer_page(
        request, session, "api_key_list.html", {"section": "settings", "keys": keys}
    )


def _permission_rows(form: CustomerApiKeyForm) -> list[tuple[str, str, bool]]:
    """(permission, what it lets a key read, ticked) for each checkbox."""
    ticked = set(form["permissions"].value() or [])
    return [
        (permission, SANDBOX_PERMISSION_DESCRIPTIONS[permission], permission in ticked)
        for permission in SANDBOX_PERMISSIONS
    ]


@require_http_methods(["GET", "POST"])
@signed_in
@administrators_only
def api_key_create_page(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    form = CustomerApiKeyForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return customer_page(
            request,
            session,
            "api_key_create.html",
            {"section": "settings", "form": form, "permissions": _permission_rows(form)},
        )
    key, raw_key = services.sandbox_api_key_create(
        account=session.user.account,
        name=form.cleaned_data["name"],
        permissions=form.cleaned_data["permissions"],
        created_by=session.user,
    )
    return customer_page(
        request,
        session,
        "api_key_created.html",
        {
            "section": "settings",
            "key": key,
            "raw_key": raw_key,
            "permissions": [(p, SANDBOX_PERMISSION_DESCRIPTIONS[p]) for p in key.permissions],
        },
    )


def _key_label(key: SandboxApiKey) -> str:
    return f"“{key.name}” ({key.prefix}…)"


@require_http_methods(["GET", "POST"])
@signed_in
@administrators_only
def api_key_revoke_page(request: HttpRequest, session: SandboxSession, key_id: str) -> HttpResponse:
    key = selectors.account_api_key_get(account=session.user.account, key_id=key_id)
    if key is None:
        return customer_page(
            request, session, "key_not_found.html", {"section": "settings"}, status=404
        )
    if request.method == "GET":
        return customer_page(
            request, session, "api_key_confirm_revoke.html", {"section": "settings", "key": key}
        )
    if key.revoked_at is not None:
        session.notice_set(f"The API key {_key_label(key)} was already revoked; nothing changed.")
        return redirect(API_KEYS)
    services.sandbox_api_key_revoke(key=key, revoked_by=session.user)
    session.notice_set(
        f"Revoked the API key {_key_label(key)}. Tools using it can no longer read your data."
    )
    return redirect(API_KEYS)
