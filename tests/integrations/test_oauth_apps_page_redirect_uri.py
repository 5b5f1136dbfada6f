"""The OAuth apps page shows the redirect URI to register at each vendor, with a copy button.

RFC 6749 §3.1.2: the authorization server compares the redirect URI with the one registered
for the client, so the operator must register exactly the URI the site sends.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Environment
from integrations.tools import TOOLS

pytestmark = pytest.mark.django_db


@override_settings(BASE_URL="https://kombo.operator.example")
def test_it_shows_the_redirect_uri_to_register_for_every_oauth_tool(
    operator_client: Client, environment: Environment
) -> None:
    expected = f"{settings.BASE_URL}/connect/oauth/callback"

    page = operator_client.get(reverse("dashboard:oauth_app_list")).content.decode()

    oauth_tools = [tool for tool in TOOLS.values() if tool.oauth is not None]
    assert oauth_tools
    for tool in oauth_tools:
        shown = re.search(rf'<code id="redirect-uri-{tool.id}"[^>]*>(.+?)</code>', page)
        assert shown, tool.id
        # <wbr> only lets the line end after a separator; it is no text and is not copied.
        assert shown.group(1).replace("<wbr>", "") == expected
        assert f'data-copy-target="redirect-uri-{tool.id}"' in page
        assert tool.label in page
