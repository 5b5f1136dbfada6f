"""The health banner of a broken integration points at the Relink section only for roles that
can create a link there (issue 14: "buttons a role can't use aren't shown"; relinking is the
Operator's). A Viewer still reads what should happen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Environment
from core.roles import Role
from integrations.models import IntegrationStatus, SyncPausedReason
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

JUMP_TO_RELINK = 'href="#relink-title"'


@pytest.mark.parametrize(
    ("role", "linked"), [(Role.VIEWER, False), (Role.OPERATOR, True), (Role.ADMIN, True)]
)
def test_it_links_the_banner_to_relink_only_for_roles_that_can_relink(
    role_client: Callable[[Role | None], Client],
    environment: Environment,
    role: Role,
    linked: bool,
) -> None:
    integration = IntegrationFactory(
        environment=environment,
        status=IntegrationStatus.INVALID,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
        auth_failing_since=timezone.now() - timedelta(days=4),
        consecutive_auth_failures=12,
    )

    page = role_client(role).get(f"/dashboard/integrations/{integration.pk}/").content.decode()

    assert "health-banner" in page
    assert (JUMP_TO_RELINK in page) is linked
