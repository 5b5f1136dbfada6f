"""No dashboard page shows an integration's credentials, in plain text or encrypted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Environment, RequestLog
from integrations.models import CredentialVersion
from tests.support.factories import IntegrationFactory

CANARY_SECRET = "sbx_CANARY-d0-not-l3ak-7731"

pytestmark = pytest.mark.django_db


def test_it_never_shows_credentials_on_any_page(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(
        environment=environment, credentials={"api_key": CANARY_SECRET}
    )
    log = RequestLog.objects.create(
        method="GET",
        path="/api/v1/integrations/x",
        status_code=200,
        integration_id=integration.pk,
        latency_ms=3,
    )
    payload = CredentialVersion.objects.get(integration=integration).payload_encrypted
    urls = [
        reverse("dashboard:integration_list"),
        reverse("dashboard:integration_list") + f"?q={integration.organization_name}",
        reverse("dashboard:integration_detail", args=[integration.pk]),
        reverse("dashboard:integration_delete", args=[integration.pk]),
        reverse("dashboard:api_key_list"),
        reverse("dashboard:request_log_list"),
        reverse("dashboard:request_log_detail", args=[log.pk]),
    ]

    for url in urls:
        html = operator_client.get(url).content.decode()
        assert CANARY_SECRET not in html, url
        assert payload not in html, url
