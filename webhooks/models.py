"""Webhooks: endpoints, the event outbox, one delivery per (event, endpoint), one row per attempt.

Every event is written in the transaction that caused it, with its deliveries; workers send
them after commit and a sweeper re-sends anything due or stuck, so nothing is lost.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def new_event_id() -> str:
    return "".join(secrets.choice(_BASE58) for _ in range(24))


class WebhookEndpoint(models.Model):
    # Plain strings, not foreign keys: the webhooks app depends on nothing of ours.
    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    environment_id = models.CharField(max_length=32, db_index=True)
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=300, blank=True, default="")
    # Subscribed event types; empty means every type.
    event_types = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    # MultiFernet tokens of the signing secrets (`whsec_...`); the previous one is still used
    # to sign, alongside the new one, until `secret_previous_expires_at` (rotation overlap).
    secret_encrypted = models.TextField()
    secret_previous_encrypted = models.TextField(blank=True, default="")
    secret_previous_expires_at = models.DateTimeField(null=True, blank=True)
    # Since when every delivery has failed (cleared by a success): the auto-disable clock.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_test_webhookendpoint", "Can send a test event to an endpoint")]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookEvent(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    environment_id = models.CharField(max_length=32, db_index=True)
    integration_id = models.CharField(max_length=80, null=True, blank=True, db_index=True)
    type = models.CharField(max_length=64)
    # The full envelope as it is sent: {"id", "type", "data"}.
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING"
    IN_FLIGHT = "IN_FLIGHT"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class WebhookDelivery(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Copied from the event for filtering the delivery log without a join.
    event_type = models.CharField(max_length=64)
    integration_id = models.CharField(max_length=80, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # When a worker was last asked to send it (PENDING) or claimed it (IN_FLIGHT).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # Django would add an "s": "deliverys".
        verbose_name_plural = "webhook deliveries"
        permissions = [("redeliver_webhookdelivery", "Can redeliver webhook deliveries")]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=Q(status__in=["PENDING", "IN_FLIGHT"]),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_idx"),
            models.Index(fields=["integration_id", "-created_at"], name="delivery_integration_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    # Headers as sent, minus nothing secret: signatures are not secrets.
    request_headers = models.JSONField(default=dict)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    response_excerpt = models.TextField(blank=True, default="")
    error_class = models.CharField(max_length=100, blank=True, default="")
    error_message = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_number")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class InspectorRequest(models.Model):
    """A request received by the built-in request inspector at `/inspector/<bin_id>/`."""

    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    bin_id = models.CharField(max_length=64)
    method = models.CharField(max_length=16)
    query_string = models.CharField(max_length=2000, blank=True, default="")
    headers = models.JSONField(default=dict)
    # The raw bytes (at most the inspector's cap), so signatures can be checked exactly.
    body = models.BinaryField(default=bytes)
    body_truncated = models.BooleanField(default=False)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["bin_id", "-received_at"], name="inspector_bin_idx")]

    def __str__(self) -> str:
        return f"{self.method} to bin {self.bin_id}"
