"""`row_insert` writes the row `save(force_insert=True)` writes.

Expectations from Django's documentation of `Model.save()` ("Forcing an INSERT or UPDATE",
"What happens when you save?": each field's `pre_save`, so `auto_now_add` is filled, then
`get_db_prep_save`; an `AutoField` primary key is set on the instance after the insert, and the
instance is no longer `_state.adding`), compared on the two models the relink endpoint writes:
a string primary key with nullable foreign keys, and an AutoField with a JSON column.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db.models import Model

from core.models import Environment
from core.row_insert import row_insert
from integrations.models import (
    ActorType,
    EventKind,
    IntegrationEvent,
    LinkKind,
    LinkType,
    ReconnectionLink,
)
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


def _stored(instance: Model, *, ignore: set[str]) -> dict[str, Any]:
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    return {
        field.attname: getattr(fresh, field.attname)
        for field in fresh._meta.concrete_fields
        if field.name not in ignore
    }


@time_machine.travel(NOW, tick=False)
def test_it_writes_a_link_as_save_does(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)
    target = ScopeConfigFactory(environment=environment, name="Wider")

    def link(token_hash: str) -> ReconnectionLink:
        return ReconnectionLink(
            environment_id=environment.pk,
            integration=integration,
            kind=LinkKind.RELINK,
            link_type=LinkType.MAGIC_LINK,
            language="de",
            target_scope_config=target,
            token_hash=token_hash,
            created_by_label="API key tests (ks_abc…)",
            expires_at=NOW + timedelta(days=365),
        )

    saved, inserted = link("a" * 64), link("b" * 64)
    saved.save(force_insert=True)
    row_insert(inserted)

    assert not inserted._state.adding
    assert inserted.created_at == NOW
    assert _stored(inserted, ignore={"id", "token_hash"}) == _stored(
        saved, ignore={"id", "token_hash"}
    )
    assert ReconnectionLink.objects.get(pk=inserted.pk).token_hash == "b" * 64


@time_machine.travel(NOW, tick=False)
def test_it_writes_an_event_and_reads_back_its_id(environment: Environment) -> None:
    integration = IntegrationFactory(environment=environment)

    def event() -> IntegrationEvent:
        return IntegrationEvent(
            integration=integration,
            kind=EventKind.LINK_CREATED,
            actor_type=ActorType.API_KEY,
            actor_label="API key tests",
            data={"link_id": "x", "nested": {"list": [1, 2.5, None, "ü"]}, "empty": None},
        )

    saved, inserted = event(), event()
    saved.save(force_insert=True)
    row_insert(inserted)

    assert isinstance(inserted.pk, int)
    assert inserted.pk > saved.pk
    assert not inserted._state.adding
    assert _stored(inserted, ignore={"id"}) == _stored(saved, ignore={"id"})
    # A later save() of the instance updates its row rather than adding one.
    inserted.actor_label = "changed"
    inserted.save()
    created = integration.events.filter(kind=EventKind.LINK_CREATED).order_by("id")
    assert list(created.values_list("actor_label", flat=True)) == ["API key tests", "changed"]
