"""The security sweep's tools: what anyone could see during a story (responses, pages, logs,
webhooks, emails), the secrets used in it, and where they may appear; then every text column
of the database searched for them (tests/test_security_sweep*.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from core.models import RequestLog
from integrations.models import Integration
from tests.support.receivers import Receiver
from webhooks.delivery import delivery_attempt
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# Objects per admin model whose change page is opened (every model's list is opened).
ADMIN_OBJECTS_PER_MODEL = 5


class LogCapture(logging.Handler):
    """Every log record of the run, formatted as an operator would read it (tracebacks too)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        # werkzeug serves the fake vendors: its lines are the vendor's logs, not ours.
        if record.name != "werkzeug":
            self.lines.append(self.format(record))


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

    def collect(self, *, receiver: Receiver, logs: LogCapture) -> None:
        """What left the product by other ways than responses: webhooks, emails, log lines."""
        for received in receiver.received:
            headers = "\n".join(f"{key}: {value}" for key, value in received.headers.items())
            self.artifacts.append(
                (f"webhook {received.webhook_id}", f"{headers}\n{received.body.decode()}")
            )
        for number, message in enumerate(mail.outbox):
            # As sent (MIME-encoded) and as read.
            self.artifacts.append((f"email {number}", message.message().as_string()))
            self.artifacts.append(
                (f"email {number}", f"{message.to}\n{message.subject}\n{message.body}")
            )
        for number, line in enumerate(logs.lines):
            self.artifacts.append((f"log line {number}", line))

    def unseen_hand_outs(self) -> list[str]:
        """Secrets not found where they are handed out: the sweep did not look there."""
        return [
            secret.name
            for secret in self.secrets.values()
            if secret.allowed_in
            and not any(
                secret.value in text
                for artifact, text in self.artifacts
                if artifact in secret.allowed_in
            )
        ]

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


def deliver_webhooks() -> None:
    """What a worker does with the queued deliveries (their tasks went to a test broker)."""
    for delivery_id in WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    ):
        delivery_attempt(delivery_id=delivery_id)


def browse_everything(story: Story, integration: Integration) -> None:
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


def text_columns() -> dict[str, list[str]]:
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


def database_leaks(sweep: Sweep) -> list[str]:
    """Every secret of the sweep found in any text column of any table, or in a session."""
    columns = text_columns()
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
    return [
        f"{secret.name} in {where}"
        for where, value in stored
        for secret in sweep.secrets.values()
        if secret.value in value
    ]
