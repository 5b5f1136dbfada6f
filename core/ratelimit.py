"""Fixed-window rate limits on a shared cache (Redis in production): a few lines, no library."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from core.cache_faults import cache_or


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # keys may hold tokens or addresses
    return f"ratelimit:{scope}:{digest}"


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True when `key` is over `limit` hits in the current window. While the
    cache is unreachable nothing is counted and nobody is limited: a customer fixing their
    integration must not be locked out by our outage."""
    return cache_or(lambda: _hit_counted(scope, key, limit, window_seconds), False)


def _hit_counted(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return False
    try:
        return cache.incr(cache_key) > limit
    except ValueError:
        # Expired between add and incr: this hit starts a new window.
        cache.add(cache_key, 1, timeout=window_seconds)
        return False


def rate_limit_reached(*, scope: str, key: str, limit: int) -> bool:
    """Whether `key` has used all `limit` hits of its current window; counts nothing."""
    return int(cache_or(lambda: cache.get(_cache_key(scope, key)), 0) or 0) >= limit


def rate_limit_reset(*, scope: str, key: str) -> None:
    cache_or(lambda: cache.delete(_cache_key(scope, key)), False)
