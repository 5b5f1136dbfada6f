"""The Django admin names our models in plain English plurals.

Django makes a plural by adding "s", which English spells otherwise after a consonant and "y":
one delivery, two deliveries (any English dictionary; Django's docs on `verbose_name_plural`).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client

pytestmark = pytest.mark.django_db

OUR_APPS = {"integrations", "sandbox_hr", "syncs", "webhooks"}


def test_it_lists_webhook_deliveries_in_the_admin(operator_client: Client) -> None:
    index = operator_client.get("/admin/").content.decode()

    assert "Webhook deliveries" in index
    assert "deliverys" not in index.lower()


def test_it_spells_every_plural_of_ours_as_english_does() -> None:
    misspelled = [
        f"{model._meta.label}: {model._meta.verbose_name_plural}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and re.search(r"[^aeiou]ys$", str(model._meta.verbose_name_plural))
    ]

    assert misspelled == []
