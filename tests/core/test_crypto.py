from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.crypto import CredentialDecryptionError, decrypt_json, encrypt_json
from integrations.actors import Actor
from integrations.models import LinkType, OAuthFlow
from integrations.selectors.integrations import credentials_current
from integrations.selectors.oauth_apps import oauth_client_for
from integrations.services import relink_link_create
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools.sandbox import SandboxOAuthTool
from tests.support.factories import IntegrationFactory

SECRET = "sbx_super_secret_value_123"


def _raw_payload(integration_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payload_encrypted FROM integrations_credentialversion "
            "WHERE integration_id = %s",
            [integration_id],
        )
        (payload,) = cursor.fetchone()
    return str(payload)


@pytest.mark.django_db
def test_it_stores_credentials_as_ciphertext() -> None:
    integration = IntegrationFactory(credentials={"api_key": SECRET})

    raw = _raw_payload(integration.pk)

    assert SECRET not in raw
    assert "api_key" not in raw
    assert credentials_current(integration=integration) == {"api_key": SECRET}


@pytest.mark.django_db
def test_it_decrypts_after_key_rotation() -> None:
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        integration = IntegrationFactory(credentials={"api_key": SECRET})
        before = _raw_payload(integration.pk)

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_encryption_keys")
        after = _raw_payload(integration.pk)
        assert after != before
        assert credentials_current(integration=integration) == {"api_key": SECRET}

    # After rotation the old key is no longer needed ...
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert credentials_current(integration=integration) == {"api_key": SECRET}
    # ... and it alone can no longer read the rows.
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[old_key]),
        pytest.raises(CredentialDecryptionError) as excinfo,
    ):
        credentials_current(integration=integration)
    assert SECRET not in str(excinfo.value)


@pytest.mark.django_db
def test_it_reencrypts_oauth_app_secrets_and_flow_verifiers() -> None:
    """RFC 6749 §2.3.1 and RFC 7636 §4.1: the client secret and the PKCE verifier are secrets
    too, so a rotated-out key must not be needed to read them either."""
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]):
        integration = IntegrationFactory()
        app = oauth_app_save(
            environment_id=integration.environment_id,
            tool_id=SandboxOAuthTool.id,
            client_id="app",
            client_secret=SECRET,
        )
        link, _ = relink_link_create(
            integration=integration,
            link_type=LinkType.EMBEDDED,
            language="en",
            actor=Actor.system("tests"),
        )
        flow = OAuthFlow.objects.create(
            link=link,
            tool=SandboxOAuthTool.id,
            state_hash="0" * 64,
            code_verifier_encrypted=encrypt_json({"code_verifier": "verifier"}),
            redirect_uri="https://kombo.example/connect/oauth/callback",
            expires_at=timezone.now() + timedelta(minutes=20),
        )

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_encryption_keys")

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        client = oauth_client_for(environment_id=integration.environment_id, tool_id=app.tool)
        assert client.client_secret == SECRET
        flow.refresh_from_db()
        assert decrypt_json(flow.code_verifier_encrypted) == {"code_verifier": "verifier"}
