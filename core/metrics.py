"""Prometheus metrics: who may scrape, how a scrape is assembled, and the HTTP request figures.

Two kinds of figures (prometheus-client's docs, "Multiprocess Mode" and "Custom Collectors"):

- Events (requests, syncs, auth checks, webhook attempts) are Counters and Histograms recorded
  where they happen, in whichever process that is. With `PROMETHEUS_MULTIPROC_DIR` set, every
  process of a host (gunicorn workers, Celery's prefork children) writes them to files there,
  and a scrape adds up the files: whichever process answers, it answers for all of them.
- State (integrations per state, open links, the webhook backlog, queue depths) is read from
  the database or the broker at scrape time by Collectors: every node reads the same rows, so
  any node can report it, and no process keeps a copy that could go stale.

Each scrape builds a fresh registry (the library's docs: registering the multiprocess
collector on the default registry would export every figure twice).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from core.client_address import client_address

HTTP_REQUESTS = Counter(
    "kombo_http_requests",
    "HTTP requests answered, by the URL pattern that served them (unmatched: none did).",
    ["route", "method", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "kombo_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["route"],
)
# A client chooses the method: anything else is counted as one value, not one series each.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def request_route(request: HttpRequest) -> str:
    """The route a request is counted under: its URL pattern's name (`namespace:name`) or, for
    an unnamed pattern, the pattern itself. Never the path: paths carry link tokens and ids,
    and every distinct label value is a series of its own."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    return match.view_name if match.url_name else str(match.route)


class RequestMetricsMiddleware:
    """Counts every response by route, method and status, and times it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = request_route(request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        HTTP_REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
        HTTP_REQUEST_DURATION.labels(route=route).observe(time.perf_counter() - started)
        return response


def metrics_access_refusal(request: HttpRequest) -> int | None:
    """Why a scrape is refused, as the status to answer (None: allowed).

    `METRICS_TOKEN` asks for `Authorization: Bearer <token>` (RFC 6750), compared in constant
    time; `METRICS_ALLOWED_ADDRESSES` asks for a client address in one of its networks (the
    address `core.client_address` finds, behind `TRUSTED_PROXY_COUNT` proxies). With both set
    both must hold. With neither, the endpoint does not exist (404), except in a DEBUG run for
    a client on loopback: a local `make run` can be looked at, a deploy that forgot to protect
    it reveals nothing.
    """
    token: str = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_ADDRESSES
    address = client_address(request)
    if not token and not networks:
        return None if settings.DEBUG and _in_networks(address, LOOPBACK) else 404
    if networks and not _in_networks(address, networks):
        return 403
    if token and not _bearer_matches(request, token):
        return 401
    return None


def _in_networks(
    address: str | None, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    # An IPv4 client reaching a dual-stack socket shows up as ::ffff:a.b.c.d.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def _bearer_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


def metrics_response(request: HttpRequest, collectors: Iterable[Collector]) -> HttpResponse:
    """The exposition of this node's event figures plus what `collectors` read now, in the
    format the scraper's Accept header asks for (the text format 0.0.4 by default)."""
    registry = CollectorRegistry()
    multiproc_dir: str = settings.PROMETHEUS_MULTIPROC_DIR
    if multiproc_dir:
        multiprocess.MultiProcessCollector(registry, path=multiproc_dir)
    else:
        registry.register(_ProcessFigures())
    for collector in collectors:
        registry.register(collector)
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encoder(registry), content_type=content_type)


class _ProcessFigures(Collector):
    """This process's own figures (single-process mode: the default registry holds them)."""

    def collect(self) -> Iterable[object]:  # type: ignore[override]
        return REGISTRY.collect()

    def describe(self) -> list[object]:
        return []
