"""The tool registry: one connector class per HR system."""

from __future__ import annotations

from integrations.tools.bamboohr import BambooHrTool
from integrations.tools.base import Tool
from integrations.tools.deel import DeelTool
from integrations.tools.gusto import GustoTool
from integrations.tools.hibob import HiBobTool
from integrations.tools.personio import PersonioTool
from integrations.tools.sandbox import SandboxOAuthTool, SandboxTool


class UnknownToolError(LookupError):
    pass


TOOLS: dict[str, Tool] = {
    tool.id: tool
    for tool in (
        SandboxTool(),
        SandboxOAuthTool(),
        PersonioTool(),
        BambooHrTool(),
        HiBobTool(),
        GustoTool(),
        DeelTool(),
    )
}


def tool_get(tool_id: str) -> Tool:
    try:
        return TOOLS[tool_id]
    except KeyError:
        raise UnknownToolError(f"Unknown tool {tool_id!r}") from None


def tools_for_category(category: str) -> list[Tool]:
    return [tool for tool in TOOLS.values() if tool.category == category.upper()]
