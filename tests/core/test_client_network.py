"""Limits and lockouts count per client network: an IPv4 address, or an IPv6 /64.

RFC 6177 makes a /64 the smallest assignment to one end site, and RFC 4291 leaves its lower
64 bits to the site's own interfaces: one customer (or one attacker) can use any of 2^64
addresses in it, so counting per IPv6 address would give a guesser a fresh bucket per try.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from core.client_address import client_network


def _network(peer: str) -> str | None:
    return client_network(RequestFactory().get("/", REMOTE_ADDR=peer))


@pytest.fixture(autouse=True)
def _no_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0


def test_it_counts_an_ipv4_client_by_its_address() -> None:
    assert _network("198.51.100.7") == "198.51.100.7"
    assert _network("198.51.100.8") == "198.51.100.8"


def test_it_counts_every_address_of_one_ipv6_64_as_one_client() -> None:
    assert _network("2001:db8:1:2::1") == "2001:db8:1:2::"
    assert _network("2001:db8:1:2:ffff:ffff:ffff:fffe") == "2001:db8:1:2::"


def test_it_keeps_neighbouring_ipv6_64s_apart() -> None:
    assert _network("2001:db8:1:3::1") == "2001:db8:1:3::"


def test_it_has_no_network_without_an_address() -> None:
    assert _network("not-an-address") is None
