"""Re-encrypt every stored credential, OAuth app secret and OAuth flow verifier, and every
webhook endpoint secret, with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put a new key first, deploy, run this, then drop the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from integrations.services import credentials_reencrypt_all
from webhooks.services import endpoint_secrets_reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt all stored credentials with the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        count = credentials_reencrypt_all(batch_size=batch_size)
        secrets = endpoint_secrets_reencrypt_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {count} credentials (versions, OAuth app secrets, OAuth flow "
                f"verifiers) and {secrets} webhook endpoint secrets."
            )
        )
