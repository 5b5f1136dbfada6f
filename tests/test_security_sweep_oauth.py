"""The security sweep for OAuth tools: after an OAuth story (the operator's app saved, a
customer connecting through Gusto's consent page, syncs, a refresh, the grant revoked, consent
denied, then a relink), no OAuth secret is anywhere it should not be.

Searched for: the operator's client secret, every access and refresh token, every
authorization code and every `state`, in every API response, page (dashboard and admin), log
line and webhook of the run; then in every text column of the database. RFC 6749 §10.3
("access token credentials ... MUST be kept confidential in transit and storage"), §10.4 (refresh
tokens likewise), §10.5 (authorization codes), §2.3.1 (the client secret is the client's
password); Gusto's guide says the same of its tokens. A state is handed out once, in our
redirect to the vendor; an activation token on the page finishing its embedded flow.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from core.models import Environment
from core.services import api_key_create
from integrations.models import Integration
from integrations.selectors.integrations import credentials_current
from integrations.services.oauth_flow import oauth_redirect_uri
from syncs.models import SyncState
from syncs.services import scheduler_tick
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.gusto import CLIENT_ID, CLIENT_SECRET, COMPANY_UUID, FakeGusto
from tests.support.oauth import token_made_due
from tests.support.processes import run_queued_syncs
from tests.support.receivers import receiving
from tests.support.sweep import (
    LogCapture,
    Story,
    Sweep,
    browse_everything,
    database_leaks,
    deliver_webhooks,
)
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _sync(integration: Integration) -> SyncState:
    Integration.objects.filter(pk=integration.pk).update(next_sync_at=integration.created_at)
    scheduler_tick()
    [sync] = run_queued_syncs()
    deliver_webhooks()
    return SyncState(sync.state)


def _tokens(sweep: Sweep, integration: Integration, name: str) -> None:
    stored = credentials_current(integration=integration)
    assert stored is not None
    sweep.secret(f"{name} access token", stored["access_token"])
    sweep.secret(f"{name} refresh token", stored["refresh_token"])


def _vendor_trip(
    story: Story, path: str, gusto: FakeGusto, name: str, *, allow: bool = True
) -> tuple[Client, str]:
    """Continue to Gusto, consent there, come back; returns the customer and our page."""
    customer = Client()
    story.page(path, client=customer, artifact=f"{name} link page")
    started = customer.post(path)
    story.sweep.response(f"{name} start", started)
    location = started["Location"]
    story.sweep.secret(f"{name} state", _query(location)["state"], handed_out_in=f"{name} start")
    # The customer's browser at the vendor: what it logs is not ours.
    logging.disable(logging.CRITICAL)
    try:
        back = gusto.consent(location, allow=allow)
    finally:
        logging.disable(logging.NOTSET)
    if allow:
        story.sweep.secret(f"{name} code", _query(back)["code"])
    parts = urlsplit(back)
    page = customer.get(f"{parts.path}?{parts.query}")
    story.sweep.response(f"{name} callback", page)
    assert page.status_code == 200
    return customer, page.content.decode()


def test_it_keeps_every_oauth_secret_out_of_everything_anyone_sees(
    fake_gusto: FakeGusto,
    environment: Environment,
    operator: object,
    captured_logs: LogCapture,
) -> None:
    sweep = Sweep()
    ScopeConfigFactory(environment=environment)
    _, raw_api_key = api_key_create(environment=environment, name="backend")
    operator_browser = Client()
    operator_browser.force_login(operator)  # type: ignore[arg-type]
    with receiving() as receiver:
        _, webhook_secret = endpoint_create(
            environment_id=environment.pk,
            url=receiver.url,
            event_types=["integration-state-changed", "connection-flow-failed", "sync-finished"],
        )
        receiver.secrets.append(webhook_secret)
        story = Story(
            sweep, Client(HTTP_AUTHORIZATION=f"Bearer {raw_api_key}"), operator_browser, receiver
        )
        integration = _connect_sync_revoke_relink(story, fake_gusto)
        browse_everything(story, integration)
        story.page("/dashboard/oauth-apps/")
    sweep.collect(receiver=receiver, logs=captured_logs)

    assert receiver.received, "no webhook was delivered"
    assert sweep.unseen_hand_outs() == []
    assert sweep.leaks() == [], "\n".join(sweep.leaks())
    assert database_leaks(sweep) == []


def _connect_sync_revoke_relink(story: Story, gusto: FakeGusto) -> Integration:
    sweep = story.sweep
    story.page(
        "/dashboard/oauth-apps/",
        method="post",
        data={"tool": "gusto", "gusto-client_id": CLIENT_ID, "gusto-client_secret": CLIENT_SECRET},
        artifact="OAuth app saved",
    )
    sweep.secret("Gusto client secret", CLIENT_SECRET)
    gusto.redirect_uris = [oauth_redirect_uri()]

    connect_url = story.api(
        "POST",
        "/api/v1/connect/create-link",
        body={
            "end_user_email": "it@initech.example",
            "end_user_organization_name": "Initech",
            "integration_tool": "gusto",
            "link_type": "EMBEDDED",
        },
        artifact="API create connect link",
    )["data"]["link"]
    customer, _ = _vendor_trip(story, urlsplit(connect_url).path, gusto, "connect")
    # The link's page in the operator's iframe asks how the popup's trip ended.
    trip = story.sweep.response(
        "connect trip", customer.get(urlsplit(connect_url).path + "/oauth-trip")
    )
    activation_token = trip.json()["activation_token"]
    sweep.secret("activation token", activation_token, handed_out_in="connect trip")
    integration_id = story.api("GET", f"/api/v1/connect/integration-by-token/{activation_token}")[
        "data"
    ]["id"]
    integration = Integration.objects.get(pk=integration_id)
    _tokens(sweep, integration, "first")

    assert _sync(integration) == SyncState.SUCCEEDED
    story.api("GET", "/api/v1/hris/employees", HTTP_X_INTEGRATION_ID=integration.pk)
    token_made_due(integration, gusto)
    assert _sync(integration) == SyncState.SUCCEEDED
    _tokens(sweep, integration, "refreshed")

    gusto.revoke_grant(COMPANY_UUID)
    token_made_due(integration, gusto)
    story.api("POST", f"/api/v1/integrations/{integration.pk}/check-auth")
    assert _sync(integration) == SyncState.AUTHENTICATION_FAILED

    relink_url = story.api(
        "POST",
        f"/api/v1/integrations/{integration.pk}/relink",
        body={"link_type": "MAGIC_LINK", "language": "en"},
        artifact="API create relink link",
    )["data"]["link"]
    path = urlsplit(relink_url).path
    _vendor_trip(story, path, gusto, "denied relink", allow=False)
    _, page = _vendor_trip(story, path, gusto, "relink")
    assert "You're done" in page
    _tokens(sweep, integration, "relinked")
    assert _sync(integration) == SyncState.SUCCEEDED
    return integration


def test_it_keeps_codes_and_states_out_of_the_access_logs() -> None:
    """The vendor sends the customer back with both in the query string (RFC 6749 §4.1.2):
    the development server's and gunicorn's access lines are redacted by the same rule."""
    code, state = "SplxlOBeZQQYbYS6WxSbIA", "xyzABC-123_state"
    access_log = logging.getLogger("django.server")
    capture = LogCapture()
    access_log.addHandler(capture)
    try:
        access_log.info(
            '"GET /connect/oauth/callback?code=%s&state=%s HTTP/1.1" 200 812', code, state
        )
        access_log.info(
            '"GET /connect/oauth/callback?error=access_denied&state=%s HTTP/1.1" 200 90', state
        )
    finally:
        access_log.removeHandler(capture)

    assert capture.lines[0].endswith(
        '"GET /connect/oauth/callback?code=[token]&state=[token] HTTP/1.1" 200 812'
    )
    assert capture.lines[1].endswith(
        '"GET /connect/oauth/callback?error=access_denied&state=[token] HTTP/1.1" 200 90'
    )
