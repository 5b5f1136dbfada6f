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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.http import HttpResponse
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
from tests.support.receivers import Receiver, receiving
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.secrets import secret_decrypt

pytestmark = pytest.mark.django_db(transaction=True)

# Objects per admin model whose change page is opened (every model's list is opened).
ADMIN_OBJECTS_PER_MODEL = 5


class LogCapture(logging.Handler):
    """Every log record of the run, formatted as an operator would read it (tracebacks too)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    handler = LogCapture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


@dataclass
class Secret:
    name: str
    value: str
    # The artifacts that hand this secret out by design.
    allowed_in: set[str] = field(default_factory=set)


@dataclass
class Sweep:
    """What anyone could see during the run: (artifact name, text), and the secrets used."""

    artifacts: list[tuple[str, str]] = field(default_factory=list)
    secrets: dict[str, Secret] = field(default_factory=dict)

    def secret(self, name: str, value: str, *, handed_out_in: str | None = None) -> str:
        assert value, name
        self.secrets[name] = Secret(name, value, {handed_out_in} if handed_out_in else set())
        return value

    def allow(self, name: str, artifact: str) -> None:
        self.secrets[name].allowed_in.add(artifact)

    def response(self, artifact: str, response: HttpResponse) -> HttpResponse:
        content = b"".join(response) if response.streaming else response.content  # type: ignore[arg-type]
        headers = "\n".join(f"{key}: {value}" for key, value in response.items())
        cookies = "\n".join(morsel.OutputString() for morsel in response.cookies.values())
        self.artifacts.append(
            (artifact, f"{response.status_code}\n{headers}\n{cookies}\n{content.decode()}")
        )
        return response

    def leaks(self) -> list[str]:
        found = []
        for artifact, text in self.artifacts:
            for secret in self.secrets.values():
                if secret.value in text and artifact not in secret.allowed_in:
                    found.append(f"{secret.name} in {artifact}")
        return found


@dataclass
class Story:
    sweep: Sweep
    api_client: Client
    operator_browser: Client
    receiver: Receiver

    def api(
        self, method: str, path: str, *, body: Any = None, artifact: str | None = None, **extra: Any
    ) -> Any:
        artifact = artifact or f"API {method} {path}"
        send = getattr(self.api_client, method.lower())
        kwargs: dict[str, Any] = dict(extra)
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        response = self.sweep.response(artifact, send(path, **kwargs))
        assert response.status_code < 500, f"{artifact}: {response.content[:300]!r}"
        return response.json()

    def page(
        self,
        path: str,
        *,
        client: Client | None = None,
        artifact: str | None = None,
        method: str = "get",
        data: Any = None,
    ) -> HttpResponse:
        browser = client or self.operator_browser
        response = getattr(browser, method)(path, data or {}, follow=True)
        artifact = artifact or f"page {method.upper()} {path}"
        self.sweep.response(artifact, response)
        assert response.status_code < 500, f"{artifact}: {response.status_code}"
        return response


def _token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _deliver_webhooks() -> None:
    """What a worker does with the queued deliveries (their tasks went to a test broker)."""
    for delivery_id in WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    ):
        delivery_attempt(delivery_id=delivery_id)


def _sync_now() -> list[Sync]:
    scheduler_tick()
    ran = run_queued_syncs()
    _deliver_webhooks()
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
        _browse_everything(story, integration)
    for received in receiver.received:
        headers = "\n".join(f"{key}: {value}" for key, value in received.headers.items())
        sweep.artifacts.append(
            (f"webhook {received.webhook_id}", f"{headers}\n{received.body.decode()}")
        )
    for number, message in enumerate(mail.outbox):
        # As sent (MIME-encoded) and as read.
        sweep.artifacts.append((f"email {number}", message.message().as_string()))
        sweep.artifacts.append(
            (f"email {number}", f"{message.to}\n{message.subject}\n{message.body}")
        )
    for number, line in enumerate(captured_logs.lines):
        sweep.artifacts.append((f"log line {number}", line))

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
    _deliver_webhooks()

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


def _browse_everything(story: Story, integration: Integration) -> None:
    detail = f"/dashboard/integrations/{integration.pk}/"
    for path in (
        "/dashboard/",
        detail,
        f"{detail}sync-progress/",
        "/dashboard/scope-configs/",
        f"/dashboard/scope-configs/{integration.scope_config_id}/",
        "/dashboard/webhooks/",
        "/dashboard/webhooks/deliveries/",
        "/dashboard/logs/",
        "/dashboard/api-keys/",
        "/dashboard/sandbox-hr/",
    ):
        story.page(path)
    for delivery_id in WebhookDelivery.objects.values_list("pk", flat=True):
        story.page(f"/dashboard/webhooks/deliveries/{delivery_id}/")
    for log_id in RequestLog.objects.values_list("pk", flat=True):
        story.page(f"/dashboard/logs/{log_id}/")
    for model in admin.site._registry:
        meta = model._meta
        story.page(f"/admin/{meta.app_label}/{meta.model_name}/")
        for pk in model._default_manager.values_list("pk", flat=True)[:ADMIN_OBJECTS_PER_MODEL]:
            story.page(f"/admin/{meta.app_label}/{meta.model_name}/{pk}/change/")
    endpoint_id = WebhookEndpoint.objects.get().pk
    for method, path in (
        ("GET", f"/api/v1/integrations/{integration.pk}"),
        ("GET", "/api/v1/integrations"),
        ("GET", f"/api/v1/integrations/{integration.pk}/syncs"),
        ("GET", f"/api/v1/integrations/{integration.pk}/reconnection-links"),
        ("GET", "/api/v1/webhooks/endpoints"),
        ("GET", f"/api/v1/webhooks/endpoints/{endpoint_id}"),
        ("GET", "/api/v1/webhooks/deliveries"),
        ("GET", "/api/v1/check-api-key"),
    ):
        story.api(method, path)


TEXT_FIELD_TYPES = {"CharField", "TextField", "JSONField", "BinaryField", "SlugField", "EmailField"}


def _text_columns() -> dict[str, list[str]]:
    """Every text, JSON and binary column of every table in the database, read from the
    database's own catalogue through Django's introspection (so it works on SQLite, the
    embedded default, as on PostgreSQL), not from our models."""
    introspection = connection.introspection
    columns: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            for column in introspection.get_table_description(cursor, table):
                field_type = introspection.get_field_type(column.type_code, column)
                if field_type in TEXT_FIELD_TYPES:
                    columns.setdefault(table, []).append(column.name)
    return columns


def _assert_database_holds_no_plaintext(sweep: Sweep, integration: Integration) -> None:
    columns = _text_columns()
    for table in (
        CredentialVersion._meta.db_table,
        ApiKey._meta.db_table,
        ReconnectionLink._meta.db_table,
        WebhookEndpoint._meta.db_table,
        SandboxApiKey._meta.db_table,
    ):
        assert columns.get(table), f"no text columns found for {table}"
    stored = []
    with connection.cursor() as cursor:
        for table, names in columns.items():
            selected = ", ".join(f'CAST("{name}" AS TEXT)' for name in names)
            cursor.execute(f'SELECT {selected} FROM "{table}"')
            for row in cursor.fetchall():
                stored.extend(
                    (f"{table}.{name}", value)
                    for name, value in zip(names, row, strict=True)
                    if value
                )
    for session in Session.objects.all():
        stored.append(("django_session (decoded)", repr(session.get_decoded())))
    leaks = [
        f"{secret.name} in {where}"
        for where, value in stored
        for secret in sweep.secrets.values()
        if secret.value in value
    ]
    assert leaks == []

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
