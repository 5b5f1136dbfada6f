"""`POST /integrations/{id}/relink` through the official `kombo` SDK; listing and revoking."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from kombo import Kombo, errors
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey, Environment
from integrations.models import EventKind, LinkType, ReconnectionLink
from integrations.services import link_find
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_creates_links_as_the_sdk_asks(sdk: Kombo, environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider")

    embedded = sdk.general.create_reconnection_link(integration_id=integration.pk).data.link
    magic = sdk.general.create_reconnection_link(
        integration_id=integration.pk,
        link_type="MAGIC_LINK",
        language="de",
        scope_config_id=wider.pk,
    ).data.link

    assert embedded.startswith(f"{settings.BASE_URL}/connect/")
    first = link_find(token=embedded.rsplit("/", 1)[1])
    second = link_find(token=magic.rsplit("/", 1)[1])
    assert first is not None
    assert second is not None
    assert (first.link_type, first.language, first.target_scope_config_id) == (
        LinkType.EMBEDDED,
        "en",
        None,
    )
    assert (second.link_type, second.language, second.target_scope_config_id) == (
        LinkType.MAGIC_LINK,
        "de",
        wider.pk,
    )
    assert timedelta(minutes=59) < first.expires_at - timezone.now() <= timedelta(hours=1)
    assert second.expires_at - timezone.now() > timedelta(days=364)
    assert integration.events.filter(kind=EventKind.LINK_CREATED).count() == 2
    # Only a hash is stored.
    assert not ReconnectionLink.objects.filter(token_hash=magic.rsplit("/", 1)[1]).exists()


def test_it_refuses_a_scope_config_of_another_environment_and_unknown_integrations(
    sdk: Kombo, environment: Environment, other_environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    foreign_scope = ScopeConfigFactory(environment=other_environment, name="Foreign")

    with pytest.raises(errors.KomboGeneralError) as bad_scope:
        sdk.general.create_reconnection_link(
            integration_id=integration.pk, scope_config_id=foreign_scope.pk
        )
    with pytest.raises(errors.KomboGeneralError) as unknown:
        sdk.general.create_reconnection_link(integration_id="sandbox:nope")

    assert bad_scope.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert "scope_config_id" in bad_scope.value.data.error.message
    assert unknown.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
    assert not ReconnectionLink.objects.exists()


def test_it_lists_and_revokes_links(
    sdk: Kombo,
    live_server: LiveServer,
    api_key: tuple[ApiKey, str],
    environment: Environment,
    other_environment: Environment,
) -> None:
    integration = IntegrationFactory(environment=environment)
    url = sdk.general.create_reconnection_link(integration_id=integration.pk).data.link
    headers = {"Authorization": f"Bearer {api_key[1]}"}
    base = f"{live_server.url}/api/v1"

    [listed] = requests.get(
        f"{base}/integrations/{integration.pk}/reconnection-links", headers=headers, timeout=10
    ).json()["data"]
    assert listed["state"] == "OPEN"
    assert url.rsplit("/", 1)[1] not in str(listed)

    first = requests.delete(
        f"{base}/reconnection-links/{listed['id']}", headers=headers, timeout=10
    )
    again = requests.delete(
        f"{base}/reconnection-links/{listed['id']}", headers=headers, timeout=10
    )
    assert first.json()["data"] == {"revoked": True}
    assert again.json()["data"] == {"revoked": False}
    [after] = requests.get(
        f"{base}/integrations/{integration.pk}/reconnection-links", headers=headers, timeout=10
    ).json()["data"]
    assert after["state"] == "REVOKED"

    foreign = IntegrationFactory(environment=other_environment)
    foreign_link = ReconnectionLink.objects.create(
        environment=other_environment,
        integration=foreign,
        link_type=LinkType.MAGIC_LINK,
        token_hash="0" * 64,
        created_by_label="x",
        expires_at=timezone.now() + timedelta(days=1),
    )
    hidden = requests.delete(
        f"{base}/reconnection-links/{foreign_link.pk}", headers=headers, timeout=10
    )
    assert hidden.status_code == 404
