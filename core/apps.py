from __future__ import annotations

from django.apps import AppConfig
from django.core.signals import request_finished

from core.log_context import log_context_clear


class CoreConfig(AppConfig):
    """The shared kernel: every app may import it, it imports none of them."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A server thread serves one request after another: none inherits the last one's ids.
        request_finished.connect(log_context_clear, dispatch_uid="core.log_context_clear")
