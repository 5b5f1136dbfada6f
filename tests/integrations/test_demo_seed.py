"""`make run`'s demo: integrations in every state, reached through the real services."""

from __future__ import annotations

import pytest

from integrations.demo import demo_seed
from integrations.models import Integration, IntegrationStatus, IssueStatus, SyncPausedReason
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def test_it_seeds_integrations_in_every_state_once() -> None:
    result = demo_seed()

    assert result.created
    assert result.operator_password
    assert result.api_key is not None
    assert result.api_key.startswith("ks_")
    by_name = {i.organization_name: i for i in Integration.objects.all()}
    assert by_name["Acme GmbH"].status == IntegrationStatus.ACTIVE
    failing = by_name["Initech AG"]
    assert failing.status == IntegrationStatus.ACTIVE
    assert failing.auth_failing_since is not None
    assert failing.issues.get().status == IssueStatus.OPEN
    invalid = by_name["Umbrella SA"]
    assert invalid.status == IntegrationStatus.INVALID
    assert invalid.sync_paused_reason == SyncPausedReason.AUTHENTICATION
    assert (
        WebhookEvent.objects.filter(
            integration_id=invalid.pk, type="integration-state-changed"
        ).count()
        == 1
    )
    assert by_name["Hooli Inc."].status == IntegrationStatus.INACTIVE

    again = demo_seed()

    assert not again.created
    assert Integration.objects.count() == 5
