"""Endpoint signing secrets: generated here, kept encrypted at rest with FIELD_ENCRYPTION_KEYS.

(The webhooks app imports nothing of ours, so it holds its own small MultiFernet.)
"""

from __future__ import annotations

import base64
import secrets
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

SECRET_PREFIX = "whsec_"


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _fernet() -> MultiFernet:
    # Built once per key list: every delivery decrypts its endpoint's secret.
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def secret_generate() -> str:
    """`whsec_` + base64 of 32 random bytes: the Standard Webhooks format."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def secret_reencrypt(token: str) -> str:
    return _fernet().rotate(token.encode()).decode() if token else token
