"""The issue 14 probe, replayed on a real gunicorn behind a (simulated) load balancer: hammering
one link must not lock other customers' links, and a client cannot pick its own address.

The test plays the load balancer: every request reaches gunicorn from loopback, with the
customer's address appended to `X-Forwarded-For` as a proxy does (MDN, "X-Forwarded-For").
Limits as the README documents them: 10 posts per link, per 10 minutes, and a per-address
limit, here lowered so a few posts reach it. An empty post is refused by the form itself, so
no HR tool is called: what is measured is only whether the limit let the post through.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import requests
from django.db import connection

from core.models import Environment
from tests.support.factories import connect_link_for_new_customer
from tests.support.processes import gunicorn_server
from tests.support.services import require_service

pytestmark = pytest.mark.django_db(transaction=True)


def _customer() -> str:
    """A documentation address (RFC 5737)."""
    return f"198.51.100.{secrets.randbelow(250) + 1}"


def _served(**settings: str) -> dict[str, str]:
    """The server's environment: its counters in its own process (no REDIS_URL: a local-memory
    cache, one gunicorn worker), so loopback's counts from other tests don't leak in."""
    return {"REDIS_URL": "", **settings}


def _post(server_url: str, path: str, *, forwarded_for: str) -> int:
    return requests.post(
        server_url + path, data={}, headers={"X-Forwarded-For": forwarded_for}, timeout=30
    ).status_code


@pytest.fixture
def served_database() -> None:
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL to PostgreSQL (gunicorn must see the links this test creates)",
    )


def test_it_keeps_other_links_and_customers_open_behind_one_proxy(
    served_database: None, environment: Environment, tmp_path: Path
) -> None:
    abuser, other_customer = _customer(), f"203.0.113.{secrets.randbelow(250) + 1}"
    hammered, fresh, others = (
        connect_link_for_new_customer(environment=environment).path for _ in range(3)
    )
    env = _served(TRUSTED_PROXY_COUNT="1", CONNECT_SUBMISSIONS_PER_ADDRESS="12")

    with gunicorn_server(workdir=tmp_path, env=env) as server:
        # The client may prepend anything; the balancer appends what it saw.
        spoofed = f"{other_customer}, {abuser}"
        hammering = [_post(server.url, hammered, forwarded_for=spoofed) for _ in range(31)]
        fresh_link = [_post(server.url, fresh, forwarded_for=abuser) for _ in range(3)]
        other_customers_link = _post(server.url, others, forwarded_for=other_customer)

    # The link's own limit stops the hammering; the refused posts are not counted again.
    assert hammering == [200] * 10 + [429] * 21
    # The abuser's address has 10 posts counted: 2 more are allowed, then it is their limit.
    assert fresh_link == [200, 200, 429]
    assert other_customers_link == 200


def test_it_ignores_a_forwarded_for_header_without_a_trusted_proxy(
    served_database: None, environment: Environment, tmp_path: Path
) -> None:
    links = [connect_link_for_new_customer(environment=environment).path for _ in range(4)]
    env = _served(TRUSTED_PROXY_COUNT="0", CONNECT_SUBMISSIONS_PER_ADDRESS="3")

    with gunicorn_server(workdir=tmp_path, env=env) as server:
        statuses = [_post(server.url, link, forwarded_for=_customer()) for link in links]

    # Each post claims another address; all come from loopback, one bucket.
    assert statuses == [200, 200, 200, 429]
