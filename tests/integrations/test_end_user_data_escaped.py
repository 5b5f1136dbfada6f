"""Organisation names, emails, origin ids, scope config names, endpoint descriptions and account
names full of markup come out escaped on every page and in emails."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from core.models import Environment
from integrations.models import LinkType, ScopeConfigMigration
from integrations.services import connect_link_create, integration_record_auth_result
from integrations.tools.base import AuthResult
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, IntegrationFactory, ScopeConfigFactory
from tests.support.hostile import ESCAPED_IMG, ESCAPED_SCRIPT, MARKUP, SCRIPT
from tests.support.relink import OPERATOR, hosted_form_path, relink_url
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)


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
        "hosted relink form": Client().get(hosted_form_path(relink_url(integration))),
        "hosted connect form": Client().get(hosted_form_path(connect_url), {"tool": "sandbox"}),
        "tool picker": Client().get(hosted_form_path(connect_url)),
    }
    # The embedded flow ends by handing its activation token to the parent window from a
    # script: the only script data on these pages, and it is JSON-encoded by json_script.
    embedded_done = Client().post(
        hosted_form_path(connect_url), {"tool": "sandbox", "api_key": raw_key}
    )
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
