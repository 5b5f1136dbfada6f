"""The site's logging as `LOG_FORMAT` configures it (kombo_site.logging_config), its handlers
writing into a buffer the test reads back line by line."""

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
def site_logs(log_format: str) -> Iterator[Callable[[], list[str]]]:
    """Yields a function returning every line written so far."""
    stream = io.StringIO()
    config = logging_config(log_format=log_format, level="INFO")
    for handler in config["handlers"].values():
        handler["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        logging.config.dictConfig(settings.LOGGING)


@contextmanager
def json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """`LOG_FORMAT=json`: every line parsed with json.loads (a line that is not one JSON
    object fails the test)."""
    with site_logs("json") as lines:

        def parsed() -> list[dict[str, Any]]:
            objects = [json.loads(line) for line in lines()]
            assert all(isinstance(line, dict) for line in objects)
            return objects

        yield parsed
