"""Reads for the OAuth apps page: for one environment, each OAuth tool's app and where it comes
from. Never the client secret: it is not even loaded.

Two queries, whatever the number of environments, tools or apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings

from core.crypto import decrypt_json
from core.models import Environment
from integrations.models import OAuthApp
from integrations.tools import TOOLS, tool_get
from integrations.tools.base import Tool
from integrations.tools.oauth import OAuthClient


class OAuthAppSource(StrEnum):
    """Where the app a tool's connections use comes from; the dashboard's row wins
    (`oauth_client_for`)."""

    SAVED = "saved"
    ENVIRONMENT_VARIABLE = "environment_variable"
    MISSING = "missing"


@dataclass(frozen=True)
class OAuthAppRow:
    tool: Tool
    source: OAuthAppSource
    # Public: the vendor shows it to the customer on its consent page.
    client_id: str
    updated_at: datetime | None
    # Whether the process environment has an app too (the saved one overrides it).
    has_environment_variable: bool

    @property
    def client_id_variable(self) -> str:
        return oauth_client_id_variable(self.tool.id)


def oauth_client_id_variable(tool_id: str) -> str:
    """The environment variable kombo_site/settings.py reads the tool's client id from."""
    return f"OAUTH_{tool_id.upper()}_CLIENT_ID"


def oauth_tools() -> list[Tool]:
    return [tool for tool in TOOLS.values() if tool.oauth is not None]


def oauth_environments() -> list[Environment]:
    return list(Environment.objects.order_by("name"))


def oauth_app_rows(*, environment: Environment) -> list[OAuthAppRow]:
    """Every OAuth tool, in the registry's order, with the environment's app for it."""
    saved = {
        app.tool: app
        for app in OAuthApp.objects.filter(environment=environment).only(
            "tool", "client_id", "updated_at"
        )
    }
    rows = []
    for tool in oauth_tools():
        from_variable = settings.OAUTH_CLIENTS.get(tool.id)
        app = saved.get(tool.id)
        if app is not None:
            source, client_id, updated_at = OAuthAppSource.SAVED, app.client_id, app.updated_at
        elif from_variable is not None:
            source, client_id, updated_at = (
                OAuthAppSource.ENVIRONMENT_VARIABLE,
                from_variable[0],
                None,
            )
        else:
            source, client_id, updated_at = OAuthAppSource.MISSING, "", None
        rows.append(
            OAuthAppRow(
                tool=tool,
                source=source,
                client_id=client_id,
                updated_at=updated_at,
                has_environment_variable=from_variable is not None,
            )
        )
    return rows


class OAuthAppMissingError(LookupError):
    """No OAuth app is configured for this tool in this environment."""


def oauth_client_for(*, environment_id: str, tool_id: str) -> OAuthClient:
    """The operator's app for the tool: the environment's own (dashboard), else the one from
    the process environment (`OAUTH_<TOOL>_CLIENT_ID`)."""
    app = OAuthApp.objects.filter(environment_id=environment_id, tool=tool_id).first()
    if app is not None:
        return OAuthClient(
            client_id=app.client_id,
            client_secret=decrypt_json(app.client_secret_encrypted)["client_secret"],
        )
    configured = settings.OAUTH_CLIENTS.get(tool_id)
    if configured is None:
        raise OAuthAppMissingError(
            f"No OAuth app is configured for {tool_get(tool_id).label} in this environment."
        )
    return OAuthClient(client_id=configured[0], client_secret=configured[1])
