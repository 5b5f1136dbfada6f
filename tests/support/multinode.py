"""The multi-node proof: the production roles as separate real processes on one PostgreSQL and
one private Redis, under faults, checked from the rows they leave behind.

The fleet: 2 gunicorn web processes (the site: API and Sandbox HR, which the sandbox connector
reaches over HTTP), 3 Celery workers each on its own queue (`celery`: scheduler ticks, the
webhook sweeper, housekeeping; `syncs`; `webhooks`), 2 `celery beat` processes, and a Standard
Webhooks receiver on loopback subscribed to every event a sync emits. `size.integrations`
sandbox integrations sync every `size.interval` seconds (DELTA_SYNC_INTERVAL, with the
scheduler's own ±5 % jitter), their first syncs spread evenly over the first interval.

Intervals. The measured run is cut into `size.windows` consecutive windows of
`window = interval * 1.05 + grace` seconds from `started_at`: the longest an integration may
wait for its next sync (the interval at its longest jitter) plus the time the scheduler and a
worker need to notice and run it (`grace`: a tick, the queue, the sync). Every integration is
due in every window; it "synced in the window" when one of its syncs SUCCEEDED within it. A
window in which a fault strikes is left out (the faults strike one to four seconds into it);
every other window must have all integrations synced.

Faults: the syncs worker is SIGKILLed (whole process group: no task hands anything back) and
one beat is SIGKILLed, both restarted as systemd's `Restart=always` would; Redis is stopped and
started again on the same port, without persistence, so every queued message is lost.
Recovery from a fault is the time until the first sync *queued after it* completes (the whole
chain: tick, broker, worker) and until the first event *emitted after it* reaches the receiver.

Afterwards new work stops (every integration's next sync is moved out of the run) while all
processes keep running, so the reaper and the sweeper still recover what they must, and the
fleet is given `size.drain_timeout` seconds to finish: what is still QUEUED or RUNNING then is
stuck.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from core.models import Environment
from core.services import api_key_create
from integrations.models import Integration
from syncs.models import ACTIVE_SYNC_STATES, Sync, SyncState
from tests.support.processes import (
    CeleryBeat,
    CeleryWorkers,
    Fleet,
    PrivateRedis,
    celery_app_on,
    celery_beat,
    celery_workers,
    fleet_create,
    gunicorn_server,
    private_redis,
    wait_for,
    worker_env,
)
from tests.support.receivers import Receiver, receiving
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from webhooks.services import endpoint_create

# Every event a sync run can emit (syncs/events.py, and the health transitions it records).
SYNC_EVENTS = (
    "sync-finished",
    "data-changed",
    "integration-state-changed",
    "issue-status-changed",
)
JITTER = 1.05
# Seconds into its window each fault strikes: Redis last, so that when they share a window the
# syncs queued while the killed worker restarts are among the messages it loses.
WORKER_KILL_OFFSET = 1.0
BEAT_KILL_OFFSET = 1.5
REDIS_RESTART_OFFSET = 4.0
REDIS_DOWN_SECONDS = 1.0
SAMPLE_SECONDS = 0.25
START_TIMEOUT = 90.0
SETTLE_TIMEOUT = 60.0


@dataclass(frozen=True)
class MultinodeSize:
    integrations: int
    # Seconds between two syncs of one integration.
    interval: float
    # Seconds a due sync may take to be noticed, queued and run (see the module docstring).
    grace: float
    windows: int
    # Window of each fault: the syncs worker killed, a beat killed, Redis restarted.
    worker_kill_window: int
    beat_kill_window: int
    redis_restart_window: int
    drain_timeout: float
    account_sizes: tuple[int, ...] = (3, 5, 8)
    sync_concurrency: int = 4
    webhook_concurrency: int = 4
    gunicorn_threads: int = 4
    # After the run, every integration due at once: how many syncs a second the fleet can run.
    capacity_burst: bool = False

    @property
    def window(self) -> float:
        return self.interval * JITTER + self.grace

    @property
    def fault_windows(self) -> set[int]:
        return {self.worker_kill_window, self.beat_kill_window, self.redis_restart_window}


@dataclass
class FaultRecord:
    name: str
    at: datetime
    # Seconds to the first completed sync queued after the fault, and to the first received
    # delivery of an event emitted after it (None: never, within the run).
    sync_recovery: float | None = None
    delivery_recovery: float | None = None


@dataclass
class MultinodeResult:
    size: MultinodeSize
    # The most syncs one integration had QUEUED or RUNNING at once, in any sample.
    most_active_at_once: int
    samples: int
    # Pairs of one integration's syncs whose [created, finished] spans overlap.
    overlapping_syncs: int
    # (integration id, window) pairs without a successful sync, outside fault windows.
    missed: list[tuple[str, int]]
    checked_windows: list[int]
    events: int
    lost_events: set[str]
    # Requests beyond the first per event id, all with the same body (at-least-once).
    duplicate_requests: int
    # Event ids whose repeated requests carried different bodies (never allowed).
    inconsistent_duplicates: set[str]
    unknown_events: set[str]
    rejected_requests: int
    stuck_syncs: int
    syncs_succeeded: int
    # Median and 90th percentile of a successful sync's queue-to-finish and run times.
    sync_latency: tuple[float, float]
    sync_duration: tuple[float, float]
    syncs_per_minute: float
    required_syncs_per_minute: float
    deliveries_per_second: float
    events_per_second: float
    faults: list[FaultRecord]
    messages_lost_at_restart: int
    reaped_syncs: int
    worker_crashes: int
    # How many times each Celery process was started (a killed one is started again).
    generations: dict[str, int]
    # Syncs a second with every integration due at once (the capacity burst), if measured.
    capacity: float | None
    api_probes: int
    api_probe_failures: int
    run_seconds: float
    setup_seconds: float
    drain_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            self.most_active_at_once <= 1
            and self.overlapping_syncs == 0
            and not self.missed
            and not self.lost_events
            and not self.inconsistent_duplicates
            and not self.unknown_events
            and self.rejected_requests == 0
            and self.stuck_syncs == 0
        )

    def summary(self) -> str:
        size = self.size
        faults = "; ".join(
            f"{fault.name}: sync {_seconds(fault.sync_recovery)}, "
            f"delivery {_seconds(fault.delivery_recovery)}"
            for fault in self.faults
        )
        parts = [
            f"{size.integrations} integrations every {size.interval:g} s, {size.windows} "
            f"windows of {size.window:.1f} s (checked {self.checked_windows})",
            f"most active at once {self.most_active_at_once} in {self.samples} samples",
            f"overlapping {self.overlapping_syncs}",
            f"missed {len(self.missed)}",
            f"events {self.events}, lost {len(self.lost_events)}, "
            f"duplicates {self.duplicate_requests}",
            f"stuck {self.stuck_syncs}",
            f"{self.syncs_per_minute:.0f} syncs/min (asked {self.required_syncs_per_minute:.0f})",
            f"{self.deliveries_per_second:.1f} deliveries/s "
            f"({self.events_per_second:.1f} events/s)",
            f"sync latency p50/p90 {self.sync_latency[0]:.1f}/{self.sync_latency[1]:.1f} s, "
            f"run p50/p90 {self.sync_duration[0]:.2f}/{self.sync_duration[1]:.2f} s",
            f"recovery: {faults}",
            f"messages lost at the restart {self.messages_lost_at_restart}",
            f"reaped {self.reaped_syncs}",
            f"worker crashes {self.worker_crashes}",
            f"API probes failed {self.api_probe_failures}/{self.api_probes}",
            f"capacity {_rate(self.capacity)}",
            f"set-up {self.setup_seconds:.0f} s, run {self.run_seconds:.0f} s, "
            f"drain {self.drain_seconds:.0f} s",
        ]
        return "; ".join(parts)


def _rate(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.1f} syncs/s"


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


class Monitor:
    """Samples, while the run goes on, how many syncs each integration has active (the
    database's view), and asks both web nodes for `GET /api/v1/check-api-key`."""

    def __init__(self, *, integration_ids: list[str], web_urls: list[str], api_key: str) -> None:
        self.integration_ids = integration_ids
        self.web_urls = web_urls
        self.api_key = api_key
        self.most_active_at_once = 0
        self.samples = 0
        self.api_probes = 0
        self.api_probe_failures = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="multinode-monitor", daemon=True)
        self._error: BaseException | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        nodes = itertools.cycle(self.web_urls)
        session = requests.Session()
        last_probe = 0.0
        try:
            while not self._stopping.wait(SAMPLE_SECONDS):
                self._sample()
                if time.monotonic() - last_probe >= 1.0:
                    last_probe = time.monotonic()
                    self._probe(session, next(nodes))
        except BaseException as error:
            self._error = error
        finally:
            session.close()
            # This thread's own connection: left open, the test database could not be dropped.
            connection.close()

    def _sample(self) -> None:
        most = (
            Sync.objects.filter(state__in=ACTIVE_SYNC_STATES)
            .values("integration_id")
            .annotate(active=Count("id"))
            .order_by("-active")
            .values_list("active", flat=True)
            .first()
        )
        self.most_active_at_once = max(self.most_active_at_once, most or 0)
        self.samples += 1

    def _probe(self, session: requests.Session, url: str) -> None:
        self.api_probes += 1
        try:
            response = session.get(
                f"{url}/api/v1/check-api-key",
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=10,
            )
        except requests.RequestException:
            self.api_probe_failures += 1
            return
        if response.status_code != 200:
            self.api_probe_failures += 1


@dataclass
class _Fleet:
    broker: PrivateRedis
    receiver: Receiver
    endpoint_id: str
    fleet: Fleet
    web_urls: list[str]
    syncs_worker: CeleryWorkers
    workers: list[CeleryWorkers]
    beats: list[CeleryBeat]
    api_key: str


def _log(message: str, log: Callable[[str], None] | None) -> None:
    if log is not None:
        log(message)


def multinode_run(
    *,
    environment: Environment,
    workdir: Path,
    size: MultinodeSize,
    log: Callable[[str], None] | None = None,
) -> MultinodeResult:
    """Run the whole proof; every process it started is stopped before it returns."""
    setup_started = time.monotonic()
    with _fleet_running(environment=environment, workdir=workdir, size=size) as running:
        setup_seconds = time.monotonic() - setup_started
        _log(f"fleet up in {setup_seconds:.0f} s", log)
        monitor = Monitor(
            integration_ids=running.fleet.integration_ids,
            web_urls=running.web_urls,
            api_key=running.api_key,
        )
        started_at = _spread_first_syncs(running.fleet, size=size)
        monitor.start()
        try:
            faults, messages_lost = _strike(running, size=size, started_at=started_at, log=log)
            run_end = started_at + timedelta(seconds=size.window * size.windows)
            _sleep_until(run_end)
            capacity = _capacity_burst(running, size=size) if size.capacity_burst else None
            _log("run over; draining", log)
            drain_started = time.monotonic()
            stuck = _drain(running, size=size)
            drain_seconds = time.monotonic() - drain_started
        finally:
            monitor.stop()
        celery_processes = [*running.workers, *running.beats]
        worker_crashes = sum(len(p.crash_logs) for p in celery_processes)
        generations = {p.name: p.generation for p in celery_processes}
    return _result(
        running,
        size=size,
        monitor=monitor,
        started_at=started_at,
        run_end=run_end,
        faults=faults,
        messages_lost=messages_lost,
        stuck=stuck,
        worker_crashes=worker_crashes,
        generations=generations,
        capacity=capacity,
        setup_seconds=setup_seconds,
        drain_seconds=drain_seconds,
    )


@contextmanager
def _fleet_running(
    *, environment: Environment, workdir: Path, size: MultinodeSize
) -> Iterator[_Fleet]:
    with ExitStack() as stack:
        receiver = stack.enter_context(receiving())
        broker = stack.enter_context(private_redis(workdir))
        stack.enter_context(celery_app_on(broker.url))
        fleet = fleet_create(
            environment=environment,
            integrations=size.integrations,
            account_sizes=size.account_sizes,
            # Two requests a sync (the auth check, one page of employees): the run measures
            # the platform's fleet handling, not the connector's paging.
            models=("hris_employees",),
        )
        # Nothing is due until every process is up; then the first syncs are spread.
        Integration.objects.filter(pk__in=fleet.integration_ids).update(
            next_sync_at=timezone.now() + timedelta(days=1)
        )
        endpoint, secret = endpoint_create(
            environment_id=environment.pk,
            url=receiver.url,
            description="Multi-node receiver",
            event_types=SYNC_EVENTS,
        )
        receiver.secrets.append(secret)
        _, api_key = api_key_create(environment=environment, name="multinode")
        env = {
            **worker_env(broker=broker, sandbox_hr_url=""),
            "DELTA_SYNC_INTERVAL": f"{size.interval:g}s",
            "DATABASE_CONN_MAX_AGE": "60",
            "CELERY_QUEUE_PREFIX": settings.CELERY_QUEUE_PREFIX,
        }
        queues = {
            "scheduler": (settings.CELERY_TASK_DEFAULT_QUEUE, 2),
            "syncs": (settings.CELERY_SYNCS_QUEUE, size.sync_concurrency),
            "webhooks": (settings.CELERY_WEBHOOKS_QUEUE, size.webhook_concurrency),
        }
        # The syncs worker reads Sandbox HR from the first web node; the API probes use both.
        web_dirs = [workdir / "web1", workdir / "web2"]
        for web_dir in web_dirs:
            web_dir.mkdir()
        workers = {
            name: stack.enter_context(
                celery_workers(
                    workdir=workdir,
                    env=env,
                    queues=[queue],
                    beat=False,
                    concurrency=concurrency,
                    name=f"worker-{name}",
                )
            )
            for name, (queue, concurrency) in queues.items()
        }
        beats = [
            stack.enter_context(celery_beat(workdir=workdir, env=env, name=f"beat-{number}"))
            for number in (1, 2)
        ]
        # Starting takes seconds per process: the ones that need no web node start first.
        for process in [workers["scheduler"], workers["webhooks"], *beats]:
            process.start()
        web_urls = [
            stack.enter_context(
                gunicorn_server(
                    workdir=web_dir,
                    env=env,
                    args=("--worker-class", "gthread", "--threads", str(size.gunicorn_threads)),
                )
            ).url
            for web_dir in web_dirs
        ]
        workers["syncs"].env["SANDBOX_HR_URL"] = f"{web_urls[0]}/sandbox-hr"
        workers["syncs"].start()
        celery_processes: list[CeleryWorkers] = [*workers.values(), *beats]
        for process in celery_processes:
            process.wait_ready(timeout=START_TIMEOUT)
        # One after the other, each warm shutdown would add its seconds to the run.
        stack.callback(_stop_together, celery_processes)
        yield _Fleet(
            broker=broker,
            receiver=receiver,
            endpoint_id=endpoint.pk,
            fleet=fleet,
            web_urls=web_urls,
            syncs_worker=workers["syncs"],
            workers=list(workers.values()),
            beats=beats,
            api_key=api_key,
        )


def _stop_together(processes: list[CeleryWorkers]) -> None:
    threads = [threading.Thread(target=process.stop) for process in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _spread_first_syncs(fleet: Fleet, *, size: MultinodeSize) -> datetime:
    """Each integration's first sync at an even step over the first interval (in random order),
    as a fleet that has been running for a while would be; returns when the run starts."""
    started_at = timezone.now() + timedelta(seconds=1)
    ids = list(fleet.integration_ids)
    random.shuffle(ids)
    step = size.interval / len(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Integration._meta.db_table} AS i SET next_sync_at = %s + d.delay "
            "FROM unnest(%s::text[], %s::interval[]) AS d(id, delay) WHERE i.id = d.id",
            [
                started_at,
                ids,
                [timedelta(seconds=number * step) for number in range(len(ids))],
            ],
        )
    return started_at


def _sleep_until(moment: datetime) -> None:
    remaining = (moment - timezone.now()).total_seconds()
    if remaining > 0:
        time.sleep(remaining)


def _strike(
    running: _Fleet,
    *,
    size: MultinodeSize,
    started_at: datetime,
    log: Callable[[str], None] | None,
) -> tuple[list[FaultRecord], int]:
    def kill_worker() -> None:
        running.syncs_worker.kill()

    def kill_beat() -> None:
        running.beats[0].kill()

    messages_lost = 0

    def restart_redis() -> None:
        nonlocal messages_lost
        client = running.broker.client()
        # Waiting in the queues, and delivered to a worker but not acknowledged yet (kombu's
        # Redis transport keeps those in its `unacked` hash until the ack).
        messages_lost = int(client.hlen("unacked")) + sum(
            int(client.llen(queue.name)) for queue in settings.CELERY_TASK_QUEUES
        )
        running.broker.stop()
        time.sleep(REDIS_DOWN_SECONDS)
        running.broker.start()

    plan = sorted(
        [
            (size.worker_kill_window, WORKER_KILL_OFFSET, "syncs worker SIGKILL", kill_worker),
            (size.beat_kill_window, BEAT_KILL_OFFSET, "beat SIGKILL", kill_beat),
            (size.redis_restart_window, REDIS_RESTART_OFFSET, "Redis restart", restart_redis),
        ],
        key=lambda item: (item[0], item[1]),
    )
    faults = []
    for window, offset, name, strike in plan:
        _sleep_until(started_at + timedelta(seconds=window * size.window + offset))
        fault = FaultRecord(name=name, at=timezone.now())
        strike()
        _log(f"{name} in window {window}", log)
        faults.append(fault)
    return faults, messages_lost


def _capacity_burst(running: _Fleet, *, size: MultinodeSize) -> float:
    """Every integration due now; syncs a second until each has finished one more."""
    ids = running.fleet.integration_ids
    started = timezone.now()
    Integration.objects.filter(pk__in=ids).update(next_sync_at=started)
    finished = Sync.objects.filter(
        integration_id__in=ids, created_at__gte=started, finished_at__isnull=False
    )
    wait_for(
        lambda: f"the capacity burst: {finished.count()} of {len(ids)} syncs finished",
        lambda: finished.values("integration_id").distinct().count() >= len(ids),
        timeout=size.drain_timeout + size.window * 2,
        interval=0.5,
    )
    last = finished.order_by("-finished_at").values_list("finished_at", flat=True).first()
    assert last is not None
    return finished.count() / (last - started).total_seconds()


def _drain(running: _Fleet, *, size: MultinodeSize) -> int:
    """Stop new work, let the fleet finish; returns the syncs still QUEUED or RUNNING."""
    ids = running.fleet.integration_ids
    Integration.objects.filter(pk__in=ids).update(next_sync_at=timezone.now() + timedelta(days=1))

    def active() -> int:
        return Sync.objects.filter(integration_id__in=ids, state__in=ACTIVE_SYNC_STATES).count()

    def delivered() -> bool:
        return (
            not WebhookDelivery.objects.filter(endpoint_id=running.endpoint_id)
            .exclude(status=DeliveryStatus.DELIVERED)
            .exists()
        )

    deadline = time.monotonic() + size.drain_timeout
    while time.monotonic() < deadline:
        if active() == 0 and delivered():
            break
        time.sleep(0.5)
    return active()


def _result(
    running: _Fleet,
    *,
    size: MultinodeSize,
    monitor: Monitor,
    started_at: datetime,
    run_end: datetime,
    faults: list[FaultRecord],
    messages_lost: int,
    stuck: int,
    worker_crashes: int,
    generations: dict[str, int],
    capacity: float | None,
    setup_seconds: float,
    drain_seconds: float,
) -> MultinodeResult:
    ids = running.fleet.integration_ids
    syncs = list(
        Sync.objects.filter(integration_id__in=ids)
        .order_by("integration_id", "created_at")
        .values_list("integration_id", "created_at", "started_at", "finished_at", "state")
    )
    by_integration: dict[str, list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
    for integration_id, created_at, _, finished_at, state in syncs:
        by_integration[integration_id].append((created_at, finished_at, state))
    overlapping = sum(
        1
        for history in by_integration.values()
        for (_, finished, _), (created, _, _) in itertools.pairwise(history)
        if finished is None or created < finished
    )
    window = timedelta(seconds=size.window)
    checked = [number for number in range(size.windows) if number not in size.fault_windows]
    synced_in: dict[str, set[int]] = defaultdict(set)
    succeeded_in_run = 0
    for integration_id, _, _, finished_at, state in syncs:
        if state != SyncState.SUCCEEDED or finished_at is None:
            continue
        if started_at <= finished_at < run_end:
            succeeded_in_run += 1
            synced_in[integration_id].add(int((finished_at - started_at) / window))
    missed = [
        (integration_id, number)
        for integration_id in ids
        for number in checked
        if number not in synced_in[integration_id]
    ]

    deliveries = WebhookDelivery.objects.filter(endpoint_id=running.endpoint_id)
    expected = set(deliveries.values_list("event_id", flat=True))
    received = list(running.receiver.received)
    counts = Counter(request.webhook_id for request in received)
    bodies: dict[str, set[bytes]] = defaultdict(set)
    for request in received:
        bodies[request.webhook_id].add(request.body)
    run_seconds = (run_end - started_at).total_seconds()
    start_epoch, end_epoch = started_at.timestamp(), run_end.timestamp()
    in_run = [r for r in received if start_epoch <= r.received_at < end_epoch]
    emitted_in_run = WebhookEvent.objects.filter(
        pk__in=expected, created_at__gte=started_at, created_at__lt=run_end
    ).count()
    _recoveries(faults, ids=ids, received=received)
    succeeded = [
        (created, started, finished)
        for _, created, started, finished, state in syncs
        if state == SyncState.SUCCEEDED and started is not None and finished is not None
    ]
    return MultinodeResult(
        size=size,
        most_active_at_once=monitor.most_active_at_once,
        samples=monitor.samples,
        overlapping_syncs=overlapping,
        missed=missed,
        checked_windows=checked,
        events=len(expected),
        lost_events=expected - set(counts),
        duplicate_requests=sum(count - 1 for count in counts.values()),
        inconsistent_duplicates={key for key, seen in bodies.items() if len(seen) > 1},
        unknown_events=set(counts) - expected,
        rejected_requests=sum(1 for request in received if not request.accepted),
        stuck_syncs=stuck,
        syncs_succeeded=succeeded_in_run,
        sync_latency=_percentiles([(f - c).total_seconds() for c, _, f in succeeded]),
        sync_duration=_percentiles([(f - s).total_seconds() for _, s, f in succeeded]),
        syncs_per_minute=succeeded_in_run / run_seconds * 60,
        required_syncs_per_minute=size.integrations / size.interval * 60,
        deliveries_per_second=len(in_run) / run_seconds,
        events_per_second=emitted_in_run / run_seconds,
        faults=faults,
        messages_lost_at_restart=messages_lost,
        reaped_syncs=Sync.objects.filter(
            integration_id__in=ids, state=SyncState.FAILED, error__startswith="Worker lost"
        ).count(),
        worker_crashes=worker_crashes,
        generations=generations,
        capacity=capacity,
        api_probes=monitor.api_probes,
        api_probe_failures=monitor.api_probe_failures,
        run_seconds=run_seconds,
        setup_seconds=setup_seconds,
        drain_seconds=drain_seconds,
    )


def _percentiles(values: list[float]) -> tuple[float, float]:
    if not values:
        return (0.0, 0.0)
    ordered = sorted(values)
    return ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.9)]


def _recoveries(faults: list[FaultRecord], *, ids: list[str], received: list) -> None:
    events = dict(
        WebhookEvent.objects.filter(pk__in={r.webhook_id for r in received}).values_list(
            "pk", "created_at"
        )
    )
    for fault in faults:
        first_sync = (
            Sync.objects.filter(
                integration_id__in=ids,
                state=SyncState.SUCCEEDED,
                created_at__gt=fault.at,
            )
            .order_by("finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        if first_sync is not None:
            fault.sync_recovery = (first_sync - fault.at).total_seconds()
        arrivals = [
            request.received_at
            for request in received
            if request.webhook_id in events and events[request.webhook_id] > fault.at
        ]
        if arrivals:
            fault.delivery_recovery = min(arrivals) - fault.at.timestamp()
