"""The shared cache (Redis in production) is an accelerator, never a dependency of an answer:
while it is unreachable, reads miss and writes are skipped, so requests fall back on the
database instead of failing. Redis restarting or a network blip must not turn API requests
into 500s (issue 18's multi-node run saw exactly that)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")
CACHE_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def cache_or(call: Callable[[], T], fallback: T) -> T:
    """`call()`, or `fallback` while the cache is unreachable."""
    try:
        return call()
    except CACHE_UNAVAILABLE as error:
        logger.warning("The cache is unreachable (%s); going on without it.", type(error).__name__)
        return fallback
