"""The API key and request log pages of the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import roles
from core.models import ApiKey
from core.roles import permission_required
from core.services import api_key_create, api_key_revoke
from integrations.forms.dashboard import ApiKeyCreateForm, RequestLogFilterForm
from integrations.selectors import dashboard as dashboard_selectors


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_API_KEY, post=roles.ADD_API_KEY)
def api_key_list(request: HttpRequest) -> HttpResponse:
    new_key: tuple[ApiKey, str] | None = None
    if request.method == "POST":
        form = ApiKeyCreateForm(request.POST)
        if form.is_valid():
            # The raw key lives only in this response: never in the session or a message.
            new_key = api_key_create(
                environment=form.cleaned_data["environment"],
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
            form = ApiKeyCreateForm()
    else:
        form = ApiKeyCreateForm()
    return render(
        request,
        "integrations/api_key_list.html",
        {
            "form": form,
            "api_keys": dashboard_selectors.api_key_list(),
            "new_api_key": new_key[0] if new_key else None,
            "new_raw_key": new_key[1] if new_key else None,
        },
        status=400 if request.method == "POST" and new_key is None else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(roles.REVOKE_API_KEY)
def api_key_revoke_page(request: HttpRequest, api_key_id: str) -> HttpResponse:
    """GET asks for confirmation, naming the key; only the POST from that page revokes it."""
    api_key = dashboard_selectors.api_key_get(api_key_id=api_key_id)
    if api_key is None:
        raise Http404("No such API key.")
    if request.method == "GET":
        return render(request, "integrations/api_key_confirm_revoke.html", {"api_key": api_key})
    if api_key.revoked_at is not None:
        messages.info(request, f"API key “{api_key.name}” was already revoked; nothing changed.")
    else:
        api_key_revoke(api_key=api_key)
        messages.success(
            request, f"API key “{api_key.name}” is revoked; requests with it now fail."
        )
    return redirect("dashboard:api_key_list")


@require_GET
@permission_required(roles.VIEW_REQUEST_LOG)
def request_log_list(request: HttpRequest) -> HttpResponse:
    form = RequestLogFilterForm(request.GET)
    return render(
        request,
        "integrations/request_log_list.html",
        {
            "form": form,
            "logs": dashboard_selectors.request_log_list(**form.filters()),
            "limit": dashboard_selectors.REQUEST_LOG_LIST_LIMIT,
        },
    )


@require_GET
@permission_required(roles.VIEW_REQUEST_LOG)
def request_log_detail(request: HttpRequest, log_id: str) -> HttpResponse:
    log = dashboard_selectors.request_log_get(log_id=log_id)
    if log is None:
        raise Http404("No such request log.")
    # The logged id is whatever the client sent, so it may not even fit the URL pattern.
    try:
        integration_url = (
            reverse("dashboard:integration_detail", args=[log.integration_id])
            if log.integration_id
            else None
        )
    except NoReverseMatch:
        integration_url = None
    return render(
        request,
        "integrations/request_log_detail.html",
        {"log": log, "integration_url": integration_url},
    )
