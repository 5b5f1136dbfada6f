"""The README's dashboard screenshot comes from `docs/screenshot.py`: it builds its own demo site
and writes a 1280x800 PNG wherever it is told."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

SCRIPT = Path(settings.BASE_DIR) / "docs" / "screenshot.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which the PNG format puts first."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    length, chunk_type = struct.unpack(">I4s", header[8:16])
    assert chunk_type == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_it_writes_a_1280x800_png_of_the_dashboard(chromium_path: str, tmp_path: Path) -> None:
    output = tmp_path / "nested" / "dashboard.png"

    # A process of its own, as `make screenshot` runs it: the test run's settings module and
    # database in this environment must not leak into the throw-away site.
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"Wrote {output}" in completed.stdout
    assert _png_size(output) == (1280, 800)
