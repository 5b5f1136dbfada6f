"""The shared kernel's data: environments, API keys and the API request log.

These tables were born in the integrations app and keep its table names (`db_table`), so
moving the models here changed no database (integrations 0011, core 0003).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.ids import new_id


class Environment(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    name = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "integrations_environment"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """An API key: only a SHA-256 of the full key is kept; `prefix` is for recognising it."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "integrations_apikey"
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RequestLog(models.Model):
    """One row per API request; error envelopes link here through `log_url`."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, null=True, blank=True, on_delete=models.CASCADE, related_name="request_logs"
    )
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    integration_id = models.CharField(max_length=80, null=True, blank=True, db_index=True)
    error_code = models.CharField(max_length=64, blank=True, default="")
    latency_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "integrations_requestlog"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status_code}"


class WorkerHeartbeat(models.Model):
    """When each Celery worker (by hostname) last said it was alive: /readyz reads the newest.

    In the database, not the cache: the embedded default's cache is per process, and the web
    process must see what the worker wrote.
    """

    hostname = models.CharField(primary_key=True, max_length=255)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.hostname
