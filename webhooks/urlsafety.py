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


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


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
