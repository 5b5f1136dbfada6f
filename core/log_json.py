"""JSON lines (`LOG_FORMAT=json`), through python-json-logger.

One object per line: `time`, `level`, `logger`, `message`, the context `LogContextFilter`
copied on (`request_id`, `task_id`, `task_name`, `integration_id`), `status_code` when Django
logged one, `exc_info` for tracebacks. Nothing else a record carries is written: Django's
`django.request` and `django.server` records hold the request object, whose text is the URL
with any link token in it, and python-json-logger would write every such extra as text.
Every string written goes through the same redaction as Django's loggers (core.redaction).
"""

from __future__ import annotations

from typing import Any

from pythonjsonlogger.json import JsonFormatter

from core.log_context import CONTEXT_FIELDS
from core.redaction import path_redacted

_WRITTEN = frozenset(
    {"time", "level", "logger", "message", "exc_info", "stack_info", "status_code", *CONTEXT_FIELDS}
)


class JsonLogFormatter(JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {
            key: path_redacted(value) if isinstance(value, str) else value
            for key, value in log_data.items()
            if key in _WRITTEN
        }
