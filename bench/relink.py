"""Relink throughput: LINKS broken sandbox integrations repaired through the hosted form by a
concurrent client, against gunicorn serving the site and its sandbox HR (the `load` setup).

Each integration's sandbox key was revoked and it went INVALID after the grace period; its
customer has a new key and a MAGIC_LINK. The client (CLIENTS threads in another process) opens
each link (`GET /connect/<token>`) and submits the form; the server checks the key live against
the sandbox HR on the same server, then swaps it in. Every DOUBLE_SUBMIT_EVERY-th link is
submitted twice at once, on two connections: exactly one submission may win, the other must get
the "link can no longer be used" page. Afterwards every integration must have exactly one new
credential version, be ACTIVE, and its link be used.

The baseline is the rate of opening the form (the same client, concurrency and server, same
run, links of the same integrations): a completion is that page plus a submission, a live
check over HTTP and one transaction, so the ratio says what completing costs in form views.

The form carries no CSRF token to parse: it is CSRF-exempt by design, bound to the link's
unguessable token (see `integrations.views.links`).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Count

from bench.core import Row, subprocess_json
from bench.load import (
    CLIENTS,
    SECONDS,
    LoadResult,
    drive,
    percentile,
    require_postgresql,
    site_server,
)

if TYPE_CHECKING:
    from core.models import Environment
    from integrations.models import ScopeConfig

# BENCH_RELINK_LINKS makes a quick run possible; the benchmark is 1,000.
LINKS = int(os.environ.get("BENCH_RELINK_LINKS", "1000"))
# Every DOUBLE_SUBMIT_EVERY-th link is submitted twice at once: 50 of 1,000.
DOUBLE_SUBMIT_EVERY = 20
# Links of the first integrations, opened (never submitted) for the baseline.
BASELINE_LINKS = 100
SETUP_BATCH = 100
FORM_MARKER = 'name="api_key"'
SUCCESS_MARKER = "is connected again"
CLIENT_TIMEOUT = 900.0


# --- The client (its own process) ------------------------------------------------------------


class _Session:
    """One keep-alive connection that reconnects after the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=dict(headers or {}))
            response = self.connection.getresponse()
            content = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _form_body(page: str, api_key: str) -> str:
    # What a browser sends: the credential field and every ticked optional item.
    kept = re.findall(r'name="keep" value="([^"]+)"', page)
    return urlencode([("api_key", api_key), *(("keep", item) for item in kept)])


def _submit(
    session: _Session,
    path: str,
    body: str,
    outcome: list[tuple[int, str]],
    start: threading.Barrier | None = None,
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if start is not None:
        start.wait(timeout=30)
    try:
        outcome.append(session.request("POST", path, body, headers))
    except (OSError, http.client.HTTPException) as exc:
        outcome.append((0, type(exc).__name__))


def _complete(job: Mapping[str, Any], session: _Session, twin: _Session) -> str | None:
    """Open the link and submit the new key (twice at once for a double job); why not, or None."""
    path = f"/connect/{job['token']}"
    try:
        status, page = session.request("GET", path)
    except (OSError, http.client.HTTPException) as exc:
        return f"GET {type(exc).__name__}"
    if status != 200 or FORM_MARKER not in page:
        return f"GET HTTP {status}"
    body = _form_body(page, job["api_key"])
    outcomes: list[tuple[int, str]] = []
    if not job["twice"]:
        _submit(session, path, body, outcomes)
    else:
        start = threading.Barrier(2)
        second = threading.Thread(target=_submit, args=(twin, path, body, outcomes, start))
        second.start()
        _submit(session, path, body, outcomes, start)
        second.join()
        # A fresh connection for the next twin: the server closes idle ones after its
        # keep-alive timeout, and a POST on a closed connection is lost.
        twin.close()
    won = [status for status, page in outcomes if status == 200 and SUCCESS_MARKER in page]
    refused = [status for status, _ in outcomes if status == 404]
    if len(won) == 1 and len(refused) == len(outcomes) - 1:
        return None
    return "POST " + ", ".join(
        (f"HTTP {status}" + ("" if SUCCESS_MARKER in page else " (no success page)"))
        if status
        else page
        for status, page in outcomes
    )


def _client_loop(
    spec: Mapping[str, Any],
    jobs: queue.SimpleQueue[Mapping[str, Any]],
    latencies: list[float],
    failures: list[str],
) -> None:
    session = _Session(spec["host"], spec["port"])
    twin = _Session(spec["host"], spec["port"])
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        failure = _complete(job, session, twin)
        if failure is None:
            latencies.append(time.perf_counter() - started)
        else:
            failures.append(failure)
    session.close()
    twin.close()


def _complete_all(spec: Mapping[str, Any]) -> dict[str, Any]:
    jobs: queue.SimpleQueue[Mapping[str, Any]] = queue.SimpleQueue()
    for job in spec["jobs"]:
        jobs.put(job)
    clients = int(spec["clients"])
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[list[str]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(target=_client_loop, args=(spec, jobs, latencies[n], failures[n]))
        for n in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    completed = [latency for part in latencies for latency in part]
    failed = [failure for part in failures for failure in part]
    return {
        "completed": len(completed),
        "failures": failed,
        "seconds": seconds,
        "p50_ms": percentile(completed, 0.5) * 1000,
        "p99_ms": percentile(completed, 0.99) * 1000,
    }


# --- The data ---------------------------------------------------------------------------------


def _broken_integrations(count: int) -> list[tuple[str, str]]:
    """`count` INVALID sandbox integrations; returns (integration id, the customer's new key)."""
    from core.services import environment_get_or_create
    from integrations.services import scope_config_create
    from tests.support.factories import scope_settings_all_enabled

    environment = environment_get_or_create(name="production")
    # Every field ENABLED: the new keys must carry every permission, as the check verifies.
    scope_config = scope_config_create(
        environment=environment, name="Relink bench", settings=scope_settings_all_enabled()
    )
    broken: list[tuple[str, str]] = []
    for start in range(0, count, SETUP_BATCH):
        # Set-up only: one commit per batch rather than a dozen per integration.
        with transaction.atomic():
            numbers = range(start, min(start + SETUP_BATCH, count))
            broken.extend(_broken_batch(environment, scope_config, numbers))
    return broken


def _broken_batch(
    environment: Environment, scope_config: ScopeConfig, numbers: range
) -> list[tuple[str, str]]:
    from django.utils import timezone

    from integrations.actors import Actor
    from integrations.models import CredentialSource, Integration, IntegrationStatus
    from integrations.services import integration_create, integration_record_auth_result
    from integrations.tools.base import AuthResult
    from sandbox_hr.models import SANDBOX_PERMISSIONS
    from sandbox_hr.services import (
        sandbox_account_create,
        sandbox_api_key_create,
        sandbox_api_key_revoke,
    )

    operator = Actor.system("relink bench")
    failure = AuthResult.invalid("Sandbox HR rejected the API key (revoked or unknown).")
    broken = []
    for n in numbers:
        account = sandbox_account_create(name=f"Relink bench {n} GmbH", employees=0, seed=n)
        old_key, old_raw_key = sandbox_api_key_create(
            account=account, name="kombo", permissions=SANDBOX_PERMISSIONS
        )
        integration = integration_create(
            environment=environment,
            tool_id="sandbox",
            organization_name=account.name,
            scope_config=scope_config,
            credentials={"api_key": old_raw_key},
            actor=operator,
            source=CredentialSource.OPERATOR,
            creator_email=f"it-{n}@relink-bench.example",
            remote_account_id=account.pk,
        )
        sandbox_api_key_revoke(key=old_key)
        # Failing since four days: past the grace period, so the second check invalidates.
        now = timezone.now()
        for checked_at in (now - timedelta(days=4), now):
            integration_record_auth_result(
                integration_id=integration.pk, result=failure, now=checked_at
            )
        _, new_raw_key = sandbox_api_key_create(
            account=account, name="kombo (new)", permissions=SANDBOX_PERMISSIONS
        )
        broken.append((integration.pk, new_raw_key))
    invalid = Integration.objects.filter(
        pk__in=[pk for pk, _ in broken], status=IntegrationStatus.INVALID
    ).count()
    assert invalid == len(broken), f"{invalid} of {len(broken)} integrations are INVALID"
    return broken


def _links(integration_ids: list[str]) -> list[tuple[str, str]]:
    """A MAGIC_LINK per integration; returns (link id, token)."""
    from integrations.actors import Actor
    from integrations.models import Integration, LinkType
    from integrations.services import relink_link_create

    actor = Actor.system("relink bench")
    integrations = Integration.objects.in_bulk(integration_ids)
    links = []
    with transaction.atomic():
        for pk in integration_ids:
            link, url = relink_link_create(
                integration=integrations[pk],
                link_type=LinkType.MAGIC_LINK,
                language="en",
                actor=actor,
            )
            links.append((link.pk, url.rsplit("/", 1)[1]))
    return links


# --- The measurements ------------------------------------------------------------------------


def _run_client(base_url: str, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    host, port = base_url.removeprefix("http://").split(":")
    spec = {"host": host, "port": int(port), "clients": CLIENTS, "jobs": jobs}
    result: dict[str, Any] = subprocess_json(
        "bench.relink", spec, timeout=CLIENT_TIMEOUT, what="relink client"
    )
    return result


def _lost_and_doubled(integration_ids: list[str], link_ids: list[str]) -> tuple[int, int, int, int]:
    """(lost versions, doubled versions, integrations not ACTIVE, links not used)."""
    from integrations.models import (
        CredentialVersion,
        Integration,
        IntegrationStatus,
        ReconnectionLink,
    )

    new_versions = dict(
        CredentialVersion.objects.filter(link_id__in=link_ids)
        .values("integration_id")
        .annotate(count=Count("id"))
        .values_list("integration_id", "count")
    )
    lost = sum(1 for pk in integration_ids if not new_versions.get(pk))
    doubled = sum(count - 1 for count in new_versions.values() if count > 1)
    not_active = (
        Integration.objects.filter(pk__in=integration_ids)
        .exclude(status=IntegrationStatus.ACTIVE)
        .count()
    )
    unused = ReconnectionLink.objects.filter(pk__in=link_ids, used_at__isnull=True).count()
    return lost, doubled, not_active, unused


def run() -> list[Row]:
    require_postgresql("relink")
    started = time.perf_counter()
    broken = _broken_integrations(LINKS)
    integration_ids = [pk for pk, _ in broken]
    links = _links(integration_ids)
    baseline_tokens = [token for _, token in _links(integration_ids[:BASELINE_LINKS])]
    print(
        f"relink: {LINKS:,} broken integrations in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    jobs = [
        {"token": token, "api_key": new_key, "twice": n % DOUBLE_SUBMIT_EVERY == 0}
        for n, ((_, new_key), (_, token)) in enumerate(zip(broken, links, strict=True))
    ]
    doubles = sum(1 for job in jobs if job["twice"])
    env = {
        # One client address submits every link (and some twice): no limit may apply.
        "CONNECT_SUBMISSIONS_PER_ADDRESS": str(10 * LINKS),
        "CONNECT_SUBMISSIONS_PER_LINK": "10",
    }
    with site_server(env) as url:

        def open_forms(tokens: list[str]) -> LoadResult:
            return drive(
                url,
                method="GET",
                paths=[f"/connect/{token}" for token in tokens],
                expect_text=FORM_MARKER,
                seconds=min(SECONDS, 10.0) / 2,
            )

        # Half before, half after the completions: the machine's load drifts (see bench.load).
        form_views = open_forms(baseline_tokens)
        client = _run_client(url, jobs)
        # Completing a link revoked its integration's other links, the first half's among
        # them: the second half opens new ones.
        form_views += open_forms([token for _, token in _links(integration_ids[:BASELINE_LINKS])])
    lost, doubled, not_active, unused = _lost_and_doubled(
        integration_ids, [link_id for link_id, _ in links]
    )
    failures: list[str] = client["failures"]
    kinds: dict[str, int] = {}
    for failure in failures + [f"form view {error}" for error in form_views.errors]:
        kinds[failure] = kinds.get(failure, 0) + 1
    failed = ", ".join(f"{kind} x{count}" for kind, count in sorted(kinds.items())) or "none"
    return [
        Row(
            f"Relink completions/s, {LINKS:,} links vs opening the form",
            client["completed"] / client["seconds"],
            form_views.per_second,
            "/s",
            # A completion is a form view plus a submission worth three or four more (the live
            # check through the same server, ~25 statements in one transaction, the success
            # page): measured 0.11-0.2 on a busy 2-core box. Below 0.1 completing got more
            # expensive.
            0.1,
            higher_is_better=True,
            detail=(
                f"{doubles} links submitted twice at once, {CLIENTS} clients; completions p50 "
                f"{client['p50_ms']:.0f} ms, p99 {client['p99_ms']:.0f} ms; form views "
                f"{form_views.percentiles}"
            ),
        ),
        Row(
            "Relink: credential versions lost or doubled",
            float(lost + doubled),
            1.0,
            "n",
            0.0,
            detail=f"{lost} lost, {doubled} doubled of {LINKS:,} completions",
        ),
        Row(
            "Relink: not ACTIVE, links unused, failed requests",
            float(not_active + unused + len(failures) + len(form_views.errors)),
            1.0,
            "n",
            0.0,
            detail=(
                f"{not_active} integrations not ACTIVE, {unused} links unused, failed requests: "
                f"{failed}"
            ),
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(_complete_all(json.load(sys.stdin))))
