from __future__ import annotations

from django.apps import AppConfig


class SyncsConfig(AppConfig):
    name = "syncs"

    def ready(self) -> None:
        # Imported here: models are not loaded before `ready`.
        from integrations.selectors.integrations import held_employees_lookup_register
        from syncs.selectors.hris import employees_held

        held_employees_lookup_register(employees_held)
