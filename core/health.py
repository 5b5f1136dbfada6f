"""Liveness (`/healthz`) and readiness (`/readyz`) for load balancers and Kubernetes probes.

Kubernetes ("Configure Liveness, Readiness and Startup Probes") counts an HTTP answer from 200
to 399 as success and anything else as failure: a failing liveness probe restarts the
container, a failing readiness probe takes the pod out of its Service's endpoints. So:

- `/healthz` answers 200 whenever the process can answer at all, and checks nothing else: a
  database outage must not get every web pod killed and restarted, which would not fix it.
- `/readyz` answers 200 only when this pod can do its work (database, broker and cache
  reachable, every migration applied, a Celery worker seen within READYZ_WORKER_MAX_AGE), else
  503 Service Unavailable.

Both answer JSON: `{"status": "ok" | "error", "checks": {name: "ok" | why}}`. The checks are
django-health-check's (`health_check.checks.Database`, `Cache`, `health_check.contrib.redis.
Redis`) and ours built on its `HealthCheck` base, run concurrently by its `HealthCheckView`,
each with its timeout; the messages name what failed, never a URL or password.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from core.models import WorkerHeartbeat

PROBE_TIMEOUT = datetime.timedelta(seconds=3)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is applied: a pod running newer code than its schema would
    fail requests touching the new columns."""

    timeout = PROBE_TIMEOUT

    async def run(self) -> None:
        # Thread-sensitive: on the request's own thread and database connection.
        unapplied = await sync_to_async(_unapplied_migrations)()
        if unapplied:
            shown = ", ".join(unapplied[:5]) + (", ..." if len(unapplied) > 5 else "")
            raise ServiceUnavailable(f"{len(unapplied)} migration(s) not applied: {shown}")


def _unapplied_migrations() -> list[str]:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise ServiceUnavailable(
            f"Could not read the applied migrations ({type(error).__name__})"
        ) from error
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker takes messages: Redis answers PING (django-health-check's Redis
    check), or the filesystem transport's folders (the embedded default) exist and are
    writable. Read from the settings at each probe."""

    timeout = PROBE_TIMEOUT

    async def run(self) -> None:
        url = settings.CELERY_BROKER_URL
        if url.startswith(("redis://", "rediss://")):
            await Redis(client_factory=lambda: _redis_client(url)).run()
        elif url.startswith("filesystem"):
            _filesystem_folders_writable(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        elif not url.startswith("memory"):
            raise ServiceUnavailable("No readiness check for this broker transport")


def _redis_client(url: str) -> RedisClient:
    seconds = PROBE_TIMEOUT.total_seconds()
    return RedisClient.from_url(url, socket_connect_timeout=seconds, socket_timeout=seconds)


def _filesystem_folders_writable(options: dict[str, Any]) -> None:
    for option in ("data_folder_in", "data_folder_out", "control_folder"):
        folder = options.get(option)
        if folder and not (Path(folder).is_dir() and os.access(folder, os.W_OK | os.X_OK)):
            raise ServiceUnavailable(f"The broker's {option} is missing or not writable")


@dataclasses.dataclass
class WorkersSeen(HealthCheck):
    """A Celery worker recorded a heartbeat (core.worker_heartbeat) within
    READYZ_WORKER_MAX_AGE: syncs and webhook deliveries are being worked on."""

    timeout = PROBE_TIMEOUT

    async def run(self) -> None:
        max_age: datetime.timedelta = settings.READYZ_WORKER_MAX_AGE
        if not await sync_to_async(_worker_seen_since)(timezone.now() - max_age):
            raise ServiceUnavailable(
                f"No Celery worker seen in the last {max_age.total_seconds():g} seconds"
            )


def _worker_seen_since(since: datetime.datetime) -> bool:
    try:
        return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()
    except DatabaseError as error:
        raise ServiceUnavailable(
            f"Could not read worker heartbeats ({type(error).__name__})"
        ) from error


class ReadinessView(HealthCheckView):
    """django-health-check's view running our checks; answered in our JSON shape with 503
    (what load balancers and Kubernetes take as "not ready") instead of its 500."""

    named_checks = (
        ("database", Database),
        ("cache", Cache),
        ("broker", Broker),
        ("migrations", MigrationsApplied),
        ("workers", WorkersSeen),
    )
    checks = tuple(check for _, check in named_checks)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        checks = {
            name: "ok" if result.error is None else str(result.error)
            for (name, _), result in zip(self.named_checks, results, strict=True)
        }
        healthy = all(result.error is None for result in results)
        response = JsonResponse(
            {"status": "ok" if healthy else "error", "checks": checks},
            status=200 if healthy else 503,
        )
        # Not a server error to log at each probe (Django's `log_response` skips it): the
        # answer itself says what is missing, and the orchestrator reports it.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


_readiness = ReadinessView.as_view()


def readyz(request: HttpRequest) -> HttpResponse:
    # Called from a (synchronous) middleware, not through Django's handler that adapts views.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        response: HttpResponse = async_to_sync(_readiness)(request)
        return response
    # An event loop already runs in this thread (a library driving one from synchronous code,
    # as Playwright's sync API does), where asgiref refuses to start another: the checks run
    # in a thread of their own, with database connections of their own, closed after.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_readiness_in_own_thread, request).result()


def _readiness_in_own_thread(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = async_to_sync(_readiness)(request)
        return response
    finally:
        connections.close_all()


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok", "checks": {}})
