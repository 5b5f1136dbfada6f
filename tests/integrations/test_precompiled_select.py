"""`integration_get` loads an integration with hand-composed SQL: exactly what the ORM loads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.services import environment_get_or_create
from integrations.models import Integration, IntegrationStatus, ScopeConfig, SyncPausedReason
from integrations.selectors.integrations import integration_get
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def test_it_loads_every_field_as_the_orm_does() -> None:
    environment = environment_get_or_create(name="production")
    now = timezone.now()
    integration: Integration = IntegrationFactory(
        environment=environment,
        creator_email=None,
        origin_id="crm-42",
        opted_out=["hris_employees.ssn", "hris_teams"],
        status=IntegrationStatus.INVALID,
        enabled=False,
        beta=True,
        data_expired_at=now - timedelta(days=2),
        auth_failing_since=now - timedelta(days=3, microseconds=17),
        consecutive_auth_failures=4,
        sync_paused_reason=SyncPausedReason.AUTHENTICATION,
    )
    expected = Integration.objects.select_related("scope_config").get(pk=integration.pk)

    with CaptureQueriesContext(connection) as queries:
        loaded = integration_get(environment=environment, integration_id=integration.pk)
        assert loaded is not None
        scope_config = loaded.scope_config

    assert len(queries) == 1
    pairs = [(loaded, expected, Integration), (scope_config, expected.scope_config, ScopeConfig)]
    for instance, orm_instance, model in pairs:
        for field in model._meta.concrete_fields:
            value, orm_value = (
                getattr(instance, field.attname),
                getattr(orm_instance, field.attname),
            )
            # The type too: SQLite's 1 equals True, so == alone would pass a missing converter.
            assert (value, type(value)) == (orm_value, type(orm_value)), field.name
    assert loaded.environment == environment
    assert loaded._state.adding is False
    assert loaded._state.db == "default"


def test_it_saves_what_it_loaded() -> None:
    environment = environment_get_or_create(name="production")
    integration: Integration = IntegrationFactory(environment=environment)
    loaded = integration_get(environment=environment, integration_id=integration.pk)
    assert loaded is not None

    loaded.organization_name = "Renamed GmbH"
    loaded.save(update_fields=["organization_name"])

    assert Integration.objects.get(pk=integration.pk).organization_name == "Renamed GmbH"


def test_it_finds_what_alive_finds() -> None:
    environment = environment_get_or_create(name="production")
    IntegrationFactory.create_batch(3, environment=environment)
    IntegrationFactory(environment=environment, deleted_at=timezone.now())

    found = {
        integration.pk
        for integration in Integration.objects.all()
        if integration_get(environment=environment, integration_id=integration.pk) is not None
    }

    assert found == set(Integration.objects.alive().values_list("pk", flat=True))


def test_it_finds_nothing_deleted_or_of_another_environment() -> None:
    production = environment_get_or_create(name="production")
    sandbox = environment_get_or_create(name="sandbox")
    other: Integration = IntegrationFactory(environment=sandbox)
    deleted: Integration = IntegrationFactory(environment=production, deleted_at=timezone.now())

    assert integration_get(environment=production, integration_id=other.pk) is None
    assert integration_get(environment=production, integration_id=deleted.pk) is None
    assert integration_get(environment=production, integration_id="personio:nope") is None
