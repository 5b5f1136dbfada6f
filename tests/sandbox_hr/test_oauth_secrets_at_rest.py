"""No OAuth secret is stored in clear: not the client secret, the code, or any access or refresh
token (RFC 6819 §5.1.4.1.3 "Store Secrets in Hashed Form"; §5.2.3.1 for client secrets)."""

from __future__ import annotations

import pytest
from django.core import serializers
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import (
    SandboxOAuthApp,
    SandboxOAuthCode,
    SandboxOAuthGrant,
    SandboxOAuthToken,
)
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import (
    REDIRECT_URI,
    oauth_app_registered,
    oauth_code_approved,
    pkce_pair,
    sandbox_sign_in,
    token_post,
)

pytestmark = pytest.mark.django_db


def test_it_keeps_only_digests_of_every_secret(client: Client) -> None:
    account = sandbox_account_create(name="Initech AG", employees=1, seed=3)
    sandbox_sign_in(client, SandboxUserFactory(account=account))
    registered = oauth_app_registered()
    verifier, challenge = pkce_pair()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES, code_challenge=challenge)
    first = token_post(
        client,
        registered,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    ).json()
    second = token_post(
        client, registered, grant_type="refresh_token", refresh_token=first["refresh_token"]
    ).json()
    secrets = [
        registered.client_secret,
        code,
        verifier,
        first["access_token"],
        first["refresh_token"],
        second["access_token"],
        second["refresh_token"],
    ]

    stored = serializers.serialize(
        "json",
        [
            *SandboxOAuthApp.objects.all(),
            *SandboxOAuthCode.objects.all(),
            *SandboxOAuthGrant.objects.all(),
            *SandboxOAuthToken.objects.all(),
        ],
    )

    assert SandboxOAuthToken.objects.count() == 2
    for secret in secrets:
        assert secret not in stored
        # Nor a recognisable piece of it.
        assert secret[-24:] not in stored
