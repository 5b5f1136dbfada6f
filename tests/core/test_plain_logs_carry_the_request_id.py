"""Plain log lines (LOG_FORMAT=plain, the default) end with the same ids the JSON ones carry,
in brackets, so an operator reading them can follow one request: the id comes from the
`X-Request-ID` header when it is a sane token, and the response carries it back."""

from __future__ import annotations

import logging
import threading

import pytest
from django.test import Client

from tests.support.logs import site_logs

pytestmark = pytest.mark.django_db


def test_it_ends_a_plain_line_with_the_request_and_integration_ids(client: Client) -> None:
    with site_logs("plain") as lines:
        client.get(
            "/api/v1/hris/employees",
            HTTP_X_REQUEST_ID="plain-42",
            HTTP_X_INTEGRATION_ID="personio:xyz",
        )

    request_lines = [line for line in lines() if " django.request " in line]
    assert request_lines, lines()
    assert request_lines[0].endswith(" [request_id=plain-42 integration_id=personio:xyz]")


def test_it_adds_nothing_outside_a_request_or_task() -> None:
    # A thread of its own starts with an empty context, as a server's or worker's does.
    thread = threading.Thread(
        target=lambda: logging.getLogger("kombo.anywhere").info("Nothing to relate to")
    )
    with site_logs("plain") as lines:
        thread.start()
        thread.join()

    (line,) = [line for line in lines() if "kombo.anywhere" in line]
    assert line.endswith(" INFO kombo.anywhere Nothing to relate to")
