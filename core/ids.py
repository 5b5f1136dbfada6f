"""Opaque random identifiers: never expose autoincrement ids in URLs or the API."""

from __future__ import annotations

import secrets

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def random_base58(length: int = 24) -> str:
    # One read of the OS's randomness per id (not one per character): syncs mint thousands.
    # 2**(8 * (length + 2)) dwarfs 58**length, so the modulo bias is negligible.
    number = int.from_bytes(secrets.token_bytes(length + 2), "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, 58)
        chars.append(BASE58_ALPHABET[index])
    return "".join(chars)


def new_id() -> str:
    return random_base58(24)


def new_integration_id(tool_id: str) -> str:
    return f"{tool_id}:{random_base58(24)}"
