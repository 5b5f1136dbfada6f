"""`manage.py check --deploy` is clean with the production environment the README documents.

Sources: Django's deployment checklist ("Run manage.py check --deploy ... against your
production settings file"), and the README's `production.env` block itself, read from the
README as an operator would copy it: the test fails when the README's settings stop passing
Django's checks, or when the block disappears.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"```sh\n# production\.env\n(?P<body>.*?)```", re.DOTALL)


def _production_env(tmp_path: Path) -> Path:
    match = BLOCK.search((ROOT / "README.md").read_text())
    assert match, "README.md has no production.env block"
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    lines = []
    for line in match["body"].splitlines():
        name, _, value = line.partition("=")
        if name in values:
            value = values[name]
        # Any other `<...>` stands for a secret of the operator's own making.
        lines.append(f"{name}={PLACEHOLDER.sub(lambda _: secrets.token_hex(16), value)}")
    assert not [line for line in lines if "<" in line], lines
    path = tmp_path / "production.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_it_passes_the_deploy_checks_with_the_documented_production_settings(
    tmp_path: Path,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH", "TMPDIR"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kombo_site.settings",
            "ENV_FILE": str(_production_env(tmp_path)),
            "VAR_DIR": str(tmp_path / "var"),
        }
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
