"""Sync runs, auth checks and unified data: view-only (written by the health loop)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from syncs.models import UNIFIED_MODELS, AuthCheck, Sync


@admin.register(Sync)
class SyncAdmin(ReadOnlyAdmin):
    list_display = ["id", "integration", "type", "trigger", "state", "progress", "created_at"]
    list_filter = ["state", "type", "trigger"]
    search_fields = ["id", "integration__id", "integration__organization_name"]
    list_select_related = ["integration"]


@admin.register(AuthCheck)
class AuthCheckAdmin(ReadOnlyAdmin):
    list_display = ["integration", "trigger", "outcome", "latency_ms", "created_at"]
    list_filter = ["outcome", "trigger"]
    search_fields = ["integration__id", "integration__organization_name"]
    list_select_related = ["integration"]


class UnifiedRecordAdmin(ReadOnlyAdmin):
    list_display = ["remote_id", "integration", "changed_at", "remote_deleted_at"]
    search_fields = ["remote_id", "integration__id"]
    list_select_related = ["integration"]


for unified_model in UNIFIED_MODELS.values():
    admin.site.register(unified_model, UnifiedRecordAdmin)
