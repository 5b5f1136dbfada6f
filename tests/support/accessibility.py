"""What an accessibility check finds on a page open in Chromium: axe-core's WCAG 2.0/2.1 A and
AA violations, light text on a dark page, and Tab stops a keyboard user cannot see or use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.browser import DESKTOP, PHONE

AXE = Path(__file__).parents[1] / "e2e/axe/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_TABS = 60

_AXE_RUN = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        count: violation.nodes.length,
        targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}"""

# The body's text colour and the first opaque background behind it (the canvas is white).
_PAGE_COLOURS = """() => {
    const transparent = (colour) => colour === "transparent" || colour === "rgba(0, 0, 0, 0)";
    const background = [document.body, document.documentElement]
        .map((element) => getComputedStyle(element).backgroundColor)
        .find((colour) => !transparent(colour)) || "rgb(255, 255, 255)";
    return [getComputedStyle(document.body).color, background];
}"""

# Blurring an autofocused field would leave Tab's starting point at it: focus a stand-in at the
# top of the body instead, and remove it, so the next Tab goes to the page's first element.
_FOCUS_START_OF_PAGE = """() => {
    const start = document.createElement("span");
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.remove();
}"""

# What a keyboard user gets from the element that has the focus: null when it's the page itself,
# `repeat` once Tab has come round to an element it focused before.
_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body || element === document.documentElement) {
        return null;
    }
    const WIDGET_ROLES = ["button", "link", "checkbox", "radio", "switch", "tab", "menuitem",
        "option", "textbox", "searchbox", "combobox", "slider", "spinbutton", "treeitem"];
    window.focusedByTab = window.focusedByTab || new WeakSet();
    if (window.focusedByTab.has(element)) {
        return {repeat: true};
    }
    window.focusedByTab.add(element);
    const tag = element.tagName.toLowerCase();
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const text = (element.innerText || element.value || element.getAttribute("aria-label") || "")
        .trim().replace(/\\s+/g, " ").slice(0, 40);
    // A scroll container (a wide table, a long payload) is a Tab stop so its content can be
    // scrolled with the arrow keys, by its tabindex or by Chromium itself: operable. Any other
    // element with a tabindex needs a widget role to tell the user what it does.
    const scrollContainer = ["auto", "scroll"].includes(style.overflowX)
        || ["auto", "scroll"].includes(style.overflowY);
    const interactive =
        (tag === "a" && element.hasAttribute("href"))
        || ["button", "input", "select", "textarea", "summary"].includes(tag)
        || WIDGET_ROLES.includes(element.getAttribute("role"))
        || element.isContentEditable
        || scrollContainer;
    const onScreen = rect.bottom > 0 && rect.right > 0
        && rect.top < window.innerHeight && rect.left < window.innerWidth;
    const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        repeat: false,
        description: tag + (element.id ? "#" + element.id : "")
            + (element.className && typeof element.className === "string"
                ? "." + element.className.trim().split(/\\s+/).join(".") : "")
            + (text ? ` "${text}"` : ""),
        interactive: interactive,
        visible: rect.width > 0 && rect.height > 0 && onScreen
            && element.checkVisibility({opacityProperty: true, visibilityProperty: true}),
        indicator: outlined || style.boxShadow !== "none",
    };
}"""


VIEWPORTS = [
    pytest.param(DESKTOP, id="desktop"),
    pytest.param(PHONE, id="phone"),
]


def light_theme_problems(page: Page) -> list[str]:
    """axe checks the contrast; the issue also wants it dark text on a light page."""
    text, background = page.evaluate(_PAGE_COLOURS)
    if _luminance(text) < _luminance(background):
        return []
    return [f"theme: the page's text {text} is lighter than its background {background}"]


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a computed `rgb(...)`/`rgba(...)` colour."""
    channels = [float(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def axe_violations(page: Page, axe_path: Path) -> list[str]:
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    return [
        f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
        f"{violation['count']} element(s), e.g. {violation['targets']}"
        for violation in violations
    ]


def keyboard_problems(page: Page) -> list[str]:
    """Tab through the page from its top; what a keyboard user couldn't see or use."""
    page.evaluate(_FOCUS_START_OF_PAGE)
    problems: list[str] = []
    reached = 0
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None or focused["repeat"]:
            break
        reached += 1
        if not focused["interactive"]:
            problems.append(f"keyboard: focus lands on a non-interactive {focused['description']}")
        if not focused["visible"]:
            problems.append(f"keyboard: focused {focused['description']} is not visible")
        if not focused["indicator"]:
            problems.append(f"keyboard: focused {focused['description']} shows no focus indicator")
    if reached == 0:
        problems.append("keyboard: Tab reaches no element at all")
    return problems
