"""Sync ingest: sandbox employees over real HTTP into the unified tables, in a worker process.

Throughput is compared with a raw `bulk_create` of the same rows; the worker's peak memory at
5,000 and 50,000 employees must be flat (streaming, one page at a time).
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


def _integration_with(employees: int, name: str) -> str:
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
        name="bench-all",
        defaults={
            "settings": {
                model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
                for model in READ_MODELS.values()
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


def _bulk_create_seconds(integration_id: str) -> float:
    """A raw bulk_create of the rows the sync produced: the floor any ingest is measured by."""
    from core.ids import new_id
    from syncs.models import Employee

    rows = list(
        Employee.objects.filter(integration_id=integration_id).values(
            "remote_id", "data", "content_hash", "changed_at"
        )
    )
    target = _integration_with(0, "Bulk baseline")
    started = time.perf_counter()
    Employee.objects.bulk_create(
        [
            Employee(id=new_id(), integration_id=target, last_seen_sync_id="bench", **row)
            for row in rows
        ],
        batch_size=1000,
    )
    return time.perf_counter() - started


def run() -> list[Row]:
    assert settings.SANDBOX_HR_ENABLED, "the ingest benchmark syncs from the sandbox HR"
    small = _integration_with(SMALL, "Ingest small")
    large = _integration_with(LARGE, "Ingest large")
    with _site_server() as site_url:
        small_run = _sync_in_worker(small, site_url)
        large_run = _sync_in_worker(large, site_url)
    bulk_seconds = _bulk_create_seconds(large)
    large_seconds = float(large_run["seconds"])  # type: ignore[arg-type]
    rate = LARGE / large_seconds
    return [
        Row(
            f"Sync ingest of 50,000 employees over HTTP ({rate:,.0f}/s) vs raw bulk_create",
            large_seconds,
            bulk_seconds,
            "s",
            3.0,
        ),
        Row(
            "Sync worker peak memory: 50,000 vs 5,000 employees",
            int(large_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            int(small_run["max_rss_kib"]) / 1024,  # type: ignore[call-overload]
            "MB",
            1.25,
        ),
    ]
