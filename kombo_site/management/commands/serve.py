"""`make run`: migrate, seed the demo, then run the web server and one Celery worker with
embedded beat until Ctrl-C, which stops both cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

SHUTDOWN_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Run the whole product locally: web server + Celery worker with embedded beat."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-seed", action="store_true", help="Skip the demo data.")

    def handle(self, *args: Any, port: int, host: str, no_seed: bool, **options: Any) -> None:
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

        call_command("migrate", interactive=False, verbosity=0)
        base_url = os.environ.get("BASE_URL", f"http://{host}:{port}")
        if not no_seed:
            call_command("seed_demo", base_url=base_url, stdout=self.stdout)

        child_env = {**os.environ, "BASE_URL": base_url}
        commands = _commands(host=host, port=port)
        # Own sessions, so Ctrl-C reaches only us and we stop the children in order.
        children = {
            # Fixed argument lists (_commands); nothing comes from user input.
            name: subprocess.Popen(command, env=child_env, start_new_session=True)  # noqa: S603
            for name, command in commands.items()
        }
        broker = "Redis" if settings.CELERY_BROKER_URL.startswith("redis") else "filesystem"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            self.style.SUCCESS(
                f"\nkombo-site is running: dashboard {base_url}/dashboard/ · "
                f"API {base_url}/api/v1/docs/ · database {database} · Celery broker {broker}\n"
                "Press Ctrl-C to stop.\n"
            )
        )
        # Installed explicitly: a shell that backgrounds us leaves SIGINT ignored.
        signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        exit_code = 0
        try:
            while True:
                for name, child in children.items():
                    code = child.poll()
                    if code is not None:
                        self.stderr.write(f"The {name} process exited with code {code}; stopping.")
                        exit_code = code or 1
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping…")
        finally:
            _stop(list(children.values()))
        if exit_code:
            sys.exit(exit_code)


def _commands(*, host: str, port: int) -> dict[str, list[str]]:
    """The two processes of a local run: Django's development server, and one Celery worker
    with embedded beat that consumes every queue (production runs them apart)."""
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    return {
        "web": [sys.executable, manage, "runserver", f"{host}:{port}", "--noreload"],
        "worker": [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kombo_site",
            "worker",
            # Every queue: deliveries, syncs and the tick share this one local worker.
            "--queues",
            ",".join(queue.name for queue in settings.CELERY_TASK_QUEUES),
            "--beat",
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--hostname",
            "worker@%h",
        ],
    }


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
