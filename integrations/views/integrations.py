"""The integration pages of the dashboard: the list, an integration's page and its live parts,
enable/disable and delete. Thin views over the selectors (reads) and services (writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.api.pagination import is_possible_id
from core.roles import permission_required
from integrations import services
from integrations.actors import Actor
from integrations.forms.integrations import IntegrationFilterForm
from integrations.forms.links import RelinkForm
from integrations.models import Integration
from integrations.selectors import dashboard as dashboard_selectors
from integrations.selectors import history as history_selectors
from integrations.selectors import integrations as integration_selectors
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
        integration_selectors.integration_get_for_operator(integration_id=integration_id)
        if is_possible_id(integration_id)
        else None
    )
    if integration is None:
        raise Http404("No such integration.")
    return integration


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
            "can_reset": any(filters.values())
            or sort != dashboard_selectors.IntegrationSort.NEWEST,
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
                for model in integration_selectors.integration_read_models(integration=integration)
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
