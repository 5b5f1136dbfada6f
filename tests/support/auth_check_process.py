"""One auth check of an integration in a process of its own, started when the test says.

`python -m tests.support.auth_check_process <integration id> <barrier file>` sets Django up,
prints `ready`, waits for the barrier file to exist, runs the auth check as a worker would and
prints its outcome as JSON. The refresh-race test starts many of them and releases them
together (tests/integrations/test_oauth_refresh_race.py).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

BARRIER_TIMEOUT_SECONDS = 120.0


def main(integration_id: str, barrier: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kombo_site.test_settings")
    import django

    django.setup()
    from integrations.models import Integration
    from syncs.models import AuthCheckTrigger
    from syncs.services import auth_check_run

    integration = Integration.objects.get(pk=integration_id)
    print("ready", flush=True)
    deadline = time.monotonic() + BARRIER_TIMEOUT_SECONDS
    while not barrier.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the barrier never opened")
        time.sleep(0.005)
    run = auth_check_run(integration=integration, trigger=AuthCheckTrigger.MANUAL)
    print(json.dumps({"outcome": run.result.outcome, "message": run.result.message}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
