"""Hostile input on the hosted form and everywhere end-user data is shown.

Oversized values, NUL bytes, line breaks, RTL overrides and emoji, markup in every field,
posts without a CSRF token, replayed posts and credentials of another account: each gets a
clear answer (never a 500) and changes nothing. Organisation names, emails, origin ids, scope
config names, endpoint descriptions and account names full of markup come out escaped on
every page and in emails.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from integrations.actors import Actor
from integrations.models import (
    CredentialVersion,
    Environment,
    Integration,
    LinkType,
    ReconnectionLink,
    ScopeConfigMigration,
)
from integrations.selectors.integrations import credentials_current
from integrations.services import (
    connect_link_create,
    integration_record_auth_result,
    link_find,
    relink_link_create,
)
from integrations.tools.base import AuthResult
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.factories import IntegrationFactory, ScopeConfigFactory
from tests.fakes.personio import (  # noqa: F401 (fixtures)
    FakePersonio,
    fake_personio_fixture,
    personio_server_fixture,
)
from tests.syncs.conftest import ALL_PERMISSIONS, SandboxSetup, sandbox_integration
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKUP = SCRIPT + IMG
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
HOSTILE_VALUES = {
    "oversized": "sbx_" + "x" * 100_000,
    "nul-byte": "sbx_\x00abc",
    "line-break": "sbx_abc\r\nX-Injected: 1",
    "rtl-and-emoji": "\u202esbx_cba\u202c 🔑🙂 مرحبا",
    "script": SCRIPT,
    "attribute-breakout": IMG,
}
REFUSED = "Sandbox HR did not accept these credentials. Please check them and try again."
# Values no API key can be are the customer's typo, answered next to the field; the others
# are asked of Sandbox HR, which refuses them.
TOO_LONG = "This is far too long. Please paste only the value itself."
UNUSABLE = "This contains line breaks, invisible or special characters that it can’t contain."
ANSWERS = {
    "oversized": TOO_LONG,
    "nul-byte": UNUSABLE,
    "line-break": UNUSABLE,
    "rtl-and-emoji": UNUSABLE,
    "script": REFUSED,
    "attribute-breakout": REFUSED,
}


def _path(url: str) -> str:
    return "/connect/" + url.rsplit("/", 1)[1]


def _relink(integration: Integration, link_type: LinkType = LinkType.MAGIC_LINK) -> str:
    _, url = relink_link_create(
        integration=integration, link_type=link_type, language="en", actor=OPERATOR
    )
    return url


def _snapshot(integration: Integration) -> tuple[Any, ...]:
    """Everything a submission could change about an integration and its links."""
    integration.refresh_from_db()
    return (
        integration.status,
        integration.scope_config_id,
        integration.opted_out,
        integration.consecutive_auth_failures,
        integration.auth_failing_since,
        integration.sync_paused_reason,
        integration.next_sync_at,
        credentials_current(integration=integration),
        CredentialVersion.objects.filter(integration=integration).count(),
        tuple(
            ReconnectionLink.objects.filter(integration=integration)
            .order_by("pk")
            .values_list("pk", "used_at", "revoked_at")
        ),
    )


def _failing(environment: Environment, **fields: Any) -> SandboxSetup:
    """A sandbox integration whose checks have started failing (its key was replaced)."""
    setup = sandbox_integration(environment=environment, **fields)
    integration_record_auth_result(
        integration_id=setup.integration.pk,
        result=AuthResult.invalid("Sandbox HR rejected the API key (revoked or unknown)."),
    )
    return setup


def assert_no_raw_markup(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x onerror" not in html
    # Our own scripts never carry end-user data.
    for script in re.findall(r"<script[^>]*>(.*?)</script>", html, re.DOTALL):
        assert "alert(1)" not in script


def assert_escaped(html: str) -> None:
    """The payload is shown on this page, escaped."""
    assert_no_raw_markup(html)
    assert ESCAPED_SCRIPT in html
    assert ESCAPED_IMG in html


# --- the hosted form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "answer"), [(HOSTILE_VALUES[k], ANSWERS[k]) for k in ANSWERS], ids=list(ANSWERS)
)
def test_it_refuses_a_hostile_value_in_every_posted_field_and_changes_nothing(
    sandbox_hr: None, environment: Environment, value: str, answer: str
) -> None:
    setup = _failing(environment)
    other = sandbox_integration(environment=environment)
    url = _relink(setup.integration)
    before, other_before = _snapshot(setup.integration), _snapshot(other.integration)

    response = Client().post(
        _path(url),
        {
            "api_key": value,
            "keep": [value, "hris_employees.first_name"],
            "tool": value,
            "integration": other.integration.pk,
            "token": value,
        },
        HTTP_USER_AGENT=value[:1000],
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert answer in html
    assert value not in html, "a submitted secret was echoed back"
    assert_no_raw_markup(html)
    assert 'name="api_key" type="password"' in html
    assert _snapshot(setup.integration) == before
    assert _snapshot(other.integration) == other_before


def test_it_escapes_echoed_non_secret_fields_in_their_attribute(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    credentials = fake_personio.credential_create()
    integration = IntegrationFactory(
        environment=environment, tool="personio", credentials=credentials, remote_account_id=""
    )
    url = _relink(integration)
    before = _snapshot(integration)

    response = Client().post(_path(url), {"client_id": MARKUP, "client_secret": MARKUP})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Personio did not accept these credentials" in html
    # The Client ID (not a secret) is filled in again, escaped inside its value="..."; the
    # secret is not echoed at all.
    assert f'value="{ESCAPED_SCRIPT}{ESCAPED_IMG}"' in html
    assert html.count(ESCAPED_SCRIPT) == 1
    assert_no_raw_markup(html)
    assert _snapshot(integration) == before


def test_it_refuses_a_body_over_the_upload_limit_without_a_server_error(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = _failing(environment)
    url = _relink(setup.integration)
    before = _snapshot(setup.integration)

    response = Client().post(_path(url), {"api_key": "sbx_" + "x" * 2_000_000})

    assert response.status_code == 400
    assert _snapshot(setup.integration) == before


def test_it_does_not_need_a_csrf_token_but_still_refuses_bad_values_and_changes_nothing(
    sandbox_hr: None, environment: Environment
) -> None:
    """The link token in the URL is what authorises a submission (an EMBEDDED form sits in
    the operator's cross-site iframe, where no CSRF cookie arrives); without a valid token a
    CSRF-less post changes nothing. Posts a browser marks as made by another website are
    refused outright (`test_hosted_form_forged_posts.py`)."""
    setup = _failing(environment)
    url = _relink(setup.integration)
    before = _snapshot(setup.integration)
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post(_path(url), {"api_key": SCRIPT})
    forged = browser.post(_path(url)[:-3] + "xyz", {"api_key": setup.raw_key})

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert forged.status_code == 404
    assert "This link can't be used" in forged.content.decode()
    assert _snapshot(setup.integration) == before


def test_it_refuses_csrf_less_posts_to_the_dashboard_actions_on_an_integration(
    environment: Environment, operator: object
) -> None:
    integration = IntegrationFactory(environment=environment)
    url = _relink(integration)
    link = link_find(token=url.rsplit("/", 1)[1])
    assert link is not None
    before = _snapshot(integration)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(operator)  # type: ignore[arg-type]
    base = f"/dashboard/integrations/{integration.pk}"

    answers = [
        browser.post(f"{base}/relink/", {"link_type": "MAGIC_LINK", "language": "en"}),
        browser.post(f"/dashboard/reconnection-links/{link.pk}/revoke/"),
        browser.post(f"{base}/enabled/", {"enabled": "false"}),
        browser.post(f"{base}/delete/"),
        browser.post(f"{base}/sync/"),
    ]

    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert _snapshot(integration) == before
    assert integration.enabled
    assert integration.deleted_at is None


def test_it_answers_a_replayed_post_with_the_used_link_page_and_changes_nothing(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = _failing(environment)
    url = _relink(setup.integration)
    _, new_key = sandbox_api_key_create(
        account=setup.account, name="new", permissions=ALL_PERMISSIONS
    )
    _, newer_key = sandbox_api_key_create(
        account=setup.account, name="newer", permissions=ALL_PERMISSIONS
    )
    browser = Client()

    done = browser.post(_path(url), {"api_key": new_key})
    after_success = _snapshot(setup.integration)
    replayed = browser.post(_path(url), {"api_key": new_key})
    replayed_other_key = Client().post(_path(url), {"api_key": newer_key})

    assert "You're done" in done.content.decode()
    assert credentials_current(integration=setup.integration) == {"api_key": new_key}
    for answer in (replayed, replayed_other_key):
        assert answer.status_code == 404
        assert "This link can't be used" in answer.content.decode()
    assert _snapshot(setup.integration) == after_success


def test_it_never_lets_a_link_for_one_integration_touch_another(
    sandbox_hr: None, environment: Environment
) -> None:
    first = _failing(environment)
    second = _failing(environment)
    url = _relink(first.integration)
    first_before, second_before = _snapshot(first.integration), _snapshot(second.integration)
    _, second_account_key = sandbox_api_key_create(
        account=second.account, name="second", permissions=ALL_PERMISSIONS
    )

    other_account = Client().post(
        _path(url), {"api_key": second_account_key, "integration": second.integration.pk}
    )

    assert other_account.status_code == 200
    assert "These credentials belong to another Sandbox HR account." in (
        other_account.content.decode()
    )
    assert _snapshot(first.integration) == first_before
    assert _snapshot(second.integration) == second_before

    _, first_account_key = sandbox_api_key_create(
        account=first.account, name="first", permissions=ALL_PERMISSIONS
    )
    done = Client().post(
        _path(url),
        {"api_key": first_account_key, "integration": second.integration.pk},
        HTTP_USER_AGENT="Mozilla/5.0\x00" + SCRIPT,
    )

    assert "You're done" in done.content.decode()
    assert credentials_current(integration=first.integration) == {"api_key": first_account_key}
    version = CredentialVersion.objects.filter(integration=first.integration).first()
    assert version is not None
    assert version.user_agent == "Mozilla/5.0" + SCRIPT
    assert _snapshot(second.integration) == second_before


# --- markup in end-user data, on every page and in emails ---------------------------------


def test_it_escapes_hostile_end_user_data_on_every_page_and_in_emails(
    sandbox_hr: None, environment: Environment, operator: object
) -> None:
    scope = ScopeConfigFactory(environment=environment, name=MARKUP)
    account = sandbox_account_create(name=MARKUP, employees=3, seed=1)
    key, raw_key = sandbox_api_key_create(account=account, name=MARKUP, permissions=ALL_PERMISSIONS)
    integration = IntegrationFactory(
        environment=environment,
        scope_config=scope,
        organization_name=MARKUP,
        creator_email=f'"{SCRIPT}"@acme.example',
        origin_id=MARKUP,
        credentials={"api_key": raw_key},
        remote_account_id=account.id,
    )
    endpoint, _ = endpoint_create(
        environment_id=environment.pk, url="http://127.0.0.1:9/hook", description=MARKUP
    )
    # An open issue emits issue-status-changed: a delivery whose payload names the customer.
    integration_record_auth_result(integration_id=integration.pk, result=AuthResult.invalid(MARKUP))
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    assert delivery is not None
    _, connect_url = connect_link_create(
        environment_id=environment.pk,
        organization_name=MARKUP,
        email="it@acme.example",
        origin_id=MARKUP,
        scope_config=scope,
        link_type=LinkType.EMBEDDED,
        language="en",
        actor=OPERATOR,
    )
    operator_browser = Client()
    operator_browser.force_login(operator)  # type: ignore[arg-type]
    api_path = f"/api/v1/integrations/{SCRIPT}"
    operator_browser.get(api_path, HTTP_X_INTEGRATION_ID=MARKUP)
    detail = f"/dashboard/integrations/{integration.pk}/"

    relinked = operator_browser.post(
        f"{detail}relink/",
        {"link_type": "MAGIC_LINK", "language": "en", "send_email": "on"},
        follow=True,
    )
    migration_created = operator_browser.post(
        f"/dashboard/scope-configs/{ScopeConfigFactory(environment=environment).pk}/migrate/",
        {"selection": "picked", "integrations": [integration.pk], "language": "en"},
    )
    migration = ScopeConfigMigration.objects.get()

    shown = {
        "integration list": operator_browser.get("/dashboard/"),
        "integration list, searched": operator_browser.get("/dashboard/", {"q": MARKUP}),
        "integration page": operator_browser.get(detail),
        "relink created": relinked,
        "scope config list": operator_browser.get("/dashboard/scope-configs/"),
        "scope config editor": operator_browser.get(f"/dashboard/scope-configs/{scope.pk}/"),
        "migration created": migration_created,
        "migration progress": operator_browser.get(
            f"/dashboard/scope-configs/migrations/{migration.pk}/"
        ),
        "migration page": operator_browser.get(f"/dashboard/scope-configs/{scope.pk}/migrate/"),
        "sandbox HR control": operator_browser.get("/dashboard/sandbox-hr/"),
        "webhook endpoints": operator_browser.get("/dashboard/webhooks/"),
        "deliveries": operator_browser.get("/dashboard/webhooks/deliveries/"),
        "delivery": operator_browser.get(f"/dashboard/webhooks/deliveries/{delivery.pk}/"),
        "admin integration": operator_browser.get(
            f"/admin/integrations/integration/{integration.pk}/change/"
        ),
        "admin integrations": operator_browser.get("/admin/integrations/integration/"),
        "hosted relink form": Client().get(_path(_relink(integration))),
        "hosted connect form": Client().get(_path(connect_url), {"tool": "sandbox"}),
        "tool picker": Client().get(_path(connect_url)),
    }
    # The embedded flow ends by handing its activation token to the parent window from a
    # script: the only script data on these pages, and it is JSON-encoded by json_script.
    embedded_done = Client().post(_path(connect_url), {"tool": "sandbox", "api_key": raw_key})
    done_html = embedded_done.content.decode()
    assert "You're done" in done_html
    assert_no_raw_markup(done_html)
    assert re.search(
        r'<script id="activation-token" type="application/json">"[A-Za-z0-9_-]{43}"</script>',
        done_html,
    )
    # The request log shows the path and the X-Integration-Id header a client sent.
    shown_elsewhere = {"request logs": operator_browser.get("/dashboard/logs/")}

    for page, response in {**shown, **shown_elsewhere}.items():
        assert response.status_code == 200, f"{page}: {response.status_code}"
    for page, response in shown.items():
        html = response.content.decode()
        try:
            assert_escaped(html)
        except AssertionError:
            pytest.fail(f"{page}: the payload is missing or not escaped")
    for page, response in shown_elsewhere.items():
        html = response.content.decode()
        assert_no_raw_markup(html)
        assert ESCAPED_SCRIPT in html, page
    assert key.name == MARKUP
    # The relink email and the migration's (when emailed) are plain text: they name no
    # end-user data, so nothing in them can be markup from the customer.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f'"{SCRIPT}"@acme.example']
    assert "\n" not in message.subject
    assert SCRIPT not in message.body
    assert "alert(1)" not in message.subject
