"""Regenerate the README's dashboard screenshot (`make screenshot`).

    .venv/bin/python docs/screenshot.py [--output PATH]

Builds a throw-away site in a temporary directory (SQLite database, migrated, seeded with the
demo by `manage.py seed_demo`), serves it with `manage.py runserver` on a free port, signs in as
the demo operator in Debian's headless Chromium and photographs the integrations list at
1280x800. Nothing outside the temporary directory and the output file is touched, so the picture
is the same on every machine and never shows anyone's real data.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

REPO = Path(__file__).resolve().parent.parent
MANAGE = REPO / "manage.py"
DEFAULT_OUTPUT = REPO / "docs" / "dashboard.png"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# As in tests/support/browser.py: Chromium as root in a container, with no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 60
COMMAND_SECONDS = 300
# Settings the caller's environment may set that would point the throw-away site at real
# services (a developer's PostgreSQL or Redis, a test run's settings module).
_INHERITED_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    "SANDBOX_HR_URL",
    "ALLOWED_HOSTS",
)


class ScreenshotError(Exception):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _site_environment(directory: Path, base_url: str) -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if name not in _INHERITED_SETTINGS
    }
    # An empty file, so a developer's `.env` (secrets, database) isn't read.
    env_file = directory / ".env"
    env_file.write_text("")
    environment.update(
        DJANGO_SETTINGS_MODULE="kombo_site.settings",
        ENV_FILE=str(env_file),
        DEBUG="true",
        VAR_DIR=str(directory),
        DATABASE_URL=f"sqlite:///{directory / 'kombo.sqlite3'}",
        BASE_URL=base_url,
    )
    return environment


def _manage(environment: dict[str, str], *arguments: str) -> str:
    completed = subprocess.run(  # noqa: S603 - fixed arguments, nothing from user input
        [sys.executable, str(MANAGE), *arguments, "--no-color"],
        env=environment,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise ScreenshotError(
            f"manage.py {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}"
        )
    return completed.stdout


def _operator_password(seed_output: str) -> str:
    match = re.search(r"^\s*password:\s*(\S+)\s*$", seed_output, re.MULTILINE)
    if match is None:
        raise ScreenshotError(f"seed_demo printed no operator login:\n{seed_output}")
    return match.group(1)


def _wait_until_serving(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScreenshotError(f"runserver exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise ScreenshotError(f"runserver did not answer {url} in time:\n{log.read_text()}")


@contextmanager
def _server(environment: dict[str, str], port: int, log: Path) -> Iterator[str]:
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - fixed arguments, nothing from user input
            [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=environment,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(server, f"{base_url}/accounts/login/", log)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _photograph(base_url: str, password: str, output: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise ScreenshotError("Chromium not found: install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            page.set_default_timeout(15_000)
            page.goto(f"{base_url}/accounts/login/?next=/dashboard/")
            page.get_by_label("Username").fill("operator")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Integrations", exact=True).wait_for()
            page.wait_for_load_state("networkidle")
            # The focus ring a click may leave behind is not part of the picture.
            page.evaluate("document.activeElement && document.activeElement.blur()")
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output), animations="disabled", caret="hide")
        finally:
            browser.close()


def screenshot_take(*, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="kombo-screenshot-") as temporary:
        directory = Path(temporary)
        port = _free_port()
        environment = _site_environment(directory, f"http://127.0.0.1:{port}")
        _manage(environment, "migrate", "--noinput")
        password = _operator_password(_manage(environment, "seed_demo"))
        with _server(environment, port, directory / "runserver.log") as base_url:
            _photograph(base_url, password, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}"
    )
    arguments = parser.parse_args(argv)
    try:
        screenshot_take(output=arguments.output)
    except ScreenshotError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
