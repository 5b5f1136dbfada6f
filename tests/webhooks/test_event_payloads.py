"""Every webhook event, produced the way the product produces it, parses with the official
`kombo` SDK's payload model; events live and die with the transaction that caused them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombo import models as kombo

from core.models import Environment
from integrations.actors import Actor
from integrations.events import connection_flow_failed_emit
from integrations.models import Integration
from integrations.read_models import READ_MODELS
from integrations.services import integration_delete, integration_record_auth_result
from integrations.tools.base import AuthResult
from kombo_site.celery import app as celery_app
from syncs.events import data_changed_emit, sync_finished_emit
from syncs.models import Sync, SyncState, SyncTrigger
from tests.support.factories import IntegrationFactory
from tests.support.timestamps import to_milliseconds
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.services import SEND_TASK, endpoint_create, endpoint_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(environment: Environment) -> Integration:
    integration = IntegrationFactory(
        environment=environment,
        organization_name="Acme GmbH",
        creator_email="it@acme.example",
        origin_id="acme-1",
    )
    assert isinstance(integration, Integration)
    return integration


def events(integration: Integration, type: str) -> list[dict[str, Any]]:
    """The stored payloads of `type` for the integration, oldest first."""
    return [
        e.payload
        for e in WebhookEvent.objects.filter(integration_id=integration.pk, type=type).order_by(
            "created_at", "pk"
        )
    ]


def assert_end_user(end_user: Any) -> None:
    assert end_user.organization_name == "Acme GmbH"
    assert end_user.creator_email == "it@acme.example"
    assert end_user.origin_id == "acme-1"


def test_it_sends_integration_created(integration: Integration) -> None:
    [payload] = events(integration, "integration-created")

    event = kombo.IntegrationCreatedWebhookPayload.model_validate(payload)

    assert event.type == "integration-created"
    assert event.data.id == integration.pk
    assert event.data.tool == "sandbox"
    assert event.data.category == "HRIS"
    assert_end_user(event.data.end_user)


def test_it_sends_integration_deleted(integration: Integration) -> None:
    integration_delete(integration=integration, actor=Actor.system("tests"))
    [payload] = events(integration, "integration-deleted")

    event = kombo.IntegrationDeletedWebhookPayload.model_validate(payload)

    assert event.type == "integration-deleted"
    assert event.data.id == integration.pk
    assert event.data.tool == "sandbox"
    assert event.data.deleted_at == to_milliseconds(integration.deleted_at)
    assert_end_user(event.data.end_user)


def test_it_sends_state_changes_and_issues_through_the_three_day_rule(
    integration: Integration,
) -> None:
    first_failure = timezone.now()
    integration_record_auth_result(
        integration_id=integration.pk, result=AuthResult.invalid("key revoked"), now=first_failure
    )
    assert events(integration, "integration-state-changed") == []
    [raised_payload] = events(integration, "issue-status-changed")

    raised = kombo.IssueStatusChangedWebhookPayload.model_validate(raised_payload)
    assert raised.data.change == "raised"
    assert raised.data.issue.type == "integration.authentication_failed"
    assert raised.data.issue.status == "OPEN"
    assert raised.data.issue.first_observed_at == to_milliseconds(first_failure)
    assert raised.data.issue.resolved_at is None
    assert "key revoked" in raised.data.issue.markdown_message
    assert raised.data.integration is not None
    assert raised.data.integration.id == integration.pk
    assert_end_user(raised.data.integration.end_user)

    integration_record_auth_result(
        integration_id=integration.pk,
        result=AuthResult.invalid("key revoked"),
        now=first_failure + settings.AUTH_FAILURE_GRACE_PERIOD + timedelta(minutes=1),
    )
    [invalid_payload] = events(integration, "integration-state-changed")

    invalid = kombo.IntegrationStateChangedWebhookPayload.model_validate(invalid_payload)
    assert invalid.type == "integration-state-changed"
    assert invalid.data.integration_id == integration.pk
    assert invalid.data.integration_tool == "sandbox"
    assert invalid.data.integration_category == "HRIS"
    assert invalid.data.state == "INVALID"
    assert_end_user(invalid.data.end_user)

    recovered_at = first_failure + settings.AUTH_FAILURE_GRACE_PERIOD + timedelta(hours=2)
    integration_record_auth_result(
        integration_id=integration.pk,
        result=AuthResult.ok(granted_permissions=(), remote_account_id="acc_demo"),
        now=recovered_at,
    )
    _, active_payload = events(integration, "integration-state-changed")
    active = kombo.IntegrationStateChangedWebhookPayload.model_validate(active_payload)
    assert active.data.state == "ACTIVE"
    _, resolved_payload = events(integration, "issue-status-changed")
    resolved = kombo.IssueStatusChangedWebhookPayload.model_validate(resolved_payload)
    assert resolved.data.change == "resolved"
    assert resolved.data.issue.id == raised.data.issue.id
    assert resolved.data.issue.status == "RESOLVED"
    assert resolved.data.issue.resolved_at == to_milliseconds(recovered_at)


def test_it_sends_sync_finished(integration: Integration) -> None:
    started = timezone.now() - timedelta(minutes=3)
    sync = Sync.objects.create(
        integration=integration,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        started_at=started,
        finished_at=started + timedelta(seconds=95, milliseconds=400),
    )
    sync_finished_emit(sync=sync, integration=integration)
    [payload] = events(integration, "sync-finished")

    event = kombo.SyncFinishedWebhookPayload.model_validate(payload)

    assert event.type == "sync-finished"
    assert event.data.sync_id == sync.pk
    assert event.data.sync_state == "PARTIALLY_FAILED"
    assert event.data.sync_started_at == to_milliseconds(sync.started_at)
    assert event.data.sync_ended_at == to_milliseconds(sync.finished_at)
    assert event.data.sync_duration_seconds == 95
    assert event.data.integration_id == integration.pk
    assert event.data.integration_tool == "sandbox"
    assert event.data.log_url.startswith(settings.BASE_URL)
    assert_end_user(event.data.end_user)


def test_it_sends_data_changed_for_every_read_model_we_sync(integration: Integration) -> None:
    data_changed_emit(integration=integration, model_ids=list(READ_MODELS))
    [payload] = events(integration, "data-changed")

    event = kombo.DataChangedWebhookPayload.model_validate(payload)

    assert event.type == "data-changed"
    assert event.data.integration_id == integration.pk
    assert event.data.integration_category == "HRIS"
    assert [m.name for m in event.data.changed_models] == sorted(READ_MODELS)


def test_it_sends_connection_flow_failed(integration: Integration) -> None:
    log_url = f"{settings.BASE_URL}/dashboard/logs/abc/"
    connection_flow_failed_emit(integration=integration, log_url=log_url)
    [payload] = events(integration, "connection-flow-failed")

    event = kombo.ConnectionFlowFailedWebhookPayload.model_validate(payload)

    assert event.type == "connection-flow-failed"
    assert event.data.integration_tool == "sandbox"
    assert event.data.integration_category == "HRIS"
    assert event.data.log_url == log_url
    assert_end_user(event.data.end_user)


class SentTasks:
    """Reads back what this test process's task queues received on the real broker."""

    def __init__(self) -> None:
        celery_app.control.purge()

    @property
    def sent(self) -> list[tuple[str, list[str]]]:
        found = []
        with celery_app.connection_for_read() as connection:
            for name in celery_app.amqp.queues:
                queue = connection.SimpleQueue(name)
                try:
                    while True:
                        message = queue.get(timeout=0.5)
                        found.append((message.headers["task"], list(message.payload[0])))
                        message.ack()
                except queue.Empty:
                    pass
                finally:
                    queue.close()
        return found


@pytest.fixture
def sent_tasks() -> SentTasks:
    """The tasks the on-commit hooks handed to the broker (memory:// locally, Redis in CI)."""
    return SentTasks()


def test_it_drops_the_event_and_its_deliveries_when_the_change_rolls_back(
    environment: Environment,
    sent_tasks: SentTasks,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    endpoint_create(environment_id=environment.pk, url="https://hooks.example.com/all")

    def create_then_fail() -> None:
        with transaction.atomic():
            IntegrationFactory(environment=environment)
            assert WebhookDelivery.objects.count() == 1
            raise RuntimeError("the change fails after the event was written")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        create_then_fail()

    assert not Integration.objects.exists()
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert callbacks == []
    assert sent_tasks.sent == []


def test_it_delivers_a_committed_event_to_each_subscribed_enabled_endpoint_of_its_environment(
    environment: Environment,
    other_environment: Environment,
    sent_tasks: SentTasks,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def endpoint(env: Environment, name: str, event_types: tuple[str, ...] = ()) -> WebhookEndpoint:
        created, _ = endpoint_create(
            environment_id=env.pk,
            url=f"https://{name}.example.com/hook",
            event_types=event_types,
        )
        return created

    every_type = endpoint(environment, "every")
    subscribed = endpoint(environment, "subscribed", ("integration-created", "sync-finished"))
    endpoint(environment, "unsubscribed", ("sync-finished",))
    disabled = endpoint(environment, "disabled")
    endpoint_update(endpoint=disabled, enabled=False)
    endpoint(other_environment, "other-environment")

    with django_capture_on_commit_callbacks(execute=True):
        integration = IntegrationFactory(environment=environment)
    assert isinstance(integration, Integration)

    [event] = WebhookEvent.objects.filter(integration_id=integration.pk)
    deliveries = {d.endpoint_id: d for d in event.deliveries.all()}
    assert set(deliveries) == {every_type.pk, subscribed.pk}
    assert all(d.event_type == "integration-created" for d in deliveries.values())
    assert all(d.integration_id == integration.pk for d in deliveries.values())
    assert all(d.enqueued_at is not None for d in deliveries.values())
    # One wake-up for the transaction: the worker claims every delivery that is due.
    assert sent_tasks.sent == [(SEND_TASK, [])]
