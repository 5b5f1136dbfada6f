"""What the fake OAuth vendors (Deel, Gusto) do alike: RFC 6749's shapes on the wire, and a
signed-in admin's browser on their consent pages.

Each vendor keeps in its own module what its docs make different: paths, client
authentication, code and refresh token rules, error wording, and its pages' look.
"""

from __future__ import annotations

import html
import json
import socket
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from werkzeug.wrappers import Request, Response

from tests.support.fakes.server import FakeVendor


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers or {}, content_type="application/json"
    )


def oauth_error(
    error: str,
    *,
    status: int = 400,
    description: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """A token endpoint error (RFC 6749 §5.2): JSON `error` and `error_description`, never
    cached."""
    body = {"error": error}
    if description:
        body["error_description"] = description
    return json_response(
        body, status=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )


def redirect_back(redirect_uri: str, params: dict[str, str]) -> Response:
    """The authorization response (RFC 6749 §4.1.2): back to the client, `params` added to the
    redirect URI's query."""
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return Response(
        status=302, headers={"Location": f"{redirect_uri}{separator}{urlencode(params)}"}
    )


def drop_connection(request: Request) -> None:
    """Close the connection before any status line: a client sees its request fail without
    an answer, though the server did the work."""
    request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)


def consent_form(
    *,
    action: str,
    hidden: dict[str, str],
    company_label: str,
    companies: Iterable[tuple[str, str]],
    app_name: str,
    scopes: Iterable[str],
) -> str:
    """The consent form: which company, what the app may do, Allow or Deny, posted to
    `action` with the authorization request's parameters."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in hidden.items()
    )
    options = "".join(
        f'<option value="{html.escape(value)}">{html.escape(label)}</option>'
        for value, label in companies
    )
    items = "".join(f"<li>{html.escape(scope)}</li>" for scope in scopes)
    return (
        f'<form method="post" action="{html.escape(action)}">{inputs}'
        f'<label for="company">{html.escape(company_label)}</label>'
        f'<select id="company" name="company">{options}</select>'
        f"<p>{html.escape(app_name)} will be able to:</p><ul>{items}</ul>"
        '<button type="submit" name="decision" value="allow">Allow</button> '
        '<button type="submit" name="decision" value="deny">Deny</button>'
        "</form>"
    )


class ConsentPageError(AssertionError):
    """The consent page did not show a form, or the form was not answered with a redirect."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}: {text[:200]}")
        self.status = status
        self.text = text


class _ConsentForm(HTMLParser):
    """The consent page's form, read like a browser: action, hidden fields, companies."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}
        self.companies: list[str] = []
        self._in_select = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("type") == "hidden":
            self.hidden[values.get("name", "")] = values.get("value", "")
        elif tag == "select" and values.get("name") == "company":
            self._in_select = True
        elif tag == "option" and self._in_select:
            self.companies.append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._in_select = False


class FakeOAuthVendor(FakeVendor):
    """A fake vendor with an OAuth consent page, as a signed-in admin's browser sees it."""

    def consent(self, authorize_url: str, *, company: str | None = None, allow: bool = True) -> str:
        """Open the consent page and submit it as the signed-in admin would: pick the company
        (the first offered by default), click Allow or Deny. Returns the redirect's `Location`
        (the callback with a code, or an error)."""
        page = requests.get(authorize_url, allow_redirects=False, timeout=10)
        if page.is_redirect:
            return str(page.headers["Location"])
        if page.status_code != 200:
            raise ConsentPageError(page.status_code, page.text)
        form = _ConsentForm()
        form.feed(page.text)
        fields = {
            **form.hidden,
            "company": company or form.companies[0],
            "decision": "allow" if allow else "deny",
        }
        answer = requests.post(
            urljoin(authorize_url, form.action), data=fields, allow_redirects=False, timeout=10
        )
        if not answer.is_redirect:
            raise ConsentPageError(answer.status_code, answer.text)
        return str(answer.headers["Location"])
