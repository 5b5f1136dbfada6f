"""The address of the client behind a request, the one rule every rate limit, lockout and audit
row uses.

Behind `TRUSTED_PROXY_COUNT` reverse proxies (the load balancer, a CDN in front of it) the
socket's peer (`REMOTE_ADDR`) is the innermost proxy: every customer would share its address.
Each proxy appends the address it received the request from to `X-Forwarded-For`, so the N-th
entry from the right is what the outermost trusted proxy saw: the first address no client can
choose. Everything left of it was written by the client (MDN, "X-Forwarded-For", selecting an
IP address by trusted proxy count).

Limits and lockouts count per `client_network`: one IPv6 customer holds a whole /64 (RFC 6177,
the smallest end-site assignment; RFC 4291's interface identifiers fill the lower 64 bits), so
counting per IPv6 address would hand one guesser 2^64 fresh buckets.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: `REMOTE_ADDR`, or the one the outermost trusted proxy saw.

    With fewer `X-Forwarded-For` entries than trusted proxies the request skipped the outer
    ones; every entry present was still appended by a proxy of ours (those nearest this server
    always append), so the leftmost is the furthest address a trusted proxy saw. Falling back
    to `REMOTE_ADDR` there would put all such clients in the proxy's one bucket. An entry that
    is not an IP address (a misconfigured proxy) falls back to `REMOTE_ADDR` too.
    """
    peer = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted_proxies: int = settings.TRUSTED_PROXY_COUNT
    if trusted_proxies == 0:
        return peer
    # WSGI servers join repeated headers with commas: one list, as MDN asks.
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return peer
    seen_by_outermost = forwarded[-min(trusted_proxies, len(forwarded))]
    return _valid(seen_by_outermost) or peer


def client_network(request: HttpRequest) -> str | None:
    """What limits and lockouts count per: the client's IPv4 address, or the first address of
    its IPv6 /64."""
    address = client_address(request)
    if address is None or ipaddress.ip_address(address).version == 4:
        return address
    return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
