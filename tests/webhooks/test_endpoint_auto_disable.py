"""An endpoint where every delivery has failed for five days is disabled and the operators are
emailed; one success in between starts the five days again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.support.receivers import (
    ENVIRONMENT_ID,
    Receiver,
    Reply,
    delivery_of_new_event,
    endpoint_to,
    receiving,
)
from webhooks.delivery import delivery_attempt
from webhooks.models import WebhookEndpoint
from webhooks.services import event_emit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("users"),
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as receiver:
        receiver.default = Reply(500)
        yield receiver


@pytest.fixture
def users(django_user_model: Any) -> None:
    django_user_model.objects.create_user("ops", "ops@acme.example", "pw", is_staff=True)
    django_user_model.objects.create_user("ops-no-mail", "", "pw", is_staff=True)
    django_user_model.objects.create_user("customer", "customer@acme.example", "pw")


@pytest.fixture
def start() -> datetime:
    return timezone.now()


def _attempt_at(
    when: datetime,
    endpoint: WebhookEndpoint,
    capture: Callable[..., Any],
) -> int | None:
    """Deliver a new event at `when`; returns the status code the receiver answered."""
    with time_machine.travel(when, tick=False), capture(execute=True):
        delivery = delivery_of_new_event(endpoint)
        attempt = delivery_attempt(delivery_id=delivery.pk)
    assert attempt is not None
    endpoint.refresh_from_db()
    return attempt.status_code


@override_settings(WEBHOOK_DISABLE_AFTER=timedelta(days=5))
def test_it_disables_an_endpoint_that_failed_everything_for_five_days(
    receiver: Receiver, start: datetime, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    endpoint, _ = endpoint_to(receiver, description="Acme HR sync")

    _attempt_at(start, endpoint, django_capture_on_commit_callbacks)
    _attempt_at(start + timedelta(days=4, hours=23), endpoint, django_capture_on_commit_callbacks)
    enabled_before_five_days = endpoint.enabled
    mails_before_five_days = len(mail.outbox)
    _attempt_at(start + timedelta(days=5, minutes=1), endpoint, django_capture_on_commit_callbacks)

    assert enabled_before_five_days
    assert mails_before_five_days == 0
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "Every delivery failed for 5 days."
    assert endpoint.disabled_at == start + timedelta(days=5, minutes=1)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ops@acme.example"]
    assert email.subject == "Webhook endpoint disabled: Acme HR sync"
    assert "Every delivery failed for 5 days." in email.body
    assert "/dashboard/webhooks/" in email.body
    later = event_emit(environment_id=ENVIRONMENT_ID, type="sync-finished", data={})
    assert not later.deliveries.exists()


@override_settings(WEBHOOK_DISABLE_AFTER=timedelta(days=5))
def test_it_starts_the_five_days_again_after_a_success(
    receiver: Receiver, start: datetime, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    endpoint, _ = endpoint_to(receiver)
    receiver.answer(Reply(500), Reply(200))

    _attempt_at(start, endpoint, django_capture_on_commit_callbacks)
    succeeded = _attempt_at(start + timedelta(days=3), endpoint, django_capture_on_commit_callbacks)
    failing_since_after_success = endpoint.failing_since
    _attempt_at(start + timedelta(days=5, minutes=1), endpoint, django_capture_on_commit_callbacks)
    _attempt_at(start + timedelta(days=8), endpoint, django_capture_on_commit_callbacks)

    assert succeeded == 200
    assert failing_since_after_success is None
    assert endpoint.enabled
    assert endpoint.failing_since == start + timedelta(days=5, minutes=1)
    assert endpoint.disabled_reason == ""
    assert mail.outbox == []
