"""Dashboard pages of the syncs app: check auth now, sync now, the progress of a sync, and a
sync's log.

Both actions work as plain forms (POST, message, redirect). From htmx they answer with the
integration page's activity area instead — the action's outcome, and the sync progress that
polls while a sync runs — and with an `integration-changed` event, on which the page refreshes
its banner, health cards and tables (`integrations.views.integrations.integration_live`)
without a reload.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from core import roles
from core.roles import permission_required
from integrations.models import Integration, SyncType
from integrations.views.integrations import get_integration_or_404
from syncs.models import AuthCheckTrigger, SyncTrigger
from syncs.selectors.syncs import sync_get_for_operator, sync_progress_shown, sync_warning_groups
from syncs.services import AuthCheckRun, SyncRefusedError, auth_check_run, sync_force

# What the integration page's panels listen for to refresh themselves.
INTEGRATION_CHANGED = "integration-changed"


class HtmxHttpRequest(HttpRequest):
    """A request seen by django-htmx's middleware (its documented way to type `request.htmx`)."""

    htmx: HtmxDetails


def _check_outcome(run: AuthCheckRun) -> tuple[int, str]:
    """The message level and words of a manual auth check's outcome."""
    if run.result.outcome == "OK":
        return messages.SUCCESS, f"Authentication works ({run.check.latency_ms} ms)."
    if run.result.outcome == "UNREACHABLE":
        return messages.WARNING, f"The tool could not be reached: {run.result.message}"
    return messages.ERROR, f"Authentication failed: {run.result.message}"


def _activity(
    request: HttpRequest, integration: Integration, *, level: str = "", text: str = ""
) -> HttpResponse:
    """The activity area after an action: its outcome (if it has words) replaces the previous
    one, and the progress shows the sync that runs now, if any — never a finished one, which
    would sit, stale, under the outcome of a newer action."""
    sync, running = sync_progress_shown(integration=integration)
    return render(
        request,
        "syncs/_action_outcome.html",
        {
            "integration": integration,
            "level": level,
            "text": text,
            "at": timezone.now(),
            "sync": sync if running else None,
            "polling": running,
        },
    )


@require_POST
@permission_required(roles.CHECK_AUTH_INTEGRATION)
def integration_check_auth(request: HtmxHttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    level, text = _check_outcome(run)
    if request.htmx:
        activity = _activity(request, integration, level=messages.DEFAULT_TAGS[level], text=text)
        return trigger_client_event(activity, INTEGRATION_CHANGED)
    messages.add_message(request, level, text)
    return redirect("dashboard:integration_detail", integration_id=integration.pk)


@require_POST
@permission_required(roles.FORCE_SYNC_INTEGRATION)
def integration_sync_now(request: HtmxHttpRequest, integration_id: str) -> HttpResponse:
    integration = get_integration_or_404(integration_id)
    try:
        _, created = sync_force(
            integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.OPERATOR
        )
    except SyncRefusedError:
        refusal = "Only an active integration can sync."
        if request.htmx:
            return _activity(request, integration, level="error", text=refusal)
        messages.error(request, refusal)
        return redirect("dashboard:integration_detail", integration_id=integration.pk)
    if request.htmx:
        # The progress says "Sync queued" (or shows the one already running) by itself.
        return trigger_client_event(_activity(request, integration), INTEGRATION_CHANGED)
    messages.success(request, "Sync queued." if created else "A sync is already queued.")
    return redirect("dashboard:integration_detail", integration_id=integration.pk)


@never_cache
@require_GET
@permission_required(roles.VIEW_SYNC)
def integration_sync_progress(request: HttpRequest, integration_id: str) -> HttpResponse:
    """The progress fragment htmx polls while a sync runs. The poll that sees the sync ended
    shows how, stops polling, and tells the page to refresh what the sync changed."""
    integration = get_integration_or_404(integration_id)
    sync, running = sync_progress_shown(integration=integration)
    response = render(
        request,
        "syncs/_sync_progress.html",
        {"integration": integration, "sync": sync, "polling": running, "just_ended": not running},
    )
    return response if running else trigger_client_event(response, INTEGRATION_CHANGED)


@require_GET
@permission_required(roles.VIEW_SYNC)
def sync_detail(request: HttpRequest, sync_id: str) -> HttpResponse:
    """A sync's log: what the `log_url` of its sync-finished webhook opens."""
    sync = sync_get_for_operator(sync_id=sync_id)
    if sync is None:
        raise Http404("No such sync.")
    warnings = sync_warning_groups(warnings=sync.warnings, tool_id=sync.integration.tool)
    return render(request, "syncs/sync_detail.html", {"sync": sync, "warnings": warnings})
