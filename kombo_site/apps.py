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
            options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            for name in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                Path(str(options[name])).mkdir(parents=True, exist_ok=True)
