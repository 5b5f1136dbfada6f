"""The site's logging as `LOG_FORMAT=json` configures it (kombo_site.logging_config), its
handlers writing into a buffer the test reads back line by line."""

from __future__ import annotations

import io
import json
import logging.config
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from kombo_site.logging_config import logging_config


@contextmanager
def json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Yields a function returning every line written so far, each parsed with json.loads (a
    line that is not one JSON object fails the test)."""
    stream = io.StringIO()
    config = logging_config(log_format="json", level="INFO")
    for handler in config["handlers"].values():
        handler["stream"] = stream
    logging.config.dictConfig(config)

    def lines() -> list[dict[str, Any]]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return parsed

    try:
        yield lines
    finally:
        logging.config.dictConfig(settings.LOGGING)
