from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: every app may import it, it imports none of them."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
