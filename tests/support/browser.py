"""Looking at pages in Chromium: the browser's flags, the screen sizes tests use, where
screenshots go, and what a page got wrong (console errors, a horizontal scrollbar)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, ViewportSize

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
