"""Dashboard pages of the syncs app: check auth now, sync now, a sync's log."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from integrations.models import IntegrationStatus, SyncType
from integrations.views import get_integration_or_404, operator_required
from syncs.models import AuthCheckTrigger, SyncTrigger
from syncs.selectors import sync_get_for_operator, sync_progress_shown
from syncs.services import auth_check_run, sync_enqueue


@require_POST
@operator_required
def integration_check_auth(request: HttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    if run.result.outcome == "OK":
        messages.success(request, f"Authentication works ({run.check.latency_ms} ms).")
    elif run.result.outcome == "UNREACHABLE":
        messages.warning(request, f"The tool could not be reached: {run.result.message}")
    else:
        messages.error(request, f"Authentication failed: {run.result.message}")
    return redirect("dashboard:integration_detail", integration_id=integration.pk)


@require_POST
@operator_required
def integration_sync_now(request: HttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    if not integration.enabled or integration.status == IntegrationStatus.INVALID:
        messages.error(request, "Only an active integration can sync.")
    else:
        _, created = sync_enqueue(
            integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR
        )
        messages.success(request, "Sync queued." if created else "A sync is already queued.")
    return redirect("dashboard:integration_detail", integration_id=integration.pk)


@never_cache
@require_GET
@operator_required
def integration_sync_progress(request: HttpRequest, integration_id: str) -> HttpResponse:
    """The progress fragment htmx polls while a sync runs."""
    integration = get_integration_or_404(integration_id)
    sync, running = sync_progress_shown(integration=integration, polling=True)
    return render(
        request,
        "syncs/_sync_progress.html",
        {"integration": integration, "sync": sync, "polling": running},
    )


@require_GET
@operator_required
def sync_detail(request: HttpRequest, sync_id: str) -> HttpResponse:
    """A sync's log: what the `log_url` of its sync-finished webhook opens."""
    sync = sync_get_for_operator(sync_id=sync_id)
    if sync is None:
        raise Http404("No such sync.")
    return render(request, "syncs/sync_detail.html", {"sync": sync})
