"""Swagger UI works offline: its assets come from this site, and it renders our operations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request

from tests.support.browser import BrowserConsole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_the_api_docs_from_local_assets(
    page: Page, console: BrowserConsole, live_server: object
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    foreign: list[str] = []

    def note_foreign(request: Request) -> None:
        if not request.url.startswith((base, "data:", "blob:")):
            foreign.append(request.url)

    page.on("request", note_foreign)
    page.goto(f"{base}/api/v1/docs/")

    page.locator(".opblock-summary-path", has_text="/api/v1/check-api-key").first.wait_for()
    assert page.locator(".opblock").count() >= 6
    assert foreign == []
    assert console.errors == []
