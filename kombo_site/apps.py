from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class KomboSiteConfig(AppConfig):
    name = "kombo_site"
    verbose_name = "kombo-site"

    def ready(self) -> None:
        # The filesystem transport (the embedded default) fails to send into a folder that
        # doesn't exist, so every process that may queue a task makes sure they do.
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            for folder in ("queue", "processed", "control"):
                (Path(settings.CELERY_QUEUE_DIR) / folder).mkdir(parents=True, exist_ok=True)
