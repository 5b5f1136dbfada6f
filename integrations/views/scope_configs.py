"""Scope config pages of the dashboard: list, editor, bulk migration and its progress.

Thin views over `scope_config_selectors` (reads) and `services` (writes).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import roles
from core.api.pagination import is_possible_id
from core.roles import permission_required
from integrations import services
from integrations.actors import Actor
from integrations.forms.scope_configs import (
    MigrationCreateForm,
    MigrationFilterForm,
    ScopeConfigCreateForm,
    ScopeConfigEditForm,
)
from integrations.models import LinkState, ScopeConfig, ScopeConfigMigration
from integrations.selectors import scope_configs as selectors

CANDIDATES_PER_PAGE = 200
PROGRESS_ROWS_PER_PAGE = 200


def _scope_config_or_404(scope_config_id: str) -> ScopeConfig:
    scope_config = (
        selectors.scope_config_get(scope_config_id=scope_config_id)
        if is_possible_id(scope_config_id)
        else None
    )
    if scope_config is None:
        raise Http404("No such scope config.")
    return scope_config


def _migration_or_404(migration_id: str) -> ScopeConfigMigration:
    migration = (
        selectors.migration_get(migration_id=migration_id) if is_possible_id(migration_id) else None
    )
    if migration is None:
        raise Http404("No such migration.")
    return migration


@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_SCOPE_CONFIG, post=roles.ADD_SCOPE_CONFIG)
def scope_config_list(request: HttpRequest) -> HttpResponse:
    form = ScopeConfigCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        created = services.scope_config_create(
            environment=form.cleaned_data["environment"],
            name=form.cleaned_data["name"],
            settings={},
        )
        messages.success(
            request, f"Scope config “{created.name}” created; choose what it reads below."
        )
        return redirect("scope_configs:scope_config_edit", scope_config_id=created.pk)
    return render(
        request,
        "integrations/scope_config_list.html",
        {"form": form, "scope_configs": selectors.scope_config_list()},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_SCOPE_CONFIG, post=roles.CHANGE_SCOPE_CONFIG)
def scope_config_edit(request: HttpRequest, scope_config_id: str) -> HttpResponse:
    scope_config = _scope_config_or_404(scope_config_id)
    form = ScopeConfigEditForm(
        request.POST if request.method == "POST" else None, scope_config=scope_config
    )
    if form.is_valid():
        try:
            affected = services.scope_config_update(
                scope_config=scope_config,
                name=form.cleaned_data["name"],
                settings=form.settings(),
                actor=Actor.operator(request.user),
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            noun = "integration" if affected == 1 else "integrations"
            verb = "its" if affected == 1 else "their"
            messages.success(
                request, f"Saved. {affected} {noun} will refresh {verb} data at the next sync."
            )
            return redirect("scope_configs:scope_config_edit", scope_config_id=scope_config.pk)
    return render(
        request,
        "integrations/scope_config_edit.html",
        {
            "scope_config": scope_config,
            "form": form,
            "sections": form.sections(),
            "migrations": selectors.scope_config_migrations(scope_config=scope_config),
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(roles.MIGRATE_TO_SCOPE_CONFIG)
def scope_config_migrate(request: HttpRequest, scope_config_id: str) -> HttpResponse:
    """Pick integrations on other configs; POST creates the links and shows them once."""
    scope_config = _scope_config_or_404(scope_config_id)
    posted = request.method == "POST"
    filter_form = MigrationFilterForm(
        request.POST if posted else request.GET, scope_config=scope_config
    )
    candidates = selectors.migration_candidates(scope_config=scope_config, **filter_form.filters())
    form = MigrationCreateForm(
        request.POST if posted else None,
        candidates=candidates,
        description=filter_form.description(),
    )
    if form.is_valid():
        try:
            migration, created = services.scope_config_migration_create(
                scope_config=scope_config,
                integrations=form.chosen(),
                selection_label=form.selection_label(),
                language=form.cleaned_data["language"],
                send_email=form.cleaned_data["send_email"],
                actor=Actor.operator(request.user),
            )
        except services.ScopeConfigMigrationError as error:
            form.add_error(None, str(error))
        else:
            # The URLs live only in this response (never_cache keeps it out of every cache):
            # never in the session, a message or the database.
            return render(
                request,
                "integrations/scope_config_migration_created.html",
                {
                    "scope_config": scope_config,
                    "migration": migration,
                    "created": created,
                    "emailed_count": sum(bool(i.creator_email) for i, _ in created)
                    if migration.emailed
                    else 0,
                },
            )
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/scope_config_migrate.html",
        {
            "scope_config": scope_config,
            "filter_form": filter_form,
            "form": form,
            "page": page,
            "batch_limit": services.MIGRATION_BATCH_LIMIT,
            "is_filtered": any(filter_form.filters().values()),
        },
        status=400 if posted else 200,
    )


@require_GET
@permission_required(roles.VIEW_SCOPE_CONFIG_MIGRATION)
def scope_config_migration_detail(request: HttpRequest, migration_id: str) -> HttpResponse:
    migration = _migration_or_404(migration_id)
    wanted = request.GET.get("state") or ""
    state = LinkState(wanted) if wanted in LinkState.__members__ else None
    now = timezone.now()
    progress = selectors.migration_progress(migration=migration, now=now, state=state)
    page = Paginator(progress.links, PROGRESS_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/scope_config_migration_detail.html",
        {
            "migration": migration,
            "scope_config": migration.scope_config,
            "progress": progress,
            "state_totals": [(s, s.label, progress.count_of(s)) for s in LinkState],
            "current_state": state,
            "page": page,
        },
    )
