"""Operator dashboard pages: thin views over the selectors (reads) and services (writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.roles import permission_required
from integrations import services
from integrations.actors import Actor
from integrations.api.pagination import is_possible_id
from integrations.crypto import decrypt_json, encrypt_json
from integrations.forms.dashboard import ApiKeyCreateForm, RequestLogFilterForm
from integrations.forms.integrations import IntegrationFilterForm
from integrations.forms.links import RelinkForm
from integrations.models import ApiKey, Integration, ReconnectionLink
from integrations.selectors import dashboard as dashboard_selectors
from integrations.selectors import history as history_selectors
from integrations.selectors import integrations as selectors
from integrations.selectors import links as link_selectors
from integrations.selectors.dashboard import HealthState
from integrations.tools import TOOLS

INTEGRATIONS_PER_PAGE = 50
# The newest audit events and credential versions on the integration page; the admin has all.
PAGE_HISTORY_LIMIT = 50


class CountedPaginator(Paginator):
    """A paginator told its row count instead of running COUNT(*) for it."""

    def __init__(self, object_list: Any, per_page: int, *, known_count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @property
    def count(self) -> int:
        return self.known_count


@dataclass(frozen=True)
class IntegrationRow:
    integration: Integration
    health: HealthState
    pause_in: timedelta | None


def get_integration_or_404(integration_id: str) -> Integration:
    integration = (
        selectors.integration_get_for_operator(integration_id=integration_id)
        if is_possible_id(integration_id)
        else None
    )
    if integration is None:
        raise Http404("No such integration.")
    return integration


def get_link_or_404(link_id: str) -> ReconnectionLink:
    """A reconnection link of a live integration."""
    link = (
        link_selectors.reconnection_link_for_operator(link_id=link_id)
        if is_possible_id(link_id)
        else None
    )
    if link is None or link.integration is None or link.integration.deleted_at is not None:
        raise Http404("No such link.")
    return link


@require_GET
@permission_required(roles.VIEW_INTEGRATION)
def integration_list(request: HttpRequest) -> HttpResponse:
    form = IntegrationFilterForm(request.GET)
    filters = form.filters()
    sort = form.sort_order()
    integrations = dashboard_selectors.integration_dashboard_list(**filters, sort=sort)
    counts = dashboard_selectors.integration_state_counts(
        environment=filters["environment"], tool=filters["tool"], search=filters["search"]
    )
    # The chips already counted the rows of this filter: no second COUNT over the table.
    paginator = CountedPaginator(
        integrations, INTEGRATIONS_PER_PAGE, known_count=counts[filters["state"]]
    )
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for integration in page.object_list:
        pause_at = dashboard_selectors.pause_due_at(integration)
        rows.append(
            IntegrationRow(
                integration,
                dashboard_selectors.integration_health_state(integration),
                pause_at - now if pause_at else None,
            )
        )
    return render(
        request,
        "integrations/integration_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "state_chips": [(state, counts[state]) for state in HealthState],
            "total_count": counts[None],
            "current_state": filters["state"],
            "sort": sort.value,
            "is_filtered": any(filters.values()),
        },
    )


def _live_context(integration: Integration, now: datetime) -> dict[str, Any]:
    """What the parts of the integration page that a sync or an auth check changes show."""
    return {
        "integration": integration,
        "health": dashboard_selectors.integration_health_summary(integration=integration, now=now),
        "pause_at": dashboard_selectors.pause_due_at(integration),
        "timeline": history_selectors.integration_timeline(
            integration=integration, limit=PAGE_HISTORY_LIMIT
        ),
        "history_limit": PAGE_HISTORY_LIMIT,
        "now": now,
    }


@require_GET
@permission_required(roles.VIEW_INTEGRATION)
def integration_detail(request: HttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    now = timezone.now()
    return render(
        request,
        "integrations/integration_detail.html",
        {
            **_live_context(integration, now),
            "tool": TOOLS.get(integration.tool),
            "read_models": [
                (model, sum(field.is_available for field in model.fields))
                for model in selectors.integration_read_models(integration=integration)
            ],
            "credential_versions": history_selectors.credential_history(
                integration=integration, limit=PAGE_HISTORY_LIMIT
            ),
            "relink_form": RelinkForm(integration=integration),
            "reconnection_links": link_selectors.integration_relink_links(
                integration=integration, now=now
            ),
        },
    )


@never_cache
@require_GET
@permission_required(roles.VIEW_INTEGRATION)
def integration_live(request: HttpRequest, integration_id: str) -> HttpResponse:
    """The integration page's parts that a sync or an auth check changes, swapped in by htmx
    (out of band, each by its id) when the page hears `integration-changed`."""
    integration = get_integration_or_404(integration_id)
    return render(
        request,
        "integrations/_integration_live.html",
        _live_context(integration, timezone.now()),
    )


@require_POST
@permission_required(roles.ENABLE_INTEGRATION)
def integration_enabled_update(request: HttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    enabled = request.POST.get("enabled") == "true"
    changed = services.integration_set_enabled(
        integration=integration, enabled=enabled, actor=Actor.operator(request.user)
    )
    name = integration.organization_name
    if not changed:
        messages.info(request, f"{name} was already {'enabled' if enabled else 'disabled'}.")
    elif enabled:
        messages.success(request, f"{name} is enabled again; a sync is scheduled.")
    else:
        messages.success(request, f"{name} is disabled. Credentials and configuration are kept.")
    return redirect("dashboard:integration_detail", integration_id=integration.pk)


@require_http_methods(["GET", "POST"])
@permission_required(roles.DELETE_INTEGRATION)
def integration_delete_confirm(request: HttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    if request.method == "POST":
        services.integration_delete(integration=integration, actor=Actor.operator(request.user))
        messages.success(
            request,
            f"The integration with {integration.organization_name} was deleted "
            "and its credentials destroyed.",
        )
        return redirect("dashboard:integration_list")
    return render(
        request,
        "integrations/integration_confirm_delete.html",
        {"integration": integration, "tool": TOOLS.get(integration.tool)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_API_KEY, post=roles.ADD_API_KEY)
def api_key_list(request: HttpRequest) -> HttpResponse:
    new_key: tuple[ApiKey, str] | None = None
    if request.method == "POST":
        form = ApiKeyCreateForm(request.POST)
        if form.is_valid():
            # The raw key lives only in this response: never in the session or a message.
            new_key = services.api_key_create(
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
        services.api_key_revoke(api_key=api_key)
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


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a POST that created something: the browser GETs the result, and a reload of that
    page repeats the GET, never the POST."""

    status_code = 303


# Session key of the link URLs created but not shown yet: {link id: encrypted URL}.
LINKS_TO_SHOW = "relink_urls_to_show"


@require_POST
@permission_required(roles.RELINK_INTEGRATION)
def integration_relink(request: HttpRequest, integration_id: str) -> HttpResponse:
    """Create a reconnection link; the next page shows its URL, once."""
    integration = get_integration_or_404(integration_id)
    form = RelinkForm(request.POST, integration=integration)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("dashboard:integration_detail", integration_id=integration.pk)
    link, url = services.relink_link_create(
        integration=integration,
        link_type=form.cleaned_data["link_type"],
        language=form.cleaned_data["language"],
        scope_config=form.cleaned_data["scope_config"],
        actor=Actor.operator(request.user),
    )
    if form.cleaned_data.get("send_email") and services.relink_link_email(link=link, url=url):
        messages.success(request, f"Sent by email to {integration.creator_email}.")
    # The URL is a credential of sorts: encrypted like stored credentials while it waits in
    # the session for the one page that shows it (never in a URL, a message or a log).
    to_show = request.session.get(LINKS_TO_SHOW, {})
    to_show[link.pk] = encrypt_json({"url": url})
    request.session[LINKS_TO_SHOW] = to_show
    return HttpResponseSeeOther(reverse("dashboard:reconnection_link_created", args=[link.pk]))


@never_cache
@require_GET
@permission_required(roles.RELINK_INTEGRATION)
def reconnection_link_created(request: HttpRequest, link_id: str) -> HttpResponse:
    link = get_link_or_404(link_id)
    to_show = request.session.get(LINKS_TO_SHOW, {})
    encrypted_url = to_show.pop(link.pk, None)
    if encrypted_url is not None:
        request.session[LINKS_TO_SHOW] = to_show
    return render(
        request,
        "integrations/relink_created.html",
        {
            "integration": link.integration,
            "link": link,
            "url": decrypt_json(encrypted_url)["url"] if encrypted_url else None,
        },
    )


@require_POST
@permission_required(roles.RELINK_INTEGRATION)
def reconnection_link_revoke(request: HttpRequest, link_id: str) -> HttpResponse:
    link = get_link_or_404(link_id)
    if services.relink_link_revoke(link=link, actor=Actor.operator(request.user)):
        messages.success(request, "The link was revoked; it no longer works.")
    else:
        messages.info(request, "The link was already used or revoked.")
    return redirect("dashboard:integration_detail", integration_id=link.integration_id)
