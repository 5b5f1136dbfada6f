"""Settings for the test suite: local defaults, then the regular settings.

`DATABASE_URL` / `REDIS_URL` from the environment still win, so CI runs on PostgreSQL and Redis.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SANDBOX_HR_ENABLED", "true")

from kombo_site.settings import *  # noqa: F403

# Static files come from the finders in tests; nothing is collected.
STATIC_ROOT = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Tasks sent on commit go to an in-process broker; the tests that need a real worker point the
# Celery app at Redis themselves (tests/syncs/conftest.py).
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
