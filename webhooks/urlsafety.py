"""Endpoint URLs we are willing to call: http(s) to public addresses only.

Checked when an endpoint is saved *and* right before each send, because a hostname can be
re-pointed at an internal address after it was accepted (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

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


@dataclass(frozen=True)
class ResolvedUrl:
    """A URL and the one vetted address it is sent to (the connection is pinned to it)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _parts_checked(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise UnsafeUrlError("The URL is malformed.") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrlError("Only http:// and https:// URLs can receive webhooks.")
    if not parts.hostname:
        raise UnsafeUrlError("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrlError("Credentials in the URL are not allowed; use the signing secret.")
    return parts


def url_resolve(url: str) -> ResolvedUrl:
    """Check `url` and resolve its host once; the send then connects to that very address, so
    a DNS answer changed after the check (rebinding) cannot redirect it."""
    parts = _parts_checked(url)
    host = str(parts.hostname)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeUrlError(f"The host {host!r} cannot be resolved.") from None
    addresses = [str(info[4][0]) for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_IPS:
        blocked = sorted({a for a in addresses if not _is_public(a)})
        if blocked:
            raise UnsafeUrlError(
                f"The host {host!r} resolves to a private, loopback, link-local or multicast "
                f"address ({', '.join(blocked)}); webhooks only go to public addresses."
            )
    path = parts.path or "/"
    return ResolvedUrl(
        scheme=parts.scheme,
        host=host,
        port=port,
        path=f"{path}?{parts.query}" if parts.query else path,
        address=addresses[0],
    )


def url_check(url: str) -> None:
    """Raise `UnsafeUrlError` unless `url` is http(s) and its host resolves to public addresses
    (when private addresses are allowed, only the form of the URL is checked)."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_IPS:
        _parts_checked(url)
        return
    url_resolve(url)
