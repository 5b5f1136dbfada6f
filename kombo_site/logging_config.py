"""The `LOGGING` dictionary, for Django (settings), gunicorn (gunicorn_conf) and the tests.

`LOG_FORMAT=plain` (the default) writes lines for people; `json` writes one JSON object per
line for log pipelines (core.log_json). Either way every handler carries the request, task and
integration ids (core.log_context), and link tokens are redacted (core.redaction).
"""

from __future__ import annotations

from typing import Any

LOG_FORMATS = ("plain", "json")


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    json_lines = log_format == "json"
    # On the handlers, not the loggers: a logger's filters skip records propagated to it.
    handler_filters = ["log_context", "link_tokens_redacted"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "link_tokens_redacted": {"()": "core.redaction.LinkTokensRedacted"},
            "log_context": {"()": "core.log_context.LogContextFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s"},
            "json": {"()": "core.log_json.JsonLogFormatter"},
            # Django's own format for the development server's access log.
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "plain",
                "filters": handler_filters,
            },
            "django.server": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "django.server",
                "filters": handler_filters,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # A failing check is named in /readyz's answer; a warning with a traceback for each
            # probe, every few seconds while a worker is away, would drown the log.
            "health_check": {"level": "ERROR"},
            # Both log request paths, and the hosted form's paths carry link tokens.
            "django.request": {"filters": ["link_tokens_redacted"]},
            "django.server": {
                "handlers": ["django.server"],
                "level": "INFO",
                "propagate": False,
                "filters": ["link_tokens_redacted"],
            },
        },
    }
