"""API keys: created once in plaintext, stored as a hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.cache_faults import cache_or
from core.ids import random_base58
from core.models import ApiKey, Environment

API_KEY_PREFIX = "ks_"
# How stale `last_used_at` may get before a request refreshes it (saves a write per request).
API_KEY_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _api_key_hash(raw_key: str) -> str:
    # API keys carry 190+ bits of randomness, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_create(
    *, environment: Environment, name: str, created_by: Any | None = None
) -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext, which is never stored or shown again."""
    raw_key = f"{API_KEY_PREFIX}{random_base58(32)}"
    api_key = ApiKey.objects.create(
        environment=environment,
        name=name,
        prefix=raw_key[:10],
        key_hash=_api_key_hash(raw_key),
        created_by=created_by,
    )
    return api_key, raw_key


# What a revoked key's cache entry holds until it expires.
_REVOKED = "revoked"


def _cache_key(key_hash: str) -> str:
    return f"api-key:{key_hash}"


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, or None; refreshes `last_used_at`.

    With a shared cache (Redis), a found key is kept there for API_KEY_CACHE_SECONDS so most
    requests skip the database lookup. Revoking leaves a marker in its place, and requests only
    ever *add* the entry: a request that read the key just before the revoke cannot put it
    back, so revocation is immediate. Only the hash is used as the cache key, never the key.
    """
    if not raw_key.startswith(API_KEY_PREFIX) or len(raw_key) > 128:
        return None
    candidate_hash = _api_key_hash(raw_key)
    cache_key = _cache_key(candidate_hash)
    seconds = settings.API_KEY_CACHE_SECONDS
    cached: ApiKey | str | None = cache_or(lambda: cache.get(cache_key), None) if seconds else None
    if cached == _REVOKED:
        return None
    api_key = cached if isinstance(cached, ApiKey) else None
    if api_key is None:
        api_key = (
            ApiKey.objects.select_related("environment")
            .filter(key_hash=candidate_hash, revoked_at__isnull=True)
            .first()
        )
        if api_key is not None and seconds:
            cache_or(lambda: cache.add(cache_key, api_key, seconds), False)
    if api_key is None or not hmac.compare_digest(api_key.key_hash, candidate_hash):
        return None
    _last_used_refresh(api_key)
    return api_key


def _last_used_refresh(api_key: ApiKey) -> None:
    now = timezone.now()
    if settings.API_KEY_CACHE_SECONDS:
        # Due once per resolution across all processes; the cached key itself is never
        # rewritten, which could overwrite a revoke's marker.
        # Unreachable, it is written as often as resolution allows without a cache.
        due = cache_or(
            lambda: cache.add(
                f"api-key-used:{api_key.key_hash}",
                True,
                int(API_KEY_LAST_USED_RESOLUTION.total_seconds()),
            ),
            _last_used_stale(api_key, now),
        )
    else:
        due = _last_used_stale(api_key, now)
    if due:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def _last_used_stale(api_key: ApiKey, now: datetime) -> bool:
    return api_key.last_used_at is None or now - api_key.last_used_at > API_KEY_LAST_USED_RESOLUTION


def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if settings.API_KEY_CACHE_SECONDS:
        cache.set(_cache_key(api_key.key_hash), _REVOKED, settings.API_KEY_CACHE_SECONDS)
    api_key.refresh_from_db(fields=["revoked_at"])
