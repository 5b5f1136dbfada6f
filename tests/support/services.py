"""Services some tests need (PostgreSQL, Redis, Chromium, node). With CI_REQUIRE_SERVICES=1, a
missing one fails the run instead of skipping the tests that need it."""

from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("CI_REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, how: str) -> None:
    """Skip when a service is missing locally; fail when CI said it must be there."""
    if available:
        return
    message = f"{name} is not available: {how}"
    if REQUIRE_SERVICES:
        pytest.fail(f"CI_REQUIRE_SERVICES=1 and {message}", pytrace=False)
    pytest.skip(message)
