"""Every dashboard page, the sign-in page and the hosted connect form, in Chromium at desktop and
phone width: no axe-core violations (WCAG 2.0/2.1 A and AA), no console errors, nothing wider than
the phone, and every element the Tab key reaches is visible, interactive and shows its focus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.accessibility import (
    VIEWPORTS,
    axe_violations,
    keyboard_problems,
    light_theme_problems,
)
from tests.support.browser import PHONE, BrowserConsole, horizontal_overflow
from tests.support.site_pages import PAGES, PageCase, Seeded, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("case", PAGES)
def test_it_is_accessible(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    operator: Any,
    seeded: Seeded,
    axe_path: Path,
    case: PageCase,
    viewport: ViewportSize,
) -> None:
    base_url = str(live_server)
    if case.signed_in:
        sign_in(page, base_url, operator)
    page.set_viewport_size(viewport)
    url = base_url + case.url(seeded)

    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    if case.shows:
        expect(page.locator("main")).to_contain_text(case.shows)

    problems = axe_violations(page, axe_path) + light_theme_problems(page)
    if viewport == PHONE:
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"layout: {overflow}")
    problems += keyboard_problems(page)
    problems += [f"console: {error}" for error in console.errors]
    assert not problems, f"{url} at {viewport['width']}x{viewport['height']}:\n" + "\n".join(
        problems
    )
