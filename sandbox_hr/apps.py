from __future__ import annotations

from django.apps import AppConfig


class SandboxHrConfig(AppConfig):
    name = "sandbox_hr"
    label = "sandbox_hr"
    verbose_name = "Sandbox HR system"
