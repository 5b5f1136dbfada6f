"""Fixtures the webhook tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.receivers import SlowReceiver, slow_receiving


@pytest.fixture
def dripping() -> Iterator[SlowReceiver]:
    """A receiver answering a byte a second: each read waits half an attempt's deadline, so no
    per-read timeout ever fires and only the attempt's own deadline can end it."""
    with slow_receiving("drip", interval=1.0) as receiver:
        yield receiver
