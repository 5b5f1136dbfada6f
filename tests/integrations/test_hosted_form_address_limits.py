"""The hosted form's per-address limit: one bucket per client, counted once per post.

Issue 14: behind the load balancer every customer shared the balancer's address, and posts the
per-link limit had already refused still counted against the address, so abusing one link
made other customers' fresh links answer 429. The client's address is read from
`X-Forwarded-For` only through `TRUSTED_PROXY_COUNT` proxies: with one proxy it is the
rightmost entry, and without a trusted proxy the header is ignored (MDN, "X-Forwarded-For":
selecting an IP address, trusted proxy count). Limits are the README's defaults (10 per link,
30 per address, per 10 minutes).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from core.models import Environment
from tests.support.factories import connect_link_for_new_customer

pytestmark = pytest.mark.django_db(transaction=True)

PROXY = "10.0.0.2"
WRONG_KEY = {"api_key": "sbx_wrong_guess"}
PROCESSED = "did not accept these credentials"


def _address() -> str:
    """A documentation address (RFC 3849) no other test or earlier run has used: the limits
    live in a shared cache that outlives one test."""
    return f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::{secrets.token_hex(2)}"


@pytest.fixture
def new_link(environment: Environment) -> Callable[[], str]:
    """Makes a fresh link for a new customer, for Sandbox HR; returns its form's path."""
    return lambda: connect_link_for_new_customer(environment=environment).path


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.CONNECT_SUBMISSIONS_PER_LINK = 10
    settings.CONNECT_SUBMISSIONS_PER_ADDRESS = 30
    return settings


def test_it_keeps_a_fresh_link_working_after_one_link_was_hammered(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    client = Client(REMOTE_ADDR=_address())
    hammered = new_link()

    statuses = [client.post(hammered, WRONG_KEY).status_code for _ in range(31)]
    fresh = client.post(new_link(), WRONG_KEY)

    assert statuses == [200] * 10 + [429] * 21
    assert fresh.status_code == 200
    assert PROCESSED in fresh.content.decode()


def test_it_still_limits_an_address_across_many_links(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    limits.CONNECT_SUBMISSIONS_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR=_address())

    statuses = [client.post(new_link(), WRONG_KEY).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in client.post(new_link(), WRONG_KEY).content.decode()


def test_it_gives_each_customer_behind_a_trusted_proxy_their_own_bucket(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    limits.TRUSTED_PROXY_COUNT = 1
    limits.CONNECT_SUBMISSIONS_PER_ADDRESS = 3
    # The load balancer is every request's peer and appends the address it was reached from.
    abuser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=_address())
    customer = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=_address())

    abused = [abuser.post(new_link(), WRONG_KEY).status_code for _ in range(4)]
    other = customer.post(new_link(), WRONG_KEY)

    assert abused == [200, 200, 200, 429]
    assert other.status_code == 200
    assert PROCESSED in other.content.decode()


def test_it_counts_a_client_who_prepends_addresses_by_the_one_the_proxy_saw(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    limits.TRUSTED_PROXY_COUNT = 1
    limits.CONNECT_SUBMISSIONS_PER_ADDRESS = 3
    seen_by_proxy = _address()

    statuses = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{_address()}, {seen_by_proxy}")
        .post(new_link(), WRONG_KEY)
        .status_code
        for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_it_ignores_x_forwarded_for_without_a_trusted_proxy(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    limits.TRUSTED_PROXY_COUNT = 0
    limits.CONNECT_SUBMISSIONS_PER_ADDRESS = 3
    peer = _address()

    # A new made-up address on every post: all of them are still the peer's.
    statuses = [
        Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=_address())
        .post(new_link(), WRONG_KEY)
        .status_code
        for _ in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_it_counts_one_ipv6_64_as_one_address(
    sandbox_hr: None, new_link: Callable[[], str], limits: Any
) -> None:
    """RFC 6177: a /64 is one end site; rotating addresses inside it gains no fresh bucket."""
    limits.CONNECT_SUBMISSIONS_PER_ADDRESS = 3
    network = f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}"

    statuses = [
        Client(REMOTE_ADDR=f"{network}::{n + 1:x}").post(new_link(), WRONG_KEY).status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
