"""Fixed-window rate limits on a shared cache (Redis in production): a few lines, no library."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True when `key` is over `limit` hits in the current window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # keys may hold tokens or addresses
    cache_key = f"ratelimit:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return False
    try:
        return cache.incr(cache_key) > limit
    except ValueError:
        # Expired between add and incr: this hit starts a new window.
        cache.add(cache_key, 1, timeout=window_seconds)
        return False
