"""Secrets at rest (credentials, webhook signing secrets): MultiFernet over `FIELD_ENCRYPTION_KEYS`.

The first key encrypts; every key decrypts, so a new key can be put first and old rows
re-encrypted later with `manage.py rotate_encryption_keys`.
"""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CredentialDecryptionError(Exception):
    """The stored credentials cannot be decrypted with any configured key."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        # Never echo the key material itself.
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be a comma-separated list of Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_json(payload: dict[str, str]) -> str:
    return fernet().encrypt(json.dumps(payload, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict[str, str]:
    try:
        data = fernet().decrypt(token.encode())
    except InvalidToken as exc:
        raise CredentialDecryptionError(
            "Stored credentials cannot be decrypted with the configured FIELD_ENCRYPTION_KEYS."
        ) from exc
    decoded: dict[str, str] = json.loads(data)
    return decoded


def reencrypt(token: str) -> str:
    """Re-encrypt a token with the current first key (a no-op in meaning, not in bytes)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialDecryptionError(
            "Stored credentials cannot be decrypted with the configured FIELD_ENCRYPTION_KEYS."
        ) from exc
