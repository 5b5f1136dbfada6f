from __future__ import annotations

import pytest

from integrations.actors import Actor
from integrations.models import (
    CredentialVersion,
    EventKind,
    Integration,
    IntegrationStatus,
    SyncPausedReason,
)
from integrations.services import integration_delete, integration_set_enabled
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")


def _kinds(integration: Integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def test_it_records_creation_and_first_credentials() -> None:
    integration = IntegrationFactory()

    assert _kinds(integration) == [EventKind.CREATED, EventKind.CREDENTIALS_UPDATED]
    assert integration.status == IntegrationStatus.ACTIVE
    assert integration.next_sync_at is not None


def test_it_disables_and_enables_keeping_credentials() -> None:
    integration = IntegrationFactory()

    assert integration_set_enabled(integration=integration, enabled=False, actor=ACTOR)
    assert (integration.enabled, integration.status) == (False, IntegrationStatus.INACTIVE)
    assert integration_set_enabled(integration=integration, enabled=True, actor=ACTOR)
    assert (integration.enabled, integration.status) == (True, IntegrationStatus.ACTIVE)

    assert CredentialVersion.objects.filter(integration=integration).count() == 1
    assert _kinds(integration)[-4:] == [
        EventKind.DISABLED,
        EventKind.STATUS_CHANGED,
        EventKind.ENABLED,
        EventKind.STATUS_CHANGED,
    ]


def test_it_changes_nothing_when_already_in_that_state() -> None:
    integration = IntegrationFactory()
    events_before = integration.events.count()

    assert not integration_set_enabled(integration=integration, enabled=True, actor=ACTOR)
    assert integration.events.count() == events_before


def test_it_returns_to_invalid_when_enabled_while_paused_for_authentication() -> None:
    integration = IntegrationFactory(
        status=IntegrationStatus.INVALID, sync_paused_reason=SyncPausedReason.AUTHENTICATION
    )
    integration_set_enabled(integration=integration, enabled=False, actor=ACTOR)

    integration_set_enabled(integration=integration, enabled=True, actor=ACTOR)

    assert integration.status == IntegrationStatus.INVALID


def test_it_deletes_for_good_destroying_credentials() -> None:
    integration = IntegrationFactory()

    integration_delete(integration=integration, actor=ACTOR)
    integration_delete(integration=integration, actor=ACTOR)

    assert integration.deleted_at is not None
    assert not integration.enabled
    assert not CredentialVersion.objects.filter(integration=integration).exists()
    assert not Integration.objects.alive().filter(pk=integration.pk).exists()
    assert _kinds(integration).count(EventKind.DELETED) == 1
    assert not integration_set_enabled(integration=integration, enabled=True, actor=ACTOR)


def test_it_emits_a_state_change_when_disabled_and_enabled() -> None:
    from webhooks.models import WebhookEvent

    integration = IntegrationFactory()
    integration_set_enabled(integration=integration, enabled=False, actor=ACTOR)
    integration_set_enabled(integration=integration, enabled=True, actor=ACTOR)

    states = [
        event.payload["data"]["state"]
        for event in WebhookEvent.objects.filter(
            integration_id=integration.pk, type="integration-state-changed"
        ).order_by("created_at")
    ]
    assert states == ["INACTIVE", "ACTIVE"]
