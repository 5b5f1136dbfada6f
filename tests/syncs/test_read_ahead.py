"""Pages are fetched one ahead of the writer: same order, errors surface, nothing runs away."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from integrations.tools.base import ToolError
from syncs.readahead import read_ahead


def test_it_yields_every_page_in_order() -> None:
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_it_reraises_the_fetchers_error_after_the_pages_before_it() -> None:
    def pages() -> Iterator[int]:
        yield 1
        yield 2
        raise ToolError("HTTP 500", transient=True)

    reader = read_ahead(pages())

    assert [next(reader), next(reader)] == [1, 2]
    with pytest.raises(ToolError, match="HTTP 500"):
        next(reader)


def test_it_stays_at_most_one_page_ahead_and_stops_when_the_consumer_does() -> None:
    produced = []
    gate = threading.Event()

    def pages() -> Iterator[int]:
        for number in range(1000):
            produced.append(number)
            yield number

    reader = read_ahead(pages(), depth=1)
    assert next(reader) == 0
    gate.wait(0.3)
    # One page handed over, one waiting in the queue, one fetched and blocked on the queue.
    assert len(produced) <= 3
    reader.close()
    gate.wait(0.3)
    assert len(produced) <= 3


def test_it_lets_go_at_once_when_the_consumer_stops_with_the_queue_full() -> None:
    closed = threading.Event()

    def pages() -> Iterator[int]:
        try:
            yield from range(10)
        finally:
            closed.set()

    reader = read_ahead(pages(), depth=1)
    assert next(reader) == 0
    threading.Event().wait(0.2)

    started = time.monotonic()
    reader.close()

    assert time.monotonic() - started < 2
    assert closed.wait(2)
