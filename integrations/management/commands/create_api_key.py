from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.models import Environment
from core.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an environment and print it once (only its hash is stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--environment", required=True, help="Environment name, e.g. production"
        )
        parser.add_argument("--name", default="API key", help="A label to recognise the key by")

    def handle(self, *args: Any, environment: str, name: str, **options: Any) -> None:
        env = Environment.objects.filter(name=environment).first()
        if env is None:
            known = ", ".join(Environment.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"No environment named {environment!r} (known: {known}).")
        api_key, raw_key = api_key_create(environment=env, name=name)
        self.stderr.write(
            f"Created API key {api_key.name!r} for {env.name}; it is shown only once:"
        )
        self.stdout.write(raw_key)
