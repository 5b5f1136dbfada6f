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
from tests.support.sandbox_hr import (
    RegisteredApp,
    code_grant,
    oauth_code_approved,
    pkce_pair,
    token_post,
    tokens_refreshed,
)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("admin")
def test_it_keeps_only_digests_of_every_secret(client: Client, registered: RegisteredApp) -> None:
    verifier, challenge = pkce_pair()
    code = oauth_code_approved(client, registered, scope=PERM_EMPLOYEES, code_challenge=challenge)
    first = token_post(client, registered, **code_grant(code, code_verifier=verifier)).json()
    second = tokens_refreshed(client, registered, first["refresh_token"])
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
