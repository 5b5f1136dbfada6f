"""Write `.env` for a local run on first start: DEBUG on and freshly generated secrets.

Runs before Django is configured (settings read `.env`), so it must not import Django. The
encryption key must stay stable across restarts, or the demo's stored credentials are lost.
"""

from __future__ import annotations

import base64
import secrets
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


def main() -> int:
    if ENV_FILE.exists():
        return 0
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    ENV_FILE.write_text(
        "# Written by `make run` for local use only. Production sets these in its environment.\n"
        "DEBUG=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"FIELD_ENCRYPTION_KEYS={fernet_key}\n"
    )
    ENV_FILE.chmod(0o600)
    print(f"Wrote {ENV_FILE.name} with generated local secrets.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
