"""The security sweep: after the whole story (connect, sync, break, relink, webhooks), no secret
is anywhere it should not be.

Every API response, rendered page (dashboard and admin), email, log line and webhook request
captured during the run is searched for each plaintext secret used: the sandbox HR API keys,
our API key, the webhook signing secret, link and activation tokens. A secret may appear only
where it is handed out by design, once: the webhook secret in the response creating the
endpoint, a link's token in the response (page or email) creating it, an activation token on
the page completing its embedded flow, a sandbox key on the page minting it. Then the raw
database holds ciphertext and hashes only.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from core.crypto import decrypt_json
from core.models import ApiKey, Environment, RequestLog
from core.services import api_key_create
from integrations.models import CredentialVersion, Integration, IntegrationStatus, ReconnectionLink
from integrations.services import link_find
from sandbox_hr.models import SandboxApiKey
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import Sync, SyncState
from syncs.services import scheduler_tick
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory
from tests.support.processes import run_queued_syncs
from tests.support.receivers import receiving
from tests.support.sweep import (
    LogCapture,
    Story,
    Sweep,
    browse_everything,
    database_leaks,
    deliver_webhooks,
    text_columns,
)
from webhooks.models import WebhookAttempt, WebhookEndpoint
from webhooks.secrets import secret_decrypt

pytestmark = pytest.mark.django_db(transaction=True)


def _token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _sync_now() -> list[Sync]:
    scheduler_tick()
    ran = run_queued_syncs()
    deliver_webhooks()
    return ran


def test_it_keeps_every_secret_out_of_everything_anyone_sees(
    sandbox_hr: None,
    environment: Environment,
    operator: object,
    captured_logs: LogCapture,
) -> None:
    sweep = Sweep()
    ScopeConfigFactory(environment=environment)
    _, raw_api_key = api_key_create(environment=environment, name="backend")
    sweep.secret("our API key", raw_api_key)
    operator_browser = Client()
    operator_browser.force_login(operator)  # type: ignore[arg-type]
    with receiving() as receiver:
        story = Story(
            sweep,
            Client(HTTP_AUTHORIZATION=f"Bearer {raw_api_key}"),
            operator_browser,
            receiver,
        )
        integration = _connect_sync_break_relink(story, environment)
        browse_everything(story, integration)
    sweep.collect(receiver=receiver, logs=captured_logs)

    assert receiver.received, "no webhook was delivered"
    assert all(received.accepted for received in receiver.received)
    assert len(mail.outbox) == 1
    # The sweep looked where secrets would be: each is found where it is handed out...
    for secret in sweep.secrets.values():
        assert (
            any(
                secret.value in text
                for artifact, text in sweep.artifacts
                if artifact in secret.allowed_in
            )
            or not secret.allowed_in
        ), f"{secret.name} is not where it was handed out"
    # ...and the paths that carried tokens were logged, redacted.
    assert any("Not Found: /connect/[token]" in line for line in captured_logs.lines)
    assert RequestLog.objects.filter(
        path="/api/v1/connect/integration-by-token/[token]", status_code=200
    ).exists()
    assert sweep.leaks() == [], "\n".join(sweep.leaks())
    _assert_database_holds_no_plaintext(sweep, integration)


def _connect_sync_break_relink(story: Story, environment: Environment) -> Integration:
    sweep = story.sweep
    created = story.api(
        "POST",
        "/api/v1/webhooks/endpoints",
        body={"url": story.receiver.url, "description": "Acme backend"},
        artifact="API create webhook endpoint",
    )["data"]
    story.receiver.secrets.append(
        sweep.secret(
            "webhook secret", created["secret"], handed_out_in="API create webhook endpoint"
        )
    )
    account = sandbox_account_create(name="Acme GmbH", employees=12, seed=7)
    first_key, raw_first_key = sandbox_api_key_create(
        account=account, name="kombo", permissions=ALL_PERMISSIONS
    )
    sweep.secret("first sandbox key", raw_first_key)

    # Connect: an embedded connection link, completed by the customer.
    connect_url = story.api(
        "POST",
        "/api/v1/connect/create-link",
        body={
            "end_user_email": "it@acme.example",
            "end_user_organization_name": "Acme GmbH",
            "end_user_origin_id": "cust-1",
            "integration_tool": "sandbox",
            "link_type": "EMBEDDED",
        },
        artifact="API create connect link",
    )["data"]["link"]
    sweep.secret(
        "connect link token", _token_of(connect_url), handed_out_in="API create connect link"
    )
    customer = Client()
    connect_path = f"/connect/{_token_of(connect_url)}"
    story.page(connect_path, client=customer, artifact="hosted connect form")
    story.page(
        connect_path,
        client=customer,
        method="post",
        data={"tool": "sandbox", "api_key": "sbx_not_the_key"},
        artifact="hosted connect form, wrong key",
    )
    done = story.page(
        connect_path,
        client=customer,
        method="post",
        data={"tool": "sandbox", "api_key": raw_first_key},
        artifact="hosted connect form, done",
    )
    activation_token = done.context["activation_token"]
    sweep.secret("activation token", activation_token, handed_out_in="hosted connect form, done")
    integration_id = story.api(
        "GET",
        f"/api/v1/connect/integration-by-token/{activation_token}",
        artifact="API exchange activation token",
    )["data"]["id"]
    integration = Integration.objects.get(pk=integration_id)

    # Sync, and read the data as a developer would.
    assert [sync.state for sync in _sync_now()] == [SyncState.SUCCEEDED]
    story.api("GET", "/api/v1/hris/employees", HTTP_X_INTEGRATION_ID=integration.pk)

    # Break: the customer's admin revokes the key; checks fail until the integration is INVALID.
    story.page(f"/dashboard/sandbox-hr/api-keys/{first_key.pk}/revoke/")
    story.page(f"/dashboard/sandbox-hr/api-keys/{first_key.pk}/revoke/", method="post")
    with (
        override_settings(AUTH_FAILURE_GRACE_PERIOD=timedelta(hours=1)),
        time_machine.travel(timezone.now(), tick=True) as traveller,
    ):
        story.api("POST", f"/api/v1/integrations/{integration.pk}/check-auth")
        traveller.shift(timedelta(hours=2))
        story.api("POST", "/api/v1/force-sync", body={}, HTTP_X_INTEGRATION_ID=integration.pk)
        run_queued_syncs()
        story.page(f"/dashboard/integrations/{integration.pk}/check-auth/", method="post")
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.INVALID
    deliver_webhooks()

    # Relink: one link over the API, one emailed from the dashboard (then revoked).
    relink_url = story.api(
        "POST",
        f"/api/v1/integrations/{integration.pk}/relink",
        body={"link_type": "MAGIC_LINK", "language": "en"},
        artifact="API create relink link",
    )["data"]["link"]
    sweep.secret("relink token", _token_of(relink_url), handed_out_in="API create relink link")
    emailed = story.page(
        f"/dashboard/integrations/{integration.pk}/relink/",
        method="post",
        data={"link_type": "MAGIC_LINK", "language": "de", "send_email": "on"},
        artifact="dashboard relink created",
    )
    emailed_token = _token_of(emailed.context["url"])
    sweep.secret("emailed relink token", emailed_token, handed_out_in="dashboard relink created")
    sweep.allow("emailed relink token", "email 0")
    emailed_link = link_find(token=emailed_token)
    assert emailed_link is not None
    story.page(f"/dashboard/reconnection-links/{emailed_link.pk}/revoke/", method="post")
    story.api("GET", f"/api/v1/integrations/{integration.pk}/reconnection-links")

    # The customer opens old links first, then the new one, with a new key minted in the
    # sandbox HR page (which shows it once).
    story.page(connect_path, client=customer, artifact="used connect link")
    story.page(f"/connect/{emailed_token}", client=customer, artifact="revoked link")
    minted = story.page(
        f"/dashboard/sandbox-hr/accounts/{account.pk}/api-keys/",
        method="post",
        data={"name": "kombo again", "permissions": list(ALL_PERMISSIONS)},
        artifact="sandbox key minted",
    )
    raw_second_key = minted.context["new_raw_key"]
    sweep.secret("second sandbox key", raw_second_key, handed_out_in="sandbox key minted")
    relink_path = f"/connect/{_token_of(relink_url)}"
    story.page(relink_path, client=customer, artifact="hosted relink form")
    story.page(
        relink_path,
        client=customer,
        method="post",
        data={"api_key": raw_first_key},
        artifact="hosted relink form, revoked key",
    )
    story.page(
        relink_path,
        client=customer,
        method="post",
        data={"api_key": raw_second_key},
        artifact="hosted relink form, done",
    )
    story.page(
        relink_path,
        client=customer,
        method="post",
        data={"api_key": raw_second_key},
        artifact="hosted relink form, replayed",
    )
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.ACTIVE
    assert [sync.state for sync in _sync_now()] == [SyncState.SUCCEEDED]
    return integration


def _assert_database_holds_no_plaintext(sweep: Sweep, integration: Integration) -> None:
    for table in (
        CredentialVersion._meta.db_table,
        ApiKey._meta.db_table,
        ReconnectionLink._meta.db_table,
        WebhookEndpoint._meta.db_table,
        SandboxApiKey._meta.db_table,
    ):
        assert text_columns().get(table), f"no text columns found for {table}"
    assert database_leaks(sweep) == []

    # Credential payloads are Fernet tokens: readable with our keys, and only with them.
    versions = list(CredentialVersion.objects.filter(integration=integration).order_by("pk"))
    assert [decrypt_json(v.payload_encrypted) for v in versions] == [
        {"api_key": sweep.secrets["first sandbox key"].value},
        {"api_key": sweep.secrets["second sandbox key"].value},
    ]
    stranger = Fernet(Fernet.generate_key())
    for version in versions:
        with pytest.raises(InvalidToken):
            stranger.decrypt(version.payload_encrypted.encode())
    endpoint = WebhookEndpoint.objects.get()
    assert secret_decrypt(endpoint.secret_encrypted) == sweep.secrets["webhook secret"].value
    with pytest.raises(InvalidToken):
        stranger.decrypt(endpoint.secret_encrypted.encode())
    assert WebhookAttempt.objects.exists()


def test_it_keeps_link_tokens_out_of_the_development_servers_access_log() -> None:
    token = "KRxNtM2Hx8LXL-1G-r-tVaiVo2TRsBS7bsWOKEiLONw"
    access_log = logging.getLogger("django.server")
    # It does not propagate: its own handler prints it.
    capture = LogCapture()
    access_log.addHandler(capture)
    try:
        access_log.info('"GET /connect/%s HTTP/1.1" 200 5120', token)
        access_log.info('"GET /api/v1/connect/integration-by-token/%s HTTP/1.1" 200 310', token)
    finally:
        access_log.removeHandler(capture)

    # (Set up twice, logging would run the filter twice: the result is the same.)
    assert capture.lines[0].endswith('"GET /connect/[token] HTTP/1.1" 200 5120')
    assert capture.lines[1].endswith(
        '"GET /api/v1/connect/integration-by-token/[token] HTTP/1.1" 200 310'
    )
