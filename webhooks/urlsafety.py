"""Endpoint URLs we are willing to call: http(s) to public addresses only.

Checked when an endpoint is saved *and* right before each send, because a hostname can be
re-pointed at an internal address after it was accepted (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeUrlError(ValueError):
    """The URL may not be called; the message says why (no secrets in it)."""


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address are judged by that address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    # `is_global` also excludes shared address space (100.64.0.0/10, e.g. cloud metadata at
    # 100.100.100.200) that `is_private` lets through.
    return ip.is_global and not ip.is_multicast


def url_check(url: str) -> None:
    """Raise `UnsafeUrlError` unless `url` is http(s) and its host resolves to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrlError("Only http:// and https:// URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise UnsafeUrlError("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrlError("Credentials in the URL are not allowed; use the signing secret.")
    if settings.WEBHOOKS_ALLOW_PRIVATE_IPS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeUrlError(f"The host {host!r} cannot be resolved.") from None
    addresses = {info[4][0] for info in infos}
    blocked = sorted(a for a in addresses if not _is_public(str(a)))
    if blocked:
        raise UnsafeUrlError(
            f"The host {host!r} resolves to a private, loopback, link-local or multicast "
            f"address ({', '.join(str(b) for b in blocked)}); webhooks only go to public addresses."
        )
