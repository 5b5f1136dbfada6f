"""Webhook delivery: events through the outbox to a loopback receiver, sent by a real Celery
worker on Redis (a separate process, prefork with concurrency 2).

Throughput: 10,000 events are committed first, then the worker drains them; deliveries per
second (first to last receipt) are compared with a plain `requests.Session` loop posting the same
bodies to the same receiver in the same run. Latency: events committed one at a time at a
quarter of that throughput (so nothing queues); each carries its commit time (read inside its
transaction, a millisecond or two before the commit) and the receiver notes its arrival. The
baseline is the round trip of one direct POST in the loop above.

Needs PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`): the worker is another process.
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from django.conf import settings
from django.db import connection, transaction

from bench.core import ROOT, Row, process_stop

EVENTS = 10_000
EMIT_BATCH = 500
LATENCY_EVENTS = 500
# Latency is measured with the worker mostly idle: events come at this share of the throughput
# just measured (queueing would measure the backlog, not the path), at most LATENCY_MAX_RATE/s.
LATENCY_LOAD = 0.25
LATENCY_MAX_RATE = 50.0
# prefork measured faster than the threads pool here (the ORM and requests hold the GIL).
WORKER_POOL = "prefork"
WORKER_CONCURRENCY = 2
# A worker that delivers nothing for this long has failed (it starts in a few seconds).
STALL_TIMEOUT = 60.0


# --- The receiver (its own process, so it takes no CPU from the benchmark's side) -------------


class _ReceiptHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    receipts: dict[str, list[tuple[str, float, float]]] = {}
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received_at = time.time()
        event = json.loads(body)
        receipt = (event["id"], float(event["data"].get("committed_at", 0.0)), received_at)
        with self.lock:
            self.receipts.setdefault(self.path, []).append(receipt)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path, _, what = self.path.partition("?")
        with self.lock:
            receipts = list(self.receipts.get(path, []))
        body = json.dumps(len(receipts) if what == "count" else receipts).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def _serve_receipts() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ReceiptHandler)
    server.daemon_threads = True
    print(server.server_port, flush=True)
    server.serve_forever()


@contextmanager
def _receiver() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.webhooks"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _count(url: str) -> int:
    return int(requests.get(f"{url}?count", timeout=10).json())


def _receipts(url: str) -> list[tuple[str, float, float]]:
    return [(r[0], r[1], r[2]) for r in requests.get(url, timeout=60).json()]


# --- The worker ------------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


@contextmanager
def _worker() -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kombo_site.test_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "LOG_LEVEL": "WARNING",
        # As in production (the test settings turn connection reuse off for test workers).
        "CELERY_DB_REUSE_MAX": "1000",
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "kombo_site", "worker"),
            *("--pool", WORKER_POOL, "--concurrency", str(WORKER_CONCURRENCY)),
            # The deliveries' queue, as a production webhook worker (inheriting this process's
            # queue prefix).
            *("--queues", settings.CELERY_WEBHOOKS_QUEUE, "--loglevel", "WARNING"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--hostname", f"bench-webhooks-{os.getpid()}@%h"),
        ],
        cwd=ROOT,
        env=env,
        # The banner; warnings and errors still reach stderr.
        stdout=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process_stop(process, timeout=60)


def _wait_for(url: str, count: int, worker: subprocess.Popen[bytes]) -> None:
    """Until the receiver has `count` requests; fails when the worker dies or stops progressing."""
    received, progressed_at = 0, time.monotonic()
    while received < count:
        if worker.poll() is not None:
            raise SystemExit(f"webhooks bench: the worker exited ({worker.returncode})")
        if time.monotonic() - progressed_at > STALL_TIMEOUT:
            raise SystemExit(
                f"webhooks bench: {received} of {count} deliveries, none for {STALL_TIMEOUT:g} s"
            )
        time.sleep(0.25)
        now_received = _count(url)
        if now_received > received:
            received, progressed_at = now_received, time.monotonic()


# --- The measurements ------------------------------------------------------------------------


def _check_services() -> None:
    problems = []
    if connection.vendor != "postgresql":
        problems.append("set DATABASE_URL to PostgreSQL (the worker is another process)")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        problems.append("set REDIS_URL to a running Redis (the worker's broker)")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at REDIS_URL does not answer ({error})")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_IPS:
        problems.append("set WEBHOOKS_ALLOW_PRIVATE_IPS=true (the receiver is on loopback)")
    if problems:
        raise SystemExit("The webhooks benchmark needs: " + "; ".join(problems) + ".")


def _emit_backlog(environment_id: str) -> list[str]:
    """EVENTS events committed in batches; returns the bodies exactly as they will be sent."""
    from webhooks.models import WebhookEvent
    from webhooks.services import event_emit

    for start in range(0, EVENTS, EMIT_BATCH):
        with transaction.atomic():
            for sequence in range(start, min(start + EMIT_BATCH, EVENTS)):
                event_emit(
                    environment_id=environment_id,
                    type="data-changed",
                    data={"sequence": sequence, "committed_at": time.time()},
                )
    payloads = WebhookEvent.objects.filter(environment_id=environment_id).values_list(
        "payload", flat=True
    )
    return [json.dumps(p, separators=(",", ":"), ensure_ascii=False) for p in payloads]


def _session_loop(url: str, bodies: list[str]) -> tuple[float, list[float]]:
    """The baseline: one client posting the bodies back to back. Returns (per second, latencies)."""
    latencies = []
    with requests.Session() as session:
        started = time.perf_counter()
        for body in bodies:
            sent = time.perf_counter()
            response = session.post(
                url,
                data=body.encode(),
                headers={"Content-Type": "application/json"},
                timeout=15,
            )
            latencies.append(time.perf_counter() - sent)
            response.raise_for_status()
        seconds = time.perf_counter() - started
    return len(bodies) / seconds, latencies


def _emit_paced(environment_id: str, rate: float) -> None:
    from webhooks.services import event_emit

    started = time.monotonic()
    for sequence in range(LATENCY_EVENTS):
        time.sleep(max(0.0, started + sequence / rate - time.monotonic()))
        with transaction.atomic():
            event_emit(
                environment_id=environment_id,
                type="data-changed",
                data={"sequence": sequence, "committed_at": time.time()},
            )


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run() -> list[Row]:
    _check_services()
    from webhooks.models import DeliveryStatus, WebhookDelivery
    from webhooks.services import endpoint_create

    with _receiver() as base_url:
        backlog_url, latency_url, baseline_url = (
            f"{base_url}/{path}" for path in ("backlog", "latency", "baseline")
        )
        endpoint_create(environment_id="bench-backlog", url=backlog_url)
        endpoint_create(environment_id="bench-latency", url=latency_url)
        bodies = _emit_backlog("bench-backlog")
        baseline_rate, direct_latencies = _session_loop(baseline_url, bodies)
        with _worker() as worker:
            _wait_for(backlog_url, EVENTS, worker)
            received = sorted(at for _, _, at in _receipts(backlog_url))
            worker_rate = (len(received) - 1) / (received[-1] - received[0])
            latency_rate = min(LATENCY_MAX_RATE, worker_rate * LATENCY_LOAD)
            _emit_paced("bench-latency", latency_rate)
            _wait_for(latency_url, LATENCY_EVENTS, worker)
        # After the worker's warm shutdown: every delivery it started is settled.
        backlog = _receipts(backlog_url)
        latency = _receipts(latency_url)

    distinct = len({event_id for event_id, _, _ in backlog})
    assert len(backlog) == distinct == EVENTS, f"{distinct} events in {len(backlog)} receipts"
    delivered = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
    assert delivered == EVENTS + LATENCY_EVENTS, f"{delivered} deliveries are DELIVERED"
    latencies = [received_at - committed_at for _, committed_at, received_at in latency]
    return [
        Row(
            f"Webhook deliveries/s, {EVENTS:,} events vs Session loop",
            worker_rate,
            baseline_rate,
            "/s",
            # The baseline is one bare POST loop; each delivery is also claimed, signed,
            # recorded as an attempt and settled, on a 2-core box shared with its receiver,
            # PostgreSQL and Redis. Measured 0.06 before connection reuse, 0.14 with a task and
            # two commits per delivery; batches (claimed in one UPDATE, sent at once over
            # kept-alive connections, recorded in one transaction) are what reach this.
            0.5,
            higher_is_better=True,
            detail=(
                f"Celery worker ({WORKER_POOL} {WORKER_CONCURRENCY}, batches of "
                f"{settings.WEBHOOK_BATCH_SIZE}) vs a requests.Session loop"
            ),
        ),
        Row(
            "Webhook commit to receipt p50 vs direct POST p50",
            _percentile(latencies, 0.5) * 1000,
            _percentile(direct_latencies, 0.5) * 1000,
            "ms",
            # Budget: the on-commit send, the broker hop, the claim and the attempt's rows cost
            # some tens of direct POSTs; more means deliveries queue behind something.
            50.0,
            detail=f"events committed one by one at {latency_rate:.0f}/s",
        ),
        Row(
            "Webhook commit to receipt p99 vs direct POST p99",
            _percentile(latencies, 0.99) * 1000,
            _percentile(direct_latencies, 0.99) * 1000,
            "ms",
            # A stall of the worker's polling (seconds) shows up here first.
            150.0,
            detail=f"events committed one by one at {latency_rate:.0f}/s",
        ),
    ]


if __name__ == "__main__":
    _serve_receipts()
