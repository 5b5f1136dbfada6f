"""gunicorn's access log, with the shipped config, never holds a link or activation token:
the hosted form's path (`/connect/<token>`), the activation-token exchange
(`/api/v1/connect/integration-by-token/<token>`, Kombo's `GET /connect/integration-by-token/
{token}`) and the referer of the form's assets show a redaction marker instead.

A real gunicorn process (its default access log format, gunicorn's docs: `%(h)s %(l)s %(u)s
%(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"`), real HTTP requests, the log file read back.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import requests

from tests.support.processes import gunicorn_server, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_redacts_link_and_activation_tokens_from_the_access_log(tmp_path: Path) -> None:
    # Shaped as the site issues them: `secrets.token_urlsafe(32)`.
    link_token = secrets.token_urlsafe(32)
    activation_token = secrets.token_urlsafe(32)

    with gunicorn_server(workdir=tmp_path) as server:
        form = requests.get(f"{server.url}/connect/{link_token}", timeout=30)
        exchange = requests.get(
            f"{server.url}/api/v1/connect/integration-by-token/{activation_token}", timeout=30
        )
        stylesheet = requests.get(
            f"{server.url}/static/css/app.css",
            headers={"Referer": f"{server.url}/connect/{link_token}"},
            timeout=30,
        )
        expected = [
            '"GET /connect/[token] HTTP/1.1" 404',
            '"GET /api/v1/connect/integration-by-token/[token] HTTP/1.1" 401',
            '"GET /static/css/app.css HTTP/1.1" 200',
            f'"{server.url}/connect/[token]" "python-requests/',
        ]
        wait_for(
            lambda: f"the access log lines, got {server.access_log.read_text()!r}",
            lambda: all(line in server.access_log.read_text() for line in expected),
            timeout=30,
        )

    assert (form.status_code, exchange.status_code, stylesheet.status_code) == (404, 401, 200)
    log = server.access_log.read_text() + server.error_log.read_text()
    assert link_token not in log
    assert activation_token not in log


def test_it_redacts_the_oauth_code_and_state_from_the_access_log(tmp_path: Path) -> None:
    """The vendor sends the customer back with both in the query string (RFC 6749 §4.1.2),
    which the request line (`%(r)s`) and the query atom (`%(q)s`) carry."""
    code, state = secrets.token_urlsafe(24), secrets.token_urlsafe(32)

    with gunicorn_server(workdir=tmp_path) as server:
        back = requests.get(
            f"{server.url}/connect/oauth/callback?code={code}&state={state}", timeout=30
        )
        wait_for(
            lambda: f"the access log line, got {server.access_log.read_text()!r}",
            lambda: (
                "/connect/oauth/callback?code=[token]&state=[token]"
                in server.access_log.read_text()
            ),
            timeout=30,
        )

    assert back.status_code == 404
    log = server.access_log.read_text() + server.error_log.read_text()
    assert code not in log
    assert state not in log
