"""Browser tests: a real Chromium driven by Playwright's sync API against `live_server`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright

from core.models import Environment
from tests.e2e.site_pages import Seeded, seed_site

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls
# from test code ("SynchronousOnlyOperation") although nothing here is actually async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}

# The outermost elements wider than the screen (content of scroll containers doesn't count).
_ELEMENTS_STICKING_OUT = """(limit) => Array.from(document.querySelectorAll("body *"))
    .filter((element) => element.getBoundingClientRect().right > limit)
    .filter((element) => !element.parentElement.closest(".table-wrap"))
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase() + "." + element.className
        + " " + Math.round(element.getBoundingClientRect().width) + "px")"""


def horizontal_overflow(page: Page) -> str | None:
    """Why the page at the current viewport needs a horizontal scrollbar, or None if it doesn't."""
    viewport = page.viewport_size
    assert viewport is not None
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= viewport["width"]:
        return None
    culprits = page.evaluate(_ELEMENTS_STICKING_OUT, viewport["width"])
    return f"{page.url} is {scroll_width}px wide at {viewport['width']}px; sticking out: {culprits}"


@dataclass
class BrowserConsole:
    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")


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
    """Something on every dashboard page (tests/e2e/site_pages.py)."""
    return seed_site(environment)
