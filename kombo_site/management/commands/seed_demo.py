from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from core.services import environment_get_or_create
from kombo_site.demo.customers import OPERATOR_USERNAME, demo_seed
from kombo_site.demo.oauth import demo_oauth_app_ensure, demo_oauth_customer_connect
from kombo_site.demo.week import demo_history_seed
from sandbox_hr.demo_data.logins import demo_logins_text
from sandbox_hr.services import sandbox_demo_logins_create
from webhooks.demo import demo_webhook_endpoint_seed


class Command(BaseCommand):
    help = (
        "Seed the demo data once (operator login, API key, sandbox HR, integrations and the "
        "week of syncs behind them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=None,
            help="Where the site will be served (default: BASE_URL): the demo OAuth app's "
            "redirect URI is registered at Sandbox HR for it.",
        )

    def handle(self, *args: Any, base_url: str | None = None, **options: Any) -> None:
        base_url = (base_url or settings.BASE_URL).rstrip("/")
        now = timezone.now()
        with transaction.atomic():
            result = demo_seed(now=now)
            syncs = 0
            if result.created:
                syncs = demo_history_seed(integrations=result.integrations, now=now)
                demo_oauth_customer_connect(
                    environment_id=result.environment_id, base_url=base_url, now=now
                )
                # Set up now, after the week: the inspector receives what happens from here
                # on, not a week of past events at once.
                demo_webhook_endpoint_seed(result.environment_id)
            else:
                demo_oauth_app_ensure(
                    environment_id=environment_get_or_create(name="production").pk,
                    base_url=base_url,
                )
            sandbox_logins = sandbox_demo_logins_create()
        if sandbox_logins:
            self.stdout.write(
                self.style.WARNING(demo_logins_text(sandbox_logins, base_url=base_url))
            )
        if not result.created:
            self.stdout.write("Demo data already present; nothing seeded.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(result.integrations) + 1} integrations (one through Sandbox "
                f"HR's OAuth consent) and {syncs} past syncs."
            )
        )
        if result.operator_password:
            self.stdout.write(
                self.style.WARNING(
                    "Operator login (shown once, write it down):\n"
                    f"    URL:      {settings.BASE_URL}/accounts/login/\n"
                    f"    username: {OPERATOR_USERNAME}\n"
                    f"    password: {result.operator_password}"
                )
            )
        if result.api_key:
            self.stdout.write(
                self.style.WARNING(
                    f"API key for the production environment (shown once):\n    {result.api_key}"
                )
            )
