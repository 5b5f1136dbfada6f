"""The client's address: the socket's peer, or what the outermost trusted proxy saw.

Expected values follow MDN's "X-Forwarded-For" page: without trusted proxies no part of the
header can be trusted; with a trusted proxy count the list is read from the rightmost by that
count minus one ("if there is only one reverse proxy ... the rightmost address should be
used"; with three, "the last two IP addresses will be internal"); repeated headers form one
list; spoofed values "may not be actual IP addresses".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from core.client_address import client_address

PEER = "10.0.0.2"
# MDN's own example: a client and two proxies.
MDN_EXAMPLE = "203.0.113.195,2001:db8:85a3:8d3:1319:8a2e:370:7348,198.51.100.178"


def _address(forwarded_for: str | None, *, peer: str = PEER) -> str | None:
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


def test_it_is_the_peer_and_ignores_the_header_without_trusted_proxies(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert _address("198.51.100.7") == PEER
    assert _address(None) == PEER


def test_it_takes_the_rightmost_entry_behind_one_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("198.51.100.7") == "198.51.100.7"
    # A client sending its own header only adds entries to the left of the proxy's.
    assert _address("1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert _address(MDN_EXAMPLE) == "198.51.100.178"


def test_it_skips_the_entries_of_inner_proxies(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 3

    assert _address(MDN_EXAMPLE) == "203.0.113.195"
    assert _address("6.6.6.6," + MDN_EXAMPLE) == "203.0.113.195"


def test_it_reads_repeated_headers_as_one_list(settings: Any) -> None:
    """WSGI servers join repeated X-Forwarded-For headers with commas."""
    settings.TRUSTED_PROXY_COUNT = 2

    assert _address("198.51.100.7 , 203.0.113.195,10.0.0.9") == "203.0.113.195"


def test_it_takes_the_leftmost_entry_when_the_request_skipped_outer_proxies(
    settings: Any,
) -> None:
    """Every entry present was appended by a proxy of ours: the leftmost is the furthest
    address one of them saw (the README's rule), not the shared proxy address."""
    settings.TRUSTED_PROXY_COUNT = 3

    assert _address("198.51.100.7, 10.0.0.9") == "198.51.100.7"


@pytest.mark.parametrize("header", ["", " , ", "unknown", "198.51.100.7:5050", "<script>"])
def test_it_falls_back_to_the_peer_for_an_absent_or_invalid_entry(
    settings: Any, header: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(header) == PEER


def test_it_writes_ipv6_addresses_one_way(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("2001:DB8:0:0::1") == "2001:db8::1"
    assert _address(None, peer="not-an-address") is None
