"""Settings of the site the `load` and `relink` benchmarks serve with gunicorn.

The test settings (local secrets, the bench's throw-away database from `DATABASE_URL`), then
what production changes for speed and safety: DEBUG off (no per-request query log, no debug
error pages), a fixed host list, warnings-only logging (no line per request). Plus the bench
URLconf with its bare baseline views.
"""

from __future__ import annotations

import os

from kombo_site.settings import env
from kombo_site.test_settings import *  # noqa: F403
from kombo_site.test_settings import CACHES, LOGGING

# Loaded with DEBUG on, so the local development secrets are accepted; served with it off.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

# The test settings pin the per-address limit for the test client; the benchmark's client
# submits from one address, so both limits come from the environment again.
CONNECT_SUBMISSIONS_PER_LINK = env.int("CONNECT_SUBMISSIONS_PER_LINK", default=10)
CONNECT_SUBMISSIONS_PER_ADDRESS = env.int("CONNECT_SUBMISSIONS_PER_ADDRESS", default=30)

# The benchmark's own cache keys (rate-limit counters of tests sharing this Redis stay
# untouched); its own queues come with CELERY_QUEUE_PREFIX.
CACHES = {
    "default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "bench")}
}

LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
