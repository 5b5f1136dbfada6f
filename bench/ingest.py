"""Sync ingest: sandbox employees, and absences, over real HTTP into the unified tables, in a
worker process.

Each read model is synced on its own (a scope config enabling it alone), so a row measures that
model. Throughput is compared with a raw `bulk_create` of the same rows; the worker's peak
memory at 5,000 and 50,000 rows must be flat (streaming, one page at a time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from werkzeug.serving import make_server

from bench.core import ROOT, Row

SMALL, LARGE = 5_000, 50_000
# Sandbox HR seeds two to five absences per person (3.5 on average): enough people for about
# 5,000 and 50,000 absences.
ABSENCE_PEOPLE = {SMALL: 1_430, LARGE: 14_300}
EMPLOYEE_MODELS = ("hris_employees", "hris_teams")


@contextmanager
def _site_server() -> Iterator[str]:
    """This Django site (with its sandbox HR) on a loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, WSGIHandler(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def _integration_with(employees: int, name: str, models: tuple[str, ...]) -> str:
    from core.models import Environment
    from integrations.actors import Actor
    from integrations.models import CredentialSource, ScopeConfig
    from integrations.read_models import READ_MODELS
    from integrations.services import integration_create
    from integrations.tools.sandbox import SandboxTool
    from sandbox_hr.services import (
        MAX_EMPLOYEES_PER_CALL,
        sandbox_account_create,
        sandbox_api_key_create,
        sandbox_employees_add,
    )

    account = sandbox_account_create(name=name, employees=min(employees, 25), seed=1)
    remaining = employees - min(employees, 25)
    while remaining:
        added = sandbox_employees_add(account=account, count=min(remaining, MAX_EMPLOYEES_PER_CALL))
        remaining -= added
    _, raw_key = sandbox_api_key_create(
        account=account, name="bench", permissions=SandboxTool.permissions
    )
    environment = Environment.objects.get(name="production")
    scope, _ = ScopeConfig.objects.get_or_create(
        environment=environment,
        name=f"bench: {', '.join(models)}",
        defaults={
            "settings": {
                model_id: {
                    "setting": "ENABLED",
                    "fields": dict.fromkeys(READ_MODELS[model_id].fields, "ENABLED"),
                }
                for model_id in models
            }
        },
    )
    integration = integration_create(
        environment=environment,
        tool_id="sandbox",
        organization_name=name,
        scope_config=scope,
        credentials={"api_key": raw_key},
        actor=Actor.system("bench"),
        source=CredentialSource.OPERATOR,
        remote_account_id=account.id,
    )
    return integration.pk


def _sync_in_worker(integration_id: str, site_url: str) -> dict[str, object]:
    from integrations.models import Integration, SyncType
    from syncs.models import SyncTrigger
    from syncs.services import sync_enqueue

    sync, _ = sync_enqueue(
        integration=Integration.objects.get(pk=integration_id),
        sync_type=SyncType.FULL,
        trigger=SyncTrigger.API,
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
        "DATABASE_URL": _database_url(),
        "SANDBOX_HR_URL": f"{site_url}/sandbox-hr",
    }
    output = subprocess.run(
        [sys.executable, "-m", "bench.sync_worker", sync.pk],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    assert result["state"] == "SUCCEEDED", result
    return result


def _bulk_create_seconds(integration_id: str, model_id: str) -> float:
    """A raw bulk_create of the rows the sync produced: the floor any ingest is measured by."""
    from core.ids import new_id
    from syncs.models import UNIFIED_MODELS

    model = UNIFIED_MODELS[model_id]
    rows = list(
        model._default_manager.filter(integration_id=integration_id).values(
            "remote_id", "data", "content_hash", "changed_at"
        )
    )
    target = _integration_with(0, "Bulk baseline", (model_id,))
    started = time.perf_counter()
    model._default_manager.bulk_create(
        [
            model(id=new_id(), integration_id=target, last_seen_sync_id="bench", **row)
            for row in rows
        ],
        batch_size=1000,
    )
    return time.perf_counter() - started


def _fetched(run: dict[str, object], model_id: str) -> int:
    counts: dict[str, dict[str, int]] = run["counts"]  # type: ignore[assignment]
    return counts[model_id]["fetched"]


def run() -> list[Row]:
    assert settings.SANDBOX_HR_ENABLED, "the ingest benchmark syncs from the sandbox HR"
    small = _integration_with(SMALL, "Ingest small", EMPLOYEE_MODELS)
    large = _integration_with(LARGE, "Ingest large", EMPLOYEE_MODELS)
    absences_small = _integration_with(ABSENCE_PEOPLE[SMALL], "Absences small", ("hris_absences",))
    absences_large = _integration_with(ABSENCE_PEOPLE[LARGE], "Absences large", ("hris_absences",))
    with _site_server() as site_url:
        small_run = _sync_in_worker(small, site_url)
        large_run = _sync_in_worker(large, site_url)
        absences_small_run = _sync_in_worker(absences_small, site_url)
        absences_large_run = _sync_in_worker(absences_large, site_url)
    large_seconds = float(large_run["seconds"])  # type: ignore[arg-type]
    absences_seconds = float(absences_large_run["seconds"])  # type: ignore[arg-type]
    absences = _fetched(absences_large_run, "hris_absences")
    return [
        Row(
            "Sync ingest, 50,000 employees vs raw bulk_create",
            large_seconds,
            _bulk_create_seconds(large, "hris_employees"),
            "s",
            2.0,
            detail=f"employees fetched over HTTP from Sandbox HR: {LARGE / large_seconds:,.0f}/s",
        ),
        Row(
            "Sync peak memory: 50,000 vs 5,000 employees",
            int(large_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            int(small_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            "MB",
            1.25,
        ),
        Row(
            f"Sync ingest, {absences:,} absences vs raw bulk_create",
            absences_seconds,
            _bulk_create_seconds(absences_large, "hris_absences"),
            "s",
            3.0,
            detail=(
                f"absences fetched over HTTP from Sandbox HR: {absences / absences_seconds:,.0f}/s"
            ),
        ),
        Row(
            f"Sync peak memory: {absences:,} vs "
            f"{_fetched(absences_small_run, 'hris_absences'):,} absences",
            int(absences_large_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            int(absences_small_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            "MB",
            1.25,
        ),
    ]
