"""Opaque random identifiers: never expose autoincrement ids in URLs or the API."""

from __future__ import annotations

import secrets

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def random_base58(length: int = 24) -> str:
    return "".join(secrets.choice(BASE58_ALPHABET) for _ in range(length))


def new_id() -> str:
    return random_base58(24)


def new_integration_id(tool_id: str) -> str:
    return f"{tool_id}:{random_base58(24)}"
