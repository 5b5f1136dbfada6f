"""gunicorn's settings for serving the site: `gunicorn -c kombo_site/gunicorn_conf.py ...`.

Only what every deploy needs; workers, binding and log files stay on the command line (or in
`GUNICORN_CMD_ARGS`).

The access log: request lines, paths, referers (a page's assets are asked for with the hosted
form's URL) and headers carry link and activation tokens, so every atom is redacted by the
rule Django's own loggers use before gunicorn formats the line.

With `LOG_FORMAT=json` (read from the environment, as the site's settings do), gunicorn's error
and access logs are JSON lines too, in the site's format (core.log_json); an access line
carries the request's id (the `X-Request-ID` the site answered with).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from core.log_context import LogContextFilter, log_context_bind, log_context_reset, sane_id
from core.log_json import JsonLogFormatter
from core.redaction import path_redacted

JSON_LINES = os.environ.get("LOG_FORMAT", "plain") == "json"


class TokenRedactingLogger(Logger):
    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> dict[str, Any]:
        return {
            name: path_redacted(value) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if not JSON_LINES:
            return
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonLogFormatter())
                handler.addFilter(LogContextFilter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        # The site's middleware has reset its context by now: the id comes back from the answer.
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), None
        )
        token = log_context_bind(request_id=sane_id(request_id))
        try:
            super().access(resp, req, environ, request_time)
        finally:
            log_context_reset(token)


logger_class = TokenRedactingLogger


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exited (recycled, killed) hands back its live gauge files, as
    prometheus-client's multiprocess mode asks; its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Imported here, not at the top: prometheus-client picks its mode when first imported,
        # and the workers forked from this master must pick it after Django read `.env`.
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
