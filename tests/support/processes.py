"""Real processes for fault-injection tests: a private Redis, Celery workers, the site under
gunicorn, waiting; the fleet of sandbox integrations they work on; and running queued syncs in
this process, as a worker would.

Each test owns its redis-server (on a free port) and its worker process groups, so stopping or
killing them cannot disturb a test running next to it. Everything started here is stopped in
the context managers' `finally`, whatever the test did.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
import redis
import requests
from django.conf import settings
from django.db import connection

from core.models import Environment
from integrations.models import Integration
from kombo_site.celery import app
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from syncs.models import ACTIVE_SYNC_STATES, Sync, SyncState
from syncs.runner import sync_run
from tests.support.factories import (
    ALL_PERMISSIONS,
    IntegrationFactory,
    ScopeConfigFactory,
    scope_settings_all_enabled,
)
from tests.support.services import require_service

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 10.0
# How the scheduler's reaper ends a RUNNING sync whose worker died.
WORKER_LOST = "Worker lost: no heartbeat."


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(
    what: str | Callable[[], str],
    predicate: Callable[[], bool],
    *,
    timeout: float,
    interval: float = 0.2,
) -> float:
    """Poll until `predicate()` holds; returns the seconds it took, fails naming `what`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    description = what() if callable(what) else what
    raise AssertionError(f"timed out after {timeout:g} s waiting for {description}")


def run_queued_syncs() -> list[Sync]:
    """Run every QUEUED sync as a worker would (the tasks themselves went to a test broker)."""
    ran = []
    for sync_id in Sync.objects.filter(state=SyncState.QUEUED).values_list("pk", flat=True):
        sync = sync_run(sync_id=sync_id)
        if sync is not None:
            sync.refresh_from_db()
            ran.append(sync)
    return ran


def database_url() -> str:
    """The test database, for processes other than this one."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def _stop(process: subprocess.Popen[bytes], *, group: bool) -> None:
    """SIGTERM, then SIGKILL when it does not go within STOP_TIMEOUT."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            continue


def _running_in_group(pgid: int) -> list[int]:
    """Processes of the group that are not dead yet (zombies waiting to be reaped aside)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


class PrivateRedis:
    """A redis-server without persistence: a restart loses every queued message."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.log = workdir / "redis.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=2)

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable is not None
        with self.log.open("a") as log:
            self._process = subprocess.Popen(
                [
                    *(executable, "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(
            lambda: f"redis-server on port {self.port} (log: {self.log.read_text()[-1000:]!r})",
            self._answers,
            timeout=10,
            interval=0.05,
        )

    def stop(self) -> None:
        if self._process is not None:
            _stop(self._process, group=False)

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False


@contextmanager
def private_redis(workdir: Path) -> Iterator[PrivateRedis]:
    require_service(
        "redis-server", shutil.which("redis-server") is not None, "install the redis-server package"
    )
    server = PrivateRedis(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def celery_app_on(broker_url: str) -> Iterator[None]:
    """Make this process's Celery app (and so every on-commit send) publish to `broker_url`."""
    previous = app.conf.broker_url
    _reset_broker_connections()
    app.conf.broker_url = broker_url
    try:
        yield
    finally:
        _reset_broker_connections()
        app.conf.broker_url = previous


def _reset_broker_connections() -> None:
    # Pools are keyed by the connection they were made for: cached ones would keep publishing
    # to the old broker. kombu also keeps them in process-wide registries, which would hand a
    # closed pool back to the app ("Acquire on closed pool"): those are emptied too.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class CeleryWorkers:
    """`celery worker` with embedded beat in its own process group (main process, pool
    children and beat die together), supervised as systemd's `Restart=always` would: a worker
    that exits, killed or crashed, is started again with the same settings.

    Supervision is not a courtesy: Celery 5.7 with kombu 5.7 sometimes exits ("Unrecoverable
    error: AttributeError ... 'hostname'") when its Redis connection drops while it holds
    unacknowledged messages. `crash_logs` keeps what such workers logged last.
    """

    def __init__(
        self,
        *,
        workdir: Path,
        env: Mapping[str, str],
        queues: Sequence[str] = (),
        beat: bool = True,
        concurrency: int = 4,
        name: str = "worker",
    ) -> None:
        self.workdir = workdir
        # This test process's queues (their names carry its prefix): all of them by default.
        self.queues = list(queues) or [queue.name for queue in settings.CELERY_TASK_QUEUES]
        self.beat = beat
        self.concurrency = concurrency
        self.name = name
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
            # What the workers send themselves (ticks, syncs, deliveries) goes to these queues.
            "CELERY_QUEUE_PREFIX": settings.CELERY_QUEUE_PREFIX,
            "VAR_DIR": str(workdir),
            **env,
        }
        self.generation = 0
        # The log tails of workers that exited without being killed by the test.
        self.crash_logs: list[str] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._killed = False
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._supervisor = threading.Thread(
            target=self._supervise, name="celery-supervisor", daemon=True
        )

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}-{self.generation}.log"

    def log_tail(self, size: int = 3000) -> str:
        return self.log.read_text()[-size:] if self.log.exists() else ""

    def start(self) -> None:
        with self._lock:
            self._spawn()
        self._supervisor.start()

    def kill(self) -> None:
        """SIGKILL the whole group at once: no task gets to finish or hand anything back."""
        with self._lock:
            assert self._process is not None
            group = self._process.pid
            os.killpg(group, signal.SIGKILL)
            self._process.wait(timeout=STOP_TIMEOUT)
            # A pool child or beat that survived would keep working and void the test.
            wait_for(
                f"worker group {group} to die",
                lambda: not _running_in_group(group),
                timeout=STOP_TIMEOUT,
                interval=0.05,
            )
            self._killed = True

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor.is_alive():
            self._supervisor.join(timeout=STOP_TIMEOUT)
        with self._lock:
            if self._process is not None:
                _stop(self._process, group=True)
                self._kill_leftovers()

    def _supervise(self) -> None:
        while not self._stopping.wait(0.2):
            with self._lock:
                if self._stopping.is_set():
                    return
                if self._process is None or self._process.poll() is None:
                    continue
                if not self._killed:
                    self.crash_logs.append(self.log_tail())
                self._killed = False
                self._kill_leftovers()
                self._spawn()

    def _kill_leftovers(self) -> None:
        # Pool children outliving their parent still hold database connections.
        assert self._process is not None
        with suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)

    def wait_ready(self, *, timeout: float) -> None:
        """Until the current process logged that it is consuming (or, a beat, scheduling)."""
        wait_for(
            lambda: f"{self.name} to start (log: {self.log_tail()!r})",
            lambda: self.ready_line in self.log_tail(size=100_000),
            timeout=timeout,
        )

    ready_line = " ready."

    def _command(self) -> list[str]:
        return [
            *(sys.executable, "-m", "celery", "-A", "kombo_site", "worker"),
            *("--pool", "prefork", "--concurrency", str(self.concurrency)),
            *("--queues", ",".join(self.queues)),
            *(
                ("--beat", "--schedule", str(self.workdir / "celerybeat-schedule"))
                if self.beat
                else ()
            ),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--hostname", f"{self.name}-{os.getpid()}-{self.generation}@%h"),
            *("--loglevel", "INFO"),
        ]

    def _spawn(self) -> None:
        self.generation += 1
        with self.log.open("w") as log:
            self._process = subprocess.Popen(
                self._command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


@contextmanager
def celery_workers(
    *,
    workdir: Path,
    env: Mapping[str, str],
    queues: Sequence[str] = (),
    beat: bool = True,
    # Syncs mostly wait on the sandbox HR server and PostgreSQL: four processes keep two
    # cores busy where two would leave them idle.
    concurrency: int = 4,
    name: str = "worker",
) -> Iterator[CeleryWorkers]:
    workers = CeleryWorkers(
        workdir=workdir, env=env, queues=queues, beat=beat, concurrency=concurrency, name=name
    )
    try:
        yield workers
    finally:
        workers.stop()


class CeleryBeat(CeleryWorkers):
    """A standalone `celery beat` (production's scheduler role), supervised the same way. Each
    has its own schedule file: two beats sharing one would corrupt it."""

    ready_line = "beat: Starting..."

    def _command(self) -> list[str]:
        return [
            *(sys.executable, "-m", "celery", "-A", "kombo_site", "beat"),
            *("--schedule", str(self.workdir / f"{self.name}-schedule")),
            *("--loglevel", "INFO"),
        ]


@contextmanager
def celery_beat(
    *, workdir: Path, env: Mapping[str, str], name: str = "beat"
) -> Iterator[CeleryBeat]:
    beat = CeleryBeat(workdir=workdir, env=env, beat=False, name=name)
    try:
        yield beat
    finally:
        beat.stop()


@dataclass(frozen=True)
class GunicornServer:
    url: str
    access_log: Path
    error_log: Path


@contextmanager
def gunicorn_server(
    *, workdir: Path, env: Mapping[str, str] | None = None, args: Sequence[str] = ()
) -> Iterator[GunicornServer]:
    """The site under gunicorn with the shipped config (`kombo_site/gunicorn_conf.py`, as the
    README's production command), one worker on a free loopback port, its access and error
    logs in `workdir`.

    It serves this test's PostgreSQL database when the suite runs on one (what the server
    writes outlives the test's transaction: use `transactional_db`), else a SQLite file
    migrated in `workdir`. `env` overrides the environment (the test settings by default),
    `args` adds gunicorn flags.
    """
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
        "VAR_DIR": str(workdir),
        "DATABASE_URL": (
            database_url()
            if connection.vendor == "postgresql"
            else f"sqlite:///{workdir / 'site.sqlite3'}"
        ),
        **(env or {}),
    }
    if connection.vendor != "postgresql":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=server_env,
            check=True,
            timeout=120,
        )
    # Bound here and handed over (`fd://`): the port is known before gunicorn starts.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    listener.set_inheritable(True)
    server = GunicornServer(
        url=f"http://127.0.0.1:{listener.getsockname()[1]}",
        access_log=workdir / "gunicorn-access.log",
        error_log=workdir / "gunicorn-error.log",
    )
    with listener:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "kombo_site.wsgi"),
                *("--config", str(ROOT / "kombo_site" / "gunicorn_conf.py")),
                *("--bind", f"fd://{listener.fileno()}", "--workers", "1"),
                *("--access-logfile", str(server.access_log)),
                *("--error-logfile", str(server.error_log)),
                # The default control socket is one path per user: parallel servers would share.
                "--no-control-socket",
                *args,
            ],
            cwd=ROOT,
            env=server_env,
            pass_fds=(listener.fileno(),),
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: f"gunicorn at {server.url} (log: {_tail(server.error_log)!r})",
            lambda: _answers(server.url, process),
            timeout=60,
        )
        yield server
    finally:
        _stop(process, group=True)


def _answers(url: str, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"gunicorn exited with {process.returncode}")
    try:
        requests.get(f"{url}/accounts/login/", timeout=10)
    except requests.RequestException:
        return False
    return True


def _tail(log: Path, size: int = 3000) -> str:
    return log.read_text()[-size:] if log.exists() else ""


# Short enough that a lost message or a dead worker is noticed within seconds, not minutes.
FAST_HEALTH_LOOP = {
    "SCHEDULER_TICK_SECONDS": "1",
    "WEBHOOK_SWEEP_SECONDS": "1",
    "SYNC_LEASE_SECONDS": "5",
    "WEBHOOK_LEASE_SECONDS": "5",
    # Below the lease, so a send that times out never outlives its claim.
    "WEBHOOK_TIMEOUT_SECONDS": "3",
}


def worker_env(*, broker: PrivateRedis, sandbox_hr_url: str) -> dict[str, str]:
    return {
        **FAST_HEALTH_LOOP,
        "DATABASE_URL": database_url(),
        # Production's value: a fresh connection per task would cost more than the task.
        "CELERY_DB_REUSE_MAX": "1000",
        "REDIS_URL": broker.url,
        "SANDBOX_HR_URL": sandbox_hr_url,
    }


@dataclass(frozen=True)
class Fleet:
    """Integrations on a few sandbox accounts: `expected_employees[integration_id]`."""

    expected_employees: dict[str, int]

    @property
    def integration_ids(self) -> list[str]:
        return list(self.expected_employees)


def fleet_create(
    *,
    environment: Environment,
    integrations: int,
    account_sizes: tuple[int, ...],
    models: Sequence[str] = ("hris_employees", "hris_groups"),
) -> Fleet:
    """`integrations` sandbox integrations spread over one account per size (several
    integrations may read the same account: the connector does not mind). They read
    employees and groups, the unified rows these tests count, or only `models` when given:
    every model a sync can read would cost each sync four times the requests and prove
    nothing more about faults."""
    accounts = [
        sandbox_account_create(name=f"Fault {size}", employees=size, seed=size)
        for size in account_sizes
    ]
    keys = [
        sandbox_api_key_create(account=account, name="kombo", permissions=ALL_PERMISSIONS)[1]
        for account in accounts
    ]
    settings = scope_settings_all_enabled()
    for model_id in settings:
        if model_id not in models:
            settings[model_id]["setting"] = "DISABLED"
    scope_config = ScopeConfigFactory(
        environment=environment, name=f"Only {', '.join(models)}", settings=settings
    )
    expected = {}
    for number in range(integrations):
        slot = number % len(accounts)
        integration = IntegrationFactory(
            environment=environment,
            scope_config=scope_config,
            credentials={"api_key": keys[slot]},
            remote_account_id=accounts[slot].id,
        )
        expected[integration.pk] = account_sizes[slot]
    return Fleet(expected)


@dataclass(frozen=True)
class FleetState:
    active_syncs: int
    without_success: int
    stuck: int

    @property
    def settled(self) -> bool:
        return self.active_syncs == 0 and self.without_success == 0 and self.stuck == 0


def fleet_state(fleet: Fleet) -> FleetState:
    """Where the fleet is: syncs queued or running, integrations that never synced fully, and
    integrations nothing will ever sync again (no sync active, none scheduled)."""
    integrations = Integration.objects.filter(pk__in=fleet.integration_ids)
    return FleetState(
        active_syncs=Sync.objects.filter(
            integration_id__in=fleet.integration_ids, state__in=ACTIVE_SYNC_STATES
        ).count(),
        without_success=integrations.exclude(syncs__state=SyncState.SUCCEEDED).count(),
        stuck=integrations.filter(next_sync_at__isnull=True)
        .exclude(syncs__state__in=ACTIVE_SYNC_STATES)
        .count(),
    )
