"""The Django admin has every model of every app of ours, and each page renders."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Environment
from integrations.models import Issue
from syncs.models import AuthCheck, Employee, Group, Sync
from tests.support.factories import IntegrationFactory
from webhooks.services import event_emit

OUR_APPS = {"integrations", "sandbox_hr", "syncs", "webhooks"}

pytestmark = pytest.mark.django_db


def _our_models() -> list[type]:
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def test_it_registers_every_model_of_ours() -> None:
    missing = [m.__name__ for m in _our_models() if m not in admin.site._registry]

    assert missing == []


def test_it_renders_every_changelist_and_change_page(
    client: Client, operator: object, environment: Environment
) -> None:
    client.force_login(operator)  # type: ignore[arg-type]
    integration = IntegrationFactory(environment=environment)
    sync = Sync.objects.create(integration=integration, type="FULL", trigger="API")
    AuthCheck.objects.create(integration=integration, trigger="SYNC", outcome="OK", latency_ms=3)
    for model in (Employee, Group):
        model.objects.create(
            integration=integration,
            remote_id="r1",
            data={"name": "x"},
            content_hash="h",
            changed_at=timezone.now(),
            last_seen_sync_id=sync.pk,
        )
    Issue.objects.create(
        integration=integration,
        type="integration.authentication_failed",
        title="Authentication failed",
        markdown_message="m",
        first_observed_at=timezone.now(),
    )
    event_emit(environment_id=environment.pk, type="sync-finished", data={})

    for model in _our_models():
        meta = model._meta
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        obj = model._default_manager.first()
        if obj is not None:
            change = client.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            )
            assert change.status_code == 200, meta.label
