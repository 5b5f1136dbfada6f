"""The Redis cache shares one client per connection pool between threads, as gunicorn's do."""
# `_cache` is Django's backend client; the reuse is what this backend exists for.

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

from kombo_site.cache import ReusingRedisCache


def test_it_keeps_every_threads_values_apart(redis_url: str) -> None:
    cache = ReusingRedisCache(redis_url, {"KEY_PREFIX": f"test-cache-{secrets.token_hex(4)}"})

    def round_trips(thread: int) -> list[tuple[str, object]]:
        seen = []
        for n in range(200):
            key = f"{thread}:{n}"
            cache.set(key, {"thread": thread, "n": n}, 30)
            seen.append((key, cache.get(key)))
        return seen

    try:
        client = cache._cache.get_client()
        assert cache._cache.get_client(write=True) is client
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = [item for part in pool.map(round_trips, range(8)) for item in part]
        assert len(results) == 1600
        for key, value in results:
            thread, n = key.split(":")
            assert value == {"thread": int(thread), "n": int(n)}
        assert cache.get_many(["3:7", "5:199"]) == {
            "3:7": {"thread": 3, "n": 7},
            "5:199": {"thread": 5, "n": 199},
        }
    finally:
        cache.delete_many([f"{thread}:{n}" for thread in range(8) for n in range(200)])
        cache.close()
