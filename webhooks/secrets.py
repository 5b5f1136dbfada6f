"""Endpoint signing secrets: generated here, kept encrypted at rest with FIELD_ENCRYPTION_KEYS."""

from __future__ import annotations

import base64
import secrets

from core.crypto import fernet

SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    """`whsec_` + base64 of 32 random bytes: the Standard Webhooks format."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_encrypt(secret: str) -> str:
    return fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def secret_reencrypt(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else token
