"""Settings for the test suite: local defaults, then the regular settings.

`DATABASE_URL` / `REDIS_URL` from the environment still win, so CI runs on PostgreSQL and Redis.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SANDBOX_HR_ENABLED", "true")
# In-process test workers must not keep database connections open past the test (the test
# database could not be dropped at the end); the benchmarks' worker sets production's value.
os.environ.setdefault("CELERY_DB_REUSE_MAX", "0")
# Each test process has its own queues, so a test's worker only sees that process's tasks.
# Worker processes a test starts are handed the prefix (tests/support/processes.py), so what
# they send themselves (ticks, syncs, deliveries) stays where they and the test consume it. Set
# only while the settings load: pytest-xdist's workers are forked from a process that has
# loaded these settings, and an inherited prefix would make them all share one set of queues.
_inherited_queue_prefix = os.environ.get("CELERY_QUEUE_PREFIX")
os.environ["CELERY_QUEUE_PREFIX"] = _inherited_queue_prefix or f"kombo-tests-{os.getpid()}-"

from kombo_site.settings import *  # noqa: E402, F403
from kombo_site.settings import REDIS_URL  # noqa: E402

if _inherited_queue_prefix is None:
    del os.environ["CELERY_QUEUE_PREFIX"]

# Static files come from the finders in tests; nothing is collected.
STATIC_ROOT = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Tasks sent on commit go to Redis when there is one (as in production), else to an in-process
# broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

# Every test client posts from 127.0.0.1: the per-address limit is tested on its own (a test
# serving the site from another process sets it in that process's environment).
CONNECT_SUBMISSIONS_PER_ADDRESS = int(os.environ.get("CONNECT_SUBMISSIONS_PER_ADDRESS", 100_000))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Empties the database between transactional tests with DELETE, not TRUNCATE (why: there).
    DATABASES["default"]["ENGINE"] = "tests.support.postgresql"  # noqa: F405
