"""Fetch the next page from the tool while the current one is written to the database.

Vendor latency and database writes then overlap instead of adding up. At most `depth` pages
wait in the queue, so memory stays bounded; an error in the fetching thread is re-raised in
the consumer, and closing the consumer stops the fetcher.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(source: Iterator[T], *, depth: int = 1) -> Iterator[T]:
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        """Put `item` in the queue unless the consumer stopped; False when it did."""
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as error:
            hand_over(_Failure(error))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="sync-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        # The fetcher may be inside a vendor call (bounded by its timeout); it stops right
        # after. The worker does not wait for it.
        thread.join(timeout=0.5)
