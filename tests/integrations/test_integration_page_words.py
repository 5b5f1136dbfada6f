"""The integration page speaks the operator's language: who set the credentials, what each audit
event means, and when the next sync runs (or why none will), never a stored code.

The expected words are what an English-speaking operator reads on Kombo's dashboard and in the
issue that asked for them ("Set by", "Credentials updated", "just now", "Paused"); the codes
(`CREDENTIALS_UPDATED`, `RELINK_LINK`, `MAGIC_LINK`, ...) are what they must not read.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialSource, EventKind, Integration, LinkType
from integrations.services import (
    credential_version_add,
    integration_event_record,
    integration_record_auth_result,
    integration_set_enabled,
    link_open,
    relink_link_create,
    relink_link_revoke,
    scope_config_update,
)
from integrations.tools.base import AuthResult
from tests.support.factories import (
    IntegrationFactory,
    ScopeConfigFactory,
    scope_settings_all_enabled,
)

pytestmark = pytest.mark.django_db

# A stored code: two or more upper-case words joined by underscores (CREDENTIALS_UPDATED).
RAW_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")


def _section(client: Client, integration: Integration, title_id: str) -> str:
    response = client.get(f"/dashboard/integrations/{integration.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    [section] = re.findall(rf'<section[^>]* aria-labelledby="{title_id}".*?</section>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_it_says_who_set_each_version_of_the_credentials(
    operator_client: Client, environment: Environment, operator: object
) -> None:
    integration = IntegrationFactory(environment=environment)
    for source, user in (
        (CredentialSource.CONNECT_LINK, None),
        (CredentialSource.RELINK_LINK, None),
        (CredentialSource.OPERATOR, operator),
    ):
        credential_version_add(
            integration=integration,
            credentials={"api_key": "sbx_new"},
            source=source,
            actor=Actor.customer() if user is None else Actor.operator(user),  # type: ignore[arg-type]
            set_by_user=user,
        )

    history = _section(operator_client, integration, "credentials-title")

    assert "When Set by IP address User agent" in history
    assert "Operator operator" in history
    assert "Customer, through a reconnection link" in history
    assert "Customer, through the connection link" in history
    assert not RAW_CODE.search(history), RAW_CODE.search(history)


def test_it_words_every_kind_of_audit_event(
    operator_client: Client, environment: Environment, operator: object
) -> None:
    integration = IntegrationFactory(environment=environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider")
    actor = Actor.operator(operator)  # type: ignore[arg-type]
    # What the services record, through the services wherever one records the kind.
    link, _ = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="de",
        actor=actor,
        scope_config=wider,
    )
    link_open(link=link)
    relink_link_revoke(link=link, actor=actor)
    credential_version_add(
        integration=integration,
        credentials={"api_key": "sbx_new"},
        source=CredentialSource.RELINK_LINK,
        actor=Actor.customer(f"customer via link {link.pk}"),
    )
    integration_record_auth_result(
        integration_id=integration.pk, result=AuthResult.invalid("Sandbox HR answered 401")
    )
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        integration_record_auth_result(
            integration_id=integration.pk, result=AuthResult.invalid("Sandbox HR answered 401")
        )
    integration_record_auth_result(
        integration_id=integration.pk,
        result=AuthResult.ok(granted_permissions=[], remote_account_id="acc_demo"),
    )
    integration_set_enabled(integration=integration, enabled=False, actor=actor)
    integration_set_enabled(integration=integration, enabled=True, actor=actor)
    settings = scope_settings_all_enabled()
    settings["hris_employees"]["fields"]["date_of_birth"] = "DISABLED"
    scope_config_update(
        scope_config=integration.scope_config, name="Default", settings=settings, actor=actor
    )
    # The completion of a link and the deletion, in the shapes their services record.
    integration_event_record(
        integration=integration,
        kind=EventKind.SCOPE_CONFIG_CHANGED,
        actor=Actor.customer(f"customer via link {link.pk}"),
        data={"from": integration.scope_config_id, "to": wider.pk},
    )
    integration_event_record(
        integration=integration,
        kind=EventKind.LINK_COMPLETED,
        actor=Actor.customer(f"customer via link {link.pk}"),
        data={"link_id": link.pk, "scope_changed": True},
    )
    integration_event_record(integration=integration, kind=EventKind.DELETED, actor=actor)

    timeline = _section(operator_client, integration, "timeline-title")

    for kind in EventKind:
        assert kind.label in timeline, kind
    assert not RAW_CODE.search(timeline), RAW_CODE.search(timeline)
    for words in (
        "Magic link, valid until",
        "moving to “Wider” when completed",
        "Customer, through a reconnection link (fields: API key)",
        "Sandbox HR answered 401",
        "Active → Credentials invalid",
        "Because authentication kept failing.",
        "Credentials invalid → Active",
        "Active → Inactive",
        "“Default” was edited: hris_employees.date_of_birth",
        "“Default” → “Wider”",
        "The integration moved to the link's scope config.",
        "by operator operator",
        "by the customer via link",
        "automatically (health check)",
    ):
        assert words in timeline, words


def test_it_says_when_the_next_sync_runs_and_why_none_will(
    operator_client: Client, environment: Environment
) -> None:
    now = timezone.now()
    scheduled = IntegrationFactory(environment=environment, next_sync_at=now + timedelta(hours=2))
    due = IntegrationFactory(environment=environment, next_sync_at=now - timedelta(minutes=5))
    disabled = IntegrationFactory(
        environment=environment, enabled=False, status="INACTIVE", next_sync_at=now
    )
    paused = IntegrationFactory(
        environment=environment,
        status="INVALID",
        sync_paused_reason="AUTHENTICATION",
        next_sync_at=None,
    )

    with time_machine.travel(now, tick=False):
        assert "Next sync in 2 h" in _section(operator_client, scheduled, "health-title")
        assert "Next sync Due now" in _section(operator_client, due, "health-title")
        disabled_health = _section(operator_client, disabled, "health-title")
        paused_health = _section(operator_client, paused, "health-title")

    assert "Next sync" not in disabled_health
    assert "Next sync" not in paused_health
    assert "Syncs Paused because authentication kept failing" in paused_health


def test_it_says_just_now_for_what_happened_less_than_a_minute_ago(
    operator_client: Client, environment: Environment
) -> None:
    now = timezone.now()
    integration = IntegrationFactory(
        environment=environment,
        last_sync_state="SUCCEEDED",
        last_sync_finished_at=now - timedelta(seconds=20),
        last_auth_ok_at=now - timedelta(minutes=5, seconds=10),
    )

    with time_machine.travel(now, tick=False):
        health = _section(operator_client, integration, "health-title")
        listing = operator_client.get("/dashboard/").content.decode()

    assert "Last sync Succeeded · just now" in health
    assert "Last successful check 5 min ago" in health
    assert "just now" in listing
    assert "0\xa0minutes" not in listing
