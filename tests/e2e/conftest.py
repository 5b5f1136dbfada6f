"""Browser tests: a real Chromium driven by Playwright's sync API against `live_server`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_httpserver import HTTPServer

from core.models import Environment
from tests.support.accessibility import AXE
from tests.support.browser import CHROMIUM_ARGS, SCREENSHOT_DIR, BrowserConsole
from tests.support.kombo_connect import LIBRARY, on_ip
from tests.support.services import require_service
from tests.support.site_pages import Seeded, seed_site

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls
# from test code ("SynchronousOnlyOperation") although nothing here is actually async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console() -> BrowserConsole:
    return BrowserConsole()


@pytest.fixture
def page(browser: Browser, console: BrowserConsole) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", console.record)
    page.on("pageerror", lambda error: console.errors.append(f"page error: {error}"))
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def seeded(environment: Environment) -> Seeded:
    """Something on every dashboard page (tests/support/site_pages.py)."""
    return seed_site(environment)


@pytest.fixture
def axe_path() -> Path:
    require_service("axe-core", AXE.exists(), "`make test` installs it with npm")
    return AXE


@pytest.fixture
def operator_app(httpserver: HTTPServer, live_server: Any) -> Iterator[HTTPServer]:
    require_service("@kombo-api/connect", LIBRARY.exists(), "`make test` installs it with npm")
    httpserver.expect_request("/kombo-connect.mjs").respond_with_data(
        LIBRARY.read_text(), content_type="text/javascript"
    )
    with override_settings(
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr",
        CONNECT_FRAME_ANCESTORS=[on_ip(httpserver, "")],
    ):
        yield httpserver
