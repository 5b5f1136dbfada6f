"""Every dashboard page, the sign-in page and the hosted connect form, in Chromium at desktop and
phone width: no axe-core violations (WCAG 2.0/2.1 A and AA), no console errors, nothing wider than
the phone, and every element the Tab key reaches is visible, interactive and shows its focus."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    Environment,
    Integration,
    IntegrationStatus,
    LinkType,
    RequestLog,
    ScopeConfig,
)
from integrations.read_models import READ_MODELS
from integrations.sandbox_hr.services import sandbox_account_create
from integrations.services import (
    api_key_create,
    credential_version_add,
    integration_record_auth_result,
    relink_link_create,
    relink_link_revoke,
    scope_config_create,
    scope_config_migration_create,
)
from integrations.tools.base import AuthResult
from syncs.models import AuthCheck, AuthCheckTrigger, Sync, SyncState, SyncTrigger
from tests.conftest import require_service
from tests.e2e.conftest import DESKTOP, PHONE, BrowserConsole, horizontal_overflow
from tests.factories import IntegrationFactory
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.services import endpoint_create, event_emit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe/node_modules/axe-core/axe.min.js"
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


@dataclass(frozen=True)
class Seeded:
    integration_id: str
    scope_config_id: str
    endpoint_id: str
    delivery_id: str
    request_log_id: str
    relink_path: str
    migration_id: str
    api_key_id: str


@dataclass(frozen=True)
class PageCase:
    url: Callable[[Seeded], str]
    signed_in: bool = True
    # Text the page must show, so a filter matching nothing doesn't test an empty page instead.
    shows: str = ""


def _routed(case_id: str, url: Callable[[Seeded], str], shows: str = "") -> Any:
    return pytest.param(PageCase(url=url, shows=shows), id=case_id)


PAGES = [
    _routed("integration-list", lambda _: reverse("dashboard:integration_list")),
    _routed(
        "integration-list-filtered",
        lambda _: reverse("dashboard:integration_list") + "?q=initech&state=invalid",
        shows="Initech AG",
    ),
    _routed(
        "integration-invalid",
        lambda seeded: reverse("dashboard:integration_detail", args=[seeded.integration_id]),
        shows="INVALID",
    ),
    _routed(
        "integration-delete",
        lambda seeded: reverse("dashboard:integration_delete", args=[seeded.integration_id]),
    ),
    _routed("webhook-endpoints", lambda _: reverse("webhooks:endpoint_list")),
    _routed(
        "webhook-endpoint-edit",
        lambda seeded: reverse("webhooks:endpoint_edit", args=[seeded.endpoint_id]),
    ),
    _routed("webhook-deliveries", lambda _: reverse("webhooks:delivery_list")),
    _routed(
        "webhook-delivery",
        lambda seeded: reverse("webhooks:delivery_detail", args=[seeded.delivery_id]),
    ),
    _routed("api-keys", lambda _: reverse("dashboard:api_key_list")),
    _routed(
        "api-key-revoke",
        lambda seeded: reverse("dashboard:api_key_revoke", args=[seeded.api_key_id]),
        shows="Revoke API key",
    ),
    _routed("request-logs", lambda _: reverse("dashboard:request_log_list")),
    _routed(
        "request-log",
        lambda seeded: reverse("dashboard:request_log_detail", args=[seeded.request_log_id]),
    ),
    pytest.param(PageCase(url=lambda _: reverse("login"), signed_in=False), id="login"),
    pytest.param(PageCase(url=lambda seeded: seeded.relink_path, signed_in=False), id="connect"),
    _routed("scope-configs", lambda _: reverse("scope_configs:scope_config_list")),
    _routed(
        "scope-config-edit",
        lambda seeded: reverse("scope_configs:scope_config_edit", args=[seeded.scope_config_id]),
    ),
    _routed(
        "scope-config-migrate",
        lambda seeded: reverse("scope_configs:scope_config_migrate", args=[seeded.scope_config_id]),
    ),
    _routed(
        "scope-config-migration",
        lambda seeded: reverse(
            "scope_configs:scope_config_migration_detail", args=[seeded.migration_id]
        ),
        shows="Globex Corporation",
    ),
    _routed("sandbox-hr-control", lambda _: reverse("sandbox_control:overview")),
]
VIEWPORTS = [
    pytest.param(DESKTOP, id="desktop"),
    pytest.param(PHONE, id="phone"),
]


@pytest.fixture
def axe_path() -> Path:
    require_service("axe-core", AXE.exists(), "`make test` installs it with npm")
    return AXE


def _scope_settings(optional_fields: set[str]) -> dict[str, Any]:
    return {
        model.id: {
            "setting": "ENABLED",
            "fields": {
                name: "OPTIONAL" if name in optional_fields else "ENABLED" for name in model.fields
            },
        }
        for model in READ_MODELS.values()
    }


def _integration_with_history(environment: Environment, scope: ScopeConfig) -> Integration:
    """An INVALID integration with what its page shows: syncs with warnings, auth checks,
    reconnection links, several credential versions and the audit events of all that."""
    actor = Actor.system("tests")
    IntegrationFactory(environment=environment, organization_name="Globex Corporation")
    integration = IntegrationFactory(
        environment=environment,
        organization_name="Initech AG",
        creator_email="ops@initech.example",
        origin_id="customer-3",
        scope_config=scope,
    )
    credential_version_add(
        integration=integration,
        credentials={"api_key": "sbx_rotated"},
        source=CredentialSource.RELINK_LINK,
        actor=actor,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari",
    )
    now = timezone.now()
    Sync.objects.create(
        integration=integration,
        type="FULL",
        trigger=SyncTrigger.SCHEDULE,
        state=SyncState.PARTIALLY_FAILED,
        started_at=now - timedelta(days=5),
        finished_at=now - timedelta(days=5) + timedelta(seconds=42),
        progress=100,
        counts={"hris_employees": {"fetched": 57}, "hris_groups": {"fetched": 6}},
        warnings=["Not all permissions are granted: hris_employees.ssn needs employees:sensitive"],
    )
    for day in range(4, -1, -1):
        sync = Sync.objects.create(
            integration=integration,
            type="FULL",
            trigger=SyncTrigger.SCHEDULE,
            state=SyncState.AUTHENTICATION_FAILED,
            started_at=now - timedelta(days=day),
            finished_at=now - timedelta(days=day) + timedelta(seconds=1),
            error="Sandbox HR rejected the API key (revoked or unknown).",
        )
        AuthCheck.objects.create(
            integration=integration,
            sync=sync,
            trigger=AuthCheckTrigger.SYNC,
            outcome="INVALID_CREDENTIALS",
            message="Sandbox HR rejected the API key (revoked or unknown).",
            latency_ms=120 + day,
        )
        integration_record_auth_result(
            integration_id=integration.pk,
            result=AuthResult.invalid("Sandbox HR rejected the API key (revoked or unknown)."),
            now=now - timedelta(days=day),
        )
    revoked, _ = relink_link_create(
        integration=integration, link_type=LinkType.EMBEDDED, language="en", actor=actor
    )
    relink_link_revoke(link=revoked, actor=actor)
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.INVALID
    return integration


@pytest.fixture
def seeded(environment: Environment) -> Seeded:
    default = scope_config_create(
        environment=environment, name="Default", settings=_scope_settings({"personal_email"})
    )
    wider = scope_config_create(
        environment=environment,
        name="Extended (all fields)",
        settings=_scope_settings({"personal_email", "mobile_phone_number", "date_of_birth"}),
    )
    sandbox_account_create(name="Initech AG", employees=5, seed=1)
    endpoint, _ = endpoint_create(
        environment_id=environment.pk,
        url="https://hooks.example.com/kombo",
        description="Production receiver",
        event_types=["integration-state-changed", "sync-finished"],
    )
    integration = _integration_with_history(environment, default)
    event = event_emit(
        environment_id=environment.pk,
        type="sync-finished",
        data={"integration_id": integration.pk},
        integration_id=integration.pk,
    )
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=timezone.now(),
        request_headers={"content-type": "application/json", "webhook-id": event.pk},
        status_code=503,
        latency_ms=87,
        response_excerpt="Service Unavailable",
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED,
        attempt_count=1,
        last_status_code=503,
        last_error="HTTP 503 from the endpoint",
    )
    log = RequestLog.objects.create(
        environment=environment,
        method="POST",
        path=f"/api/v1/integrations/{integration.pk}/relink",
        status_code=400,
        integration_id=integration.pk,
        error_code="INPUT.VALIDATION_ERROR",
        latency_ms=23,
    )
    RequestLog.objects.create(
        environment=environment,
        method="GET",
        path="/api/v1/check-api-key",
        status_code=200,
        latency_ms=4,
    )
    _, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        scope_config=wider,
    )
    migration, _ = scope_config_migration_create(
        scope_config=wider,
        integrations=Integration.objects.filter(organization_name="Globex Corporation"),
        selection_label="Globex, picked",
        language="en",
        send_email=False,
        actor=Actor.system("tests"),
    )
    api_key, _ = api_key_create(environment=environment, name="Backend")
    return Seeded(
        api_key_id=api_key.pk,
        migration_id=migration.pk,
        integration_id=integration.pk,
        scope_config_id=default.pk,
        endpoint_id=endpoint.pk,
        delivery_id=delivery.pk,
        request_log_id=log.pk,
        relink_path=url.removeprefix(settings.BASE_URL),
    )


def _sign_in(page: Page, base_url: str, user: Any) -> None:
    """The operator's session cookie, without going through the sign-in page each time."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def _light_theme_problems(page: Page) -> list[str]:
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


def _axe_violations(page: Page, axe_path: Path) -> list[str]:
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    return [
        f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
        f"{violation['count']} element(s), e.g. {violation['targets']}"
        for violation in violations
    ]


def _keyboard_problems(page: Page) -> list[str]:
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
        _sign_in(page, base_url, operator)
    page.set_viewport_size(viewport)
    url = base_url + case.url(seeded)

    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    if case.shows:
        expect(page.locator("main")).to_contain_text(case.shows)

    problems = _axe_violations(page, axe_path) + _light_theme_problems(page)
    if viewport == PHONE:
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"layout: {overflow}")
    problems += _keyboard_problems(page)
    problems += [f"console: {error}" for error in console.errors]
    assert not problems, f"{url} at {viewport['width']}x{viewport['height']}:\n" + "\n".join(
        problems
    )
