"""The fixed-window limiter behind the hosted form, on the configured cache."""

from __future__ import annotations

import uuid

from core.ratelimit import rate_limit_hit


def test_it_allows_up_to_the_limit_per_key_and_window() -> None:
    key = uuid.uuid4().hex

    hits = [rate_limit_hit(scope="test", key=key, limit=3, window_seconds=60) for _ in range(5)]

    assert hits == [False, False, False, True, True]
    assert rate_limit_hit(scope="test", key=uuid.uuid4().hex, limit=3, window_seconds=60) is False
