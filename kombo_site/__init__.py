from __future__ import annotations

from kombo_site.celery import app as celery_app

__all__ = ["celery_app"]
