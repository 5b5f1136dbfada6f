"""Hostile input on the hosted form.

Oversized values, NUL bytes, line breaks, RTL overrides and emoji, markup in every field,
posts without a CSRF token, replayed posts and credentials of another account: each gets a
clear answer (never a 500) and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from core.models import Environment
from integrations.models import CredentialVersion
from integrations.selectors.integrations import credentials_current
from integrations.services import integration_record_auth_result
from integrations.tools.base import AuthResult
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import (
    ALL_PERMISSIONS,
    IntegrationFactory,
    SandboxSetup,
    sandbox_integration,
)
from tests.support.fakes.personio import FakePersonio
from tests.support.hostile import ESCAPED_IMG, ESCAPED_SCRIPT, IMG, MARKUP, SCRIPT
from tests.support.relink import hosted_form_path, integration_snapshot, relink_url

pytestmark = pytest.mark.django_db(transaction=True)

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


@pytest.mark.parametrize(
    ("value", "answer"), [(HOSTILE_VALUES[k], ANSWERS[k]) for k in ANSWERS], ids=list(ANSWERS)
)
def test_it_refuses_a_hostile_value_in_every_posted_field_and_changes_nothing(
    sandbox_hr: None, environment: Environment, value: str, answer: str
) -> None:
    setup = _failing(environment)
    other = sandbox_integration(environment=environment)
    url = relink_url(setup.integration)
    before, other_before = (
        integration_snapshot(setup.integration),
        integration_snapshot(other.integration),
    )

    response = Client().post(
        hosted_form_path(url),
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
    assert integration_snapshot(setup.integration) == before
    assert integration_snapshot(other.integration) == other_before


def test_it_escapes_echoed_non_secret_fields_in_their_attribute(
    fake_personio: FakePersonio, environment: Environment
) -> None:
    credentials = fake_personio.credential_create()
    integration = IntegrationFactory(
        environment=environment, tool="personio", credentials=credentials, remote_account_id=""
    )
    url = relink_url(integration)
    before = integration_snapshot(integration)

    response = Client().post(hosted_form_path(url), {"client_id": MARKUP, "client_secret": MARKUP})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Personio did not accept these credentials" in html
    # The Client ID (not a secret) is filled in again, escaped inside its value="..."; the
    # secret is not echoed at all.
    assert f'value="{ESCAPED_SCRIPT}{ESCAPED_IMG}"' in html
    assert html.count(ESCAPED_SCRIPT) == 1
    assert_no_raw_markup(html)
    assert integration_snapshot(integration) == before


def test_it_refuses_a_body_over_the_upload_limit_without_a_server_error(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = _failing(environment)
    url = relink_url(setup.integration)
    before = integration_snapshot(setup.integration)

    response = Client().post(hosted_form_path(url), {"api_key": "sbx_" + "x" * 2_000_000})

    assert response.status_code == 400
    assert integration_snapshot(setup.integration) == before


def test_it_does_not_need_a_csrf_token_but_still_refuses_bad_values_and_changes_nothing(
    sandbox_hr: None, environment: Environment
) -> None:
    """The link token in the URL is what authorises a submission (an EMBEDDED form sits in
    the operator's cross-site iframe, where no CSRF cookie arrives); without a valid token a
    CSRF-less post changes nothing. Posts a browser marks as made by another website are
    refused outright (`test_hosted_form_forged_posts.py`)."""
    setup = _failing(environment)
    url = relink_url(setup.integration)
    before = integration_snapshot(setup.integration)
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post(hosted_form_path(url), {"api_key": SCRIPT})
    forged = browser.post(hosted_form_path(url)[:-3] + "xyz", {"api_key": setup.raw_key})

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert forged.status_code == 404
    assert "This link can't be used" in forged.content.decode()
    assert integration_snapshot(setup.integration) == before


def test_it_answers_a_replayed_post_with_the_used_link_page_and_changes_nothing(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = _failing(environment)
    url = relink_url(setup.integration)
    _, new_key = sandbox_api_key_create(
        account=setup.account, name="new", permissions=ALL_PERMISSIONS
    )
    _, newer_key = sandbox_api_key_create(
        account=setup.account, name="newer", permissions=ALL_PERMISSIONS
    )
    browser = Client()

    done = browser.post(hosted_form_path(url), {"api_key": new_key})
    after_success = integration_snapshot(setup.integration)
    replayed = browser.post(hosted_form_path(url), {"api_key": new_key})
    replayed_other_key = Client().post(hosted_form_path(url), {"api_key": newer_key})

    assert "You're done" in done.content.decode()
    assert credentials_current(integration=setup.integration) == {"api_key": new_key}
    for answer in (replayed, replayed_other_key):
        assert answer.status_code == 404
        assert "This link can't be used" in answer.content.decode()
    assert integration_snapshot(setup.integration) == after_success


def test_it_never_lets_a_link_for_one_integration_touch_another(
    sandbox_hr: None, environment: Environment
) -> None:
    first = _failing(environment)
    second = _failing(environment)
    url = relink_url(first.integration)
    first_before, second_before = (
        integration_snapshot(first.integration),
        integration_snapshot(second.integration),
    )
    _, second_account_key = sandbox_api_key_create(
        account=second.account, name="second", permissions=ALL_PERMISSIONS
    )

    other_account = Client().post(
        hosted_form_path(url), {"api_key": second_account_key, "integration": second.integration.pk}
    )

    assert other_account.status_code == 200
    assert "These credentials belong to another Sandbox HR account." in (
        other_account.content.decode()
    )
    assert integration_snapshot(first.integration) == first_before
    assert integration_snapshot(second.integration) == second_before

    _, first_account_key = sandbox_api_key_create(
        account=first.account, name="first", permissions=ALL_PERMISSIONS
    )
    done = Client().post(
        hosted_form_path(url),
        {"api_key": first_account_key, "integration": second.integration.pk},
        HTTP_USER_AGENT="Mozilla/5.0\x00" + SCRIPT,
    )

    assert "You're done" in done.content.decode()
    assert credentials_current(integration=first.integration) == {"api_key": first_account_key}
    version = CredentialVersion.objects.filter(integration=first.integration).first()
    assert version is not None
    assert version.user_agent == "Mozilla/5.0" + SCRIPT
    assert integration_snapshot(second.integration) == second_before
