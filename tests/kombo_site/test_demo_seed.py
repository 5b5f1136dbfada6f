"""`make run`'s demo: integrations in every state, reached through the real services, seeded
once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from integrations.models import Integration, IntegrationStatus, IssueStatus, SyncPausedReason
from syncs.models import Sync
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db


def test_it_seeds_integrations_in_every_state_once() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)

    printed = out.getvalue()
    assert "username: operator" in printed
    assert "password: " in printed
    assert "\n    ks_" in printed
    by_name = {i.organization_name: i for i in Integration.objects.all()}
    assert by_name["Acme GmbH"].status == IntegrationStatus.ACTIVE
    assert by_name["Acme GmbH"].auth_failing_since is None
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
    # The inspector's endpoint is set up now, after the week: it gets what happens from here
    # on, not a week of past events at once.
    assert WebhookEndpoint.objects.get().url.endswith("/inspector/demo/")
    assert not WebhookDelivery.objects.exists()

    syncs = Sync.objects.count()
    again = StringIO()

    call_command("seed_demo", stdout=again)

    assert "already present" in again.getvalue()
    assert Integration.objects.count() == 6
    assert Sync.objects.count() == syncs > 0
