"""Run one sync the way a Celery worker would, in its own process, and report its footprint.

`python -m bench.sync_worker <sync_id>` prints JSON: seconds, peak RSS (KiB), state, counts.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombo_site.test_settings")

import django

django.setup()

from syncs.runner import sync_run  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    sync = sync_run(sync_id=sys.argv[1])
    seconds = time.perf_counter() - started
    assert sync is not None
    sync.refresh_from_db()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "state": sync.state,
                "counts": sync.counts,
                "error": sync.error,
            }
        )
    )


if __name__ == "__main__":
    main()
