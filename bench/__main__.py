"""`make bench`: every benchmark, one table of ratios against baselines measured in the same run.

Runs in a throw-away test database: PostgreSQL when `DATABASE_URL` says so (as in CI), else a
SQLite file under var/. Absolute times are not comparable between machines; ratios are.
`python -m bench api scheduler` runs only the named suites.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombo_site.test_settings")

import django
from django.conf import settings

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from bench import api, dashboard, ingest, load, multinode, relink, scheduler, webhooks  # noqa: E402
from bench.core import Row, table  # noqa: E402

SUITES = {
    "api": api.run,
    "scheduler": scheduler.run,
    "ingest": ingest.run,
    "webhooks": webhooks.run,
    "dashboard": dashboard.run,
    "load": load.run,
    "relink": relink.run,
    "multinode": multinode.run,
}


def main() -> None:
    wanted = sys.argv[1:] or list(SUITES)
    unknown = set(wanted) - set(SUITES)
    if unknown:
        raise SystemExit(f"Unknown suites {sorted(unknown)}; choose from {sorted(SUITES)}.")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # A file, not memory: the ingest benchmark's worker process opens it too.
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / "bench.sqlite3")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    rows: list[Row] = []
    try:
        for name in wanted:
            started = time.perf_counter()
            suite_rows = SUITES[name]()
            rows.extend(suite_rows)
            print(f"{name}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            # As it goes: a later suite failing must not take the earlier figures with it.
            print(table(suite_rows), file=sys.stderr)
    finally:
        teardown_databases(old_config, verbosity=0)
    print()
    print(table(rows))
    print(f"\ndatabase: {connection.vendor}; broker: {settings.CELERY_BROKER_URL.split(':')[0]}")
    raise SystemExit(0 if all(row.passed for row in rows) else 1)


if __name__ == "__main__":
    main()
