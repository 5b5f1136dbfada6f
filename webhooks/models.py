"""The webhook outbox: every event is a row written in the transaction that caused it.

Endpoints, deliveries and attempts arrive with the webhooks issue; until then events are
recorded here (and shown) but not sent.
"""

from __future__ import annotations

import secrets

from django.db import models

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def new_event_id() -> str:
    return "".join(secrets.choice(_BASE58) for _ in range(24))


class WebhookEvent(models.Model):
    # Plain strings, not foreign keys: the webhooks app depends on nothing of ours.
    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    environment_id = models.CharField(max_length=32, db_index=True)
    integration_id = models.CharField(max_length=80, null=True, blank=True, db_index=True)
    type = models.CharField(max_length=64)
    # The full envelope as it will be sent: {"id", "type", "data"}.
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
