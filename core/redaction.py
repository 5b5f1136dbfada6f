"""Link and activation tokens travel in URL paths (`/connect/<token>`,
`/api/v1/connect/integration-by-token/<token>`), and OAuth vendors send the customer back with
an authorization code and our `state` in the query string (`/connect/oauth/callback?code=&state=`,
RFC 6749 §4.1.2): they are credentials of sorts, so paths are redacted before they are logged
or stored."""

from __future__ import annotations

import logging
import re

# Tokens are `secrets.token_urlsafe(32)` (43 characters). The lookahead keeps the endpoint's
# own name from passing for a token, so redacting twice changes nothing more.
_TOKEN_IN_PATH = re.compile(
    r"(/connect/(?:integration-by-token/)?)(?!integration-by-token/)[A-Za-z0-9_-]{20,}"
)
# A code is worth tokens until it is used; a state lets its holder finish a trip.
# At the start of a string too: gunicorn's `%(q)s` atom is the bare query string.
_OAUTH_SECRET_IN_QUERY = re.compile(r"((?:^|[?&])(?:code|state)=)(?!\[token\])[^&#\s\"']+")
REDACTED = "[token]"


def path_redacted(path: str) -> str:
    return _OAUTH_SECRET_IN_QUERY.sub(
        rf"\g<1>{REDACTED}", _TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", path)
    )


class LinkTokensRedacted(logging.Filter):
    """For loggers that write request paths (Django's `django.request`, `django.server`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = path_redacted(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
