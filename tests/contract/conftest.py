"""The official `kombo` SDK pointed at a live server: what a customer's code would do."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from kombo import Kombo
from pytest_django.live_server_helper import LiveServer

from core.models import ApiKey


@pytest.fixture
def response_bodies() -> list[str]:
    """Every response body the SDK clients of a test received, in order."""
    return []


@pytest.fixture
def make_sdk(
    live_server: LiveServer, response_bodies: list[str]
) -> Iterator[Callable[[str], Kombo]]:
    clients: list[httpx.Client] = []

    def record(response: httpx.Response) -> None:
        response.read()
        response_bodies.append(response.text)

    def make(raw_key: str) -> Kombo:
        client = httpx.Client(event_hooks={"response": [record]})
        clients.append(client)
        return Kombo(api_key=raw_key, server_url=f"{live_server.url}/api/v1", client=client)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def sdk(make_sdk: Callable[[str], Kombo], api_key: tuple[ApiKey, str]) -> Kombo:
    return make_sdk(api_key[1])
