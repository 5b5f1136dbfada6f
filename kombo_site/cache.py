"""Django's Redis cache backend, keeping one client object per connection pool.

Django's client builds a new `redis.Redis` around its pool for every cache call; with redis-py
5 and later that construction costs half as much again as the GET it serves (65 µs of a
~260 µs `cache.get`, which authenticates every API request). A `redis.Redis` takes a
connection from its pool per command and is safe to share between threads, so one per pool
does. `get_client` is the extension point Django's backend documents for custom clients.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[Any, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # The stubs leave out the backend's private helpers this override builds on.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
