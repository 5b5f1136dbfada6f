"""`/readyz` answers 503 naming the migrations while one is not applied: a pod whose code is
newer than its schema must get no traffic (Kubernetes' readiness probe: any answer outside
200-399 takes the pod out of the Service). Django's own `MigrationExecutor` migrates one app
back for real, then forward again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from core.services.workers import worker_heartbeat_record

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


def test_it_answers_503_naming_the_unapplied_migration(client: Client) -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("core")
    ((_, latest_name),) = latest
    worker_heartbeat_record(hostname="celery@worker-1")
    assert client.get("/readyz").status_code == 200
    before_latest = MigrationExecutor(connection).loader.graph.node_map[latest[0]].parents
    (previous,) = [node.key for node in before_latest]

    _migrate([previous])
    try:
        response = client.get("/readyz")
    finally:
        _migrate(latest)

    assert response.status_code == 503
    migrations = response.json()["checks"]["migrations"]
    assert migrations == f"Unavailable: 1 migration(s) not applied: core.{latest_name}"
    worker_heartbeat_record(hostname="celery@worker-1")
    assert client.get("/readyz").status_code == 200
