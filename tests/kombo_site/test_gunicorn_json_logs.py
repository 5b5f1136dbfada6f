"""With LOG_FORMAT=json and the shipped gunicorn config, gunicorn's own logs are JSON lines
too (one object per line, python-json-logger): an access line carries the request id the site
answered with in `X-Request-ID`, and link tokens stay redacted as in the plain access log.

A real gunicorn process, real HTTP requests, its log files read back and parsed line by line.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
import requests

from tests.support.processes import gunicorn_server, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_it_writes_json_access_lines_with_the_request_id(tmp_path: Path) -> None:
    token = secrets.token_urlsafe(32)

    with gunicorn_server(workdir=tmp_path, env={"LOG_FORMAT": "json"}) as server:
        response = requests.get(
            f"{server.url}/connect/{token}", headers={"X-Request-ID": "gunicorn-1"}, timeout=30
        )
        wait_for(
            lambda: f"the access line, got {server.access_log.read_text()!r}",
            lambda: "gunicorn-1" in server.access_log.read_text(),
            timeout=30,
        )
        access = _lines(server.access_log)
        errors = _lines(server.error_log)

    assert response.headers["X-Request-ID"] == "gunicorn-1"
    (line,) = [line for line in access if line.get("request_id") == "gunicorn-1"]
    assert line["logger"] == "gunicorn.access"
    assert '"GET /connect/[token] HTTP/1.1" 404' in str(line["message"])
    assert errors, "gunicorn logs its start in the error log"
    assert all(line["logger"] == "gunicorn.error" for line in errors)
    assert token not in server.access_log.read_text() + server.error_log.read_text()
