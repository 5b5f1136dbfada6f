from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from core.crypto import CredentialDecryptionError
from integrations.selectors.integrations import credentials_current
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
