"""The site on a phone (390 × 844, an iPhone 12–15's CSS viewport) in real Chromium: no page
scrolls sideways, ids, event names and error codes never break inside a word, the menu folds
into one row, and the 7-day strips' day labels never overlap, on a phone or on a desktop.

What a reader expects, not what our code says: a page narrower than the screen is the WCAG 2.1
"Reflow" criterion (1.4.10: content readable at 320 CSS px without scrolling in two directions);
an id such as `sandbox:7Xk2…`, an event such as `integration-state-changed` or a code such as
`PLATFORM.INPUT_INVALID` is copied and compared as a whole, so a line may end only where a
reader sees a separator in it (`:` `.` `/` `-`) or a space, never between two letters.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Page, ViewportSize, expect
from pytest_httpserver import HTTPServer

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType
from integrations.services import connect_link_create, relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.browser import DESKTOP, PHONE, horizontal_overflow
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory, sandbox_integration
from tests.support.site_pages import MORE_PAGES, PAGES, PageCase, Seeded, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATOR = Actor.system("tests")

# Where a line inside an id, event name or code may end: after a separator or a space.
SEPARATORS = ":./-"

# Every line break inside an element showing an id, an event name or a code (`code`, `.mono`,
# `.tag`), with the text on either side, every <details> opened as a reader would. Payloads
# (`.code-block`) and the links, secrets and raw headers shown to be copied (`.wrap-anywhere`)
# are long tokens that may wrap anywhere.
_LINE_BREAKS = """() => {
    document.querySelectorAll("details").forEach((details) => { details.open = true; });
    const found = [];
    for (const element of document.querySelectorAll("code, .mono, .tag")) {
        if (element.closest(".code-block, .wrap-anywhere, textarea")) { continue; }
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let text = "";
        let previousTop = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let index = 0; index < node.length; index++) {
                const range = document.createRange();
                range.setStart(node, index);
                range.setEnd(node, index + 1);
                const rect = range.getClientRects()[0];
                if (rect && rect.width > 0) {
                    if (previousTop !== null && rect.top > previousTop + rect.height / 2) {
                        found.push({
                            element: element.tagName.toLowerCase() + "." + element.className,
                            before: text.slice(-12),
                            after: node.data.slice(index, index + 12),
                        });
                    }
                    previousTop = rect.top;
                }
                text += node.data[index];
            }
        }
    }
    return found;
}"""


# Per strip: where its days begin and end on screen (the strip's edges and its midnight ticks),
# and each day label with its box and the box of the text it shows.
_DAY_LABELS = """() => Array.from(document.querySelectorAll(".strip")).map((strip) => {
    const svg = strip.querySelector("svg").getBoundingClientRect();
    const ticks = Array.from(strip.querySelectorAll(".strip__tick"))
        .map((tick) => tick.getBoundingClientRect().left);
    const labels = Array.from(strip.querySelector(".strip__days").children).map((label) => {
        const range = document.createRange();
        range.selectNodeContents(label);
        const texts = Array.from(range.getClientRects()).filter((rect) => rect.width > 0);
        const box = label.getBoundingClientRect();
        return {
            text: label.innerText.trim(),
            box: {left: box.left, right: box.right},
            ink: {
                left: Math.min(...texts.map((rect) => rect.left)),
                right: Math.max(...texts.map((rect) => rect.right)),
            },
        };
    });
    return {bounds: [svg.left, ...ticks, svg.right].sort((a, b) => a - b), labels: labels};
})"""


# Each element of the header's bar that is shown, with its top and bottom edges.
_HEADER_ITEMS = """() => Array.from(document.querySelectorAll(
        ".topbar .brand, .topbar .nav-toggle, .topbar .nav > *"))
    .filter((element) => element.checkVisibility())
    .map((element) => ({
        name: (element.innerText || "").trim(),
        top: element.getBoundingClientRect().top,
        bottom: element.getBoundingClientRect().bottom,
    }))"""


def _day_of(label: dict[str, Any], days: list[tuple[float, float]]) -> int | None:
    """Which day (between two ticks) the label's text lies in; None if it crosses a tick."""
    ink = label["ink"]
    return next(
        (
            index
            for index, (start, end) in enumerate(days)
            if start <= ink["left"] < ink["right"] <= end
        ),
        None,
    )


def _in_one_row(items: list[dict[str, Any]]) -> bool:
    """Whether one horizontal line crosses them all."""
    return max(item["top"] for item in items) < min(item["bottom"] for item in items)


def mid_word_breaks(page: Page) -> list[str]:
    return [
        f"{found['element']} breaks '{found['before']}' | '{found['after']}'"
        for found in page.evaluate(_LINE_BREAKS)
        if not found["before"] or found["before"][-1] not in SEPARATORS + " \u00a0"
    ]


def layout_problems(page: Page) -> list[str]:
    problems = [f"mid-word: {problem}" for problem in mid_word_breaks(page)]
    overflow = horizontal_overflow(page)
    if overflow:
        problems.append(f"overflow: {overflow}")
    return problems


def _open(page: Page, base_url: str, operator: Any, seeded: Seeded, case: PageCase) -> None:
    if case.signed_in:
        sign_in(page, base_url, operator)
    response = page.goto(base_url + case.url(seeded))
    assert response is not None
    assert response.status == 200, f"{page.url} answered {response.status}"
    if case.shows:
        expect(page.locator("main")).to_contain_text(case.shows)


@pytest.mark.parametrize("case", PAGES + MORE_PAGES)
def test_it_fits_every_dashboard_page_on_a_phone(
    page: Page, live_server: Any, operator: Any, seeded: Seeded, case: PageCase
) -> None:
    page.set_viewport_size(PHONE)

    _open(page, str(live_server), operator, seeded, case)

    problems = layout_problems(page)
    assert not problems, f"{page.url} at 390 px:\n" + "\n".join(problems)


@dataclass(frozen=True)
class Hosted:
    """The customer's side of a link: its pages need a link in some state, or a form sent."""

    environment: Environment
    base_url: str
    httpserver: HTTPServer

    def relink_url(self, integration: Any = None) -> str:
        integration = integration or sandbox_integration(environment=self.environment).integration
        _, url = relink_link_create(
            integration=integration, link_type=LinkType.MAGIC_LINK, language="en", actor=OPERATOR
        )
        return self.base_url + url.removeprefix(settings.BASE_URL)


def _relink_form(page: Page, hosted: Hosted) -> None:
    page.goto(hosted.relink_url())
    expect(page.locator("input[name=api_key]")).to_be_visible()


def _tool_picker(page: Page, hosted: Hosted) -> None:
    _, url = connect_link_create(
        environment_id=hosted.environment.pk,
        organization_name="Initech Aktiengesellschaft für Personalverwaltung",
        email="it-administration@initech.example",
        origin_id="customer-7Xk2P9mQ4rT8vW3yZ6aB1cD5",
        scope_config=ScopeConfigFactory(environment=hosted.environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
    )
    page.goto(hosted.base_url + url.removeprefix(settings.BASE_URL))
    expect(page.locator(".tool-picker")).to_be_visible()


def _done(page: Page, hosted: Hosted) -> None:
    with override_settings(SANDBOX_HR_URL=hosted.base_url + "/sandbox-hr"):
        setup = sandbox_integration(environment=hosted.environment)
        _, raw = sandbox_api_key_create(
            account=setup.account, name="new", permissions=ALL_PERMISSIONS
        )
        page.goto(hosted.relink_url(setup.integration))
        page.locator("input[name=api_key]").fill(raw)
        page.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("You're done")


def _link_unusable(page: Page, hosted: Hosted) -> None:
    page.goto(hosted.base_url + "/connect/no-such-link-7Xk2P9mQ4rT8vW3yZ6aB1cD5")
    expect(page.locator("h1")).to_be_visible()


def _too_many(page: Page, hosted: Hosted) -> None:
    with override_settings(CONNECT_SUBMISSIONS_PER_LINK=1):
        page.goto(hosted.relink_url())
        for _ in range(2):
            # Not a key at all (no tool's keys have spaces and accents): refused unchecked.
            page.locator("input[name=api_key]").fill("clé invalide")
            page.locator("button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("Too many")


ATTACKER = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<form id="forged" method="post" action="{action}"><input name="api_key" value="sbx_x"></form>
<script>document.getElementById("forged").submit();</script></body></html>"""


def _sent_from_another_site(page: Page, hosted: Hosted) -> None:
    # The attacker's page on 127.0.0.1, the link on localhost: another site.
    hosted.httpserver.expect_request("/win-a-prize").respond_with_data(
        ATTACKER.format(action=hosted.relink_url()), content_type="text/html"
    )
    page.goto(f"http://127.0.0.1:{hosted.httpserver.port}/win-a-prize")
    expect(page.locator("h1")).to_contain_text("This form was sent from another website")


HOSTED_PAGES = [
    pytest.param(_relink_form, id="relink-form"),
    pytest.param(_tool_picker, id="tool-picker"),
    pytest.param(_done, id="done"),
    pytest.param(_link_unusable, id="link-unusable"),
    pytest.param(_too_many, id="too-many"),
    pytest.param(_sent_from_another_site, id="sent-from-another-site"),
]


@pytest.mark.parametrize("visit", HOSTED_PAGES)
def test_it_fits_every_hosted_page_on_a_phone(
    page: Page,
    live_server: Any,
    httpserver: HTTPServer,
    environment: Environment,
    visit: Callable[[Page, Hosted], None],
) -> None:
    page.set_viewport_size(PHONE)

    visit(page, Hosted(environment, str(live_server), httpserver))

    problems = layout_problems(page)
    assert not problems, f"{page.url} at 390 px:\n" + "\n".join(problems)


def test_it_folds_the_menu_into_one_row_on_a_phone(
    page: Page, live_server: Any, operator: Any
) -> None:
    base_url = str(live_server)
    sign_in(page, base_url, operator)
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/dashboard/webhooks/")

    folded = page.evaluate(_HEADER_ITEMS)
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    opened = page.locator("#main-nav")

    assert [row["name"] for row in folded] == ["kombo-site", "Menu"]
    assert _in_one_row(folded), folded
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for name in ("Integrations", "Scope configs", "Webhooks", "API keys", "Request logs"):
        link = opened.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
    expect(opened.get_by_role("link", name="Webhooks")).to_have_attribute("aria-current", "page")
    page.keyboard.press("Escape")
    expect(opened).to_be_hidden()
    expect(toggle).to_be_focused()


def test_it_shows_the_whole_menu_in_one_row_on_a_desktop(
    page: Page, live_server: Any, operator: Any
) -> None:
    base_url = str(live_server)
    sign_in(page, base_url, operator)
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + "/dashboard/")

    shown = page.evaluate(_HEADER_ITEMS)

    assert "Menu" not in [item["name"] for item in shown]
    assert {"Integrations", "Request logs", "Admin", "Log out"} <= {item["name"] for item in shown}
    assert _in_one_row(shown), shown


@pytest.mark.parametrize(
    "viewport", [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
)
def test_it_never_overlaps_the_strips_day_labels(
    page: Page, live_server: Any, operator: Any, seeded: Seeded, viewport: ViewportSize
) -> None:
    base_url = str(live_server)
    sign_in(page, base_url, operator)
    page.set_viewport_size(viewport)
    page.goto(base_url + f"/dashboard/integrations/{seeded.integration_id}/")

    strips = page.evaluate(_DAY_LABELS)

    assert len(strips) == 2
    for strip in strips:
        labels, days = strip["labels"], list(itertools.pairwise(strip["bounds"]))
        # 168 hours: six whole days, and two part days of which one has 12 hours or more.
        assert len(labels) >= 7, labels
        for label in labels:
            assert label["text"], labels
            assert label["box"]["left"] <= label["ink"]["left"], f"{label} is cut off"
            assert label["ink"]["right"] <= label["box"]["right"], f"{label} is cut off"
        # Each label inside its own day, left to right: none can touch another.
        placed = [_day_of(label, days) for label in labels]
        assert None not in placed, f"a label crosses a midnight tick: {labels} {days}"
        assert placed == sorted(set(placed)), f"two labels in one day: {labels}"
