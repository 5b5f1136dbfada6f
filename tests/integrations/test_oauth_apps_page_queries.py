"""The OAuth apps page costs the same number of queries however many environments and apps
exist.

Django's documentation ("Database access optimization"): fetch related rows in bulk rather
than one query per row.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Environment
from core.services import environment_get_or_create
from integrations.services.oauth_tokens import oauth_app_save
from integrations.tools import TOOLS

pytestmark = pytest.mark.django_db


def test_it_reads_the_page_with_a_constant_number_of_queries(
    operator_client: Client, environment: Environment
) -> None:
    url = reverse("dashboard:oauth_app_list")
    operator_client.get(url)
    with CaptureQueriesContext(connection) as few:
        operator_client.get(url)

    for number in range(6):
        other = environment_get_or_create(name=f"staging-{number}")
        for each in (environment, other):
            for tool in TOOLS.values():
                if tool.oauth is not None:
                    oauth_app_save(
                        environment_id=each.pk, tool_id=tool.id, client_id="id", client_secret="s"
                    )
    with CaptureQueriesContext(connection) as many:
        page = operator_client.get(url).content.decode()

    assert "Saved here" in page
    assert len(many.captured_queries) == len(few.captured_queries)
