"""Sandbox HR's own sign-in session: a cookie of its own, sent only to `/sandbox-hr/`.

Sandbox HR stands for a vendor on another website. Its users are not Django users, and the
operator's session must neither sign anyone in here nor be opened by a Sandbox HR sign-in: they
are two cookies, so signing in or out of one leaves the other alone, and the browser never sends
this one to the dashboard. The data lives in Django's session engine (expiry, `clearsessions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import cast

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token

from sandbox_hr.models import SandboxUser
from sandbox_hr.selectors import user_get

COOKIE_NAME = "sandbox_hr_session"
COOKIE_PATH = "/sandbox-hr/"
SESSION_AGE = timedelta(hours=12)
_USER_ID = "sandbox_hr_user_id"
_NOTICE = "sandbox_hr_notice"


def _store(session_key: str | None = None) -> SessionBase:
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return store


def _cookie_key(request: HttpRequest) -> str | None:
    key = request.COOKIES.get(COOKIE_NAME, "")
    # Django's session keys are lower-case letters and digits; anything else never reaches the
    # session store (PostgreSQL refuses NUL characters in a query parameter).
    return key if key.isascii() and key.isalnum() else None


@dataclass
class SandboxSession:
    """A signed-in Sandbox HR user and their session's data."""

    user: SandboxUser
    store: SessionBase

    def notice_set(self, text: str) -> None:
        """A message for the next page this user sees (after a redirect)."""
        self.store[_NOTICE] = text

    def notice_pop(self) -> str | None:
        notice = self.store.pop(_NOTICE, None)
        return notice if isinstance(notice, str) else None

    def save_if_modified(self) -> None:
        if self.store.modified:
            self.store.save()


def session_open(request: HttpRequest) -> SandboxSession | None:
    """The Sandbox HR session the request's cookie points at, or None if signed out."""
    key = _cookie_key(request)
    if key is None:
        return None
    store = _store(key)
    user_id = store.get(_USER_ID)
    user = user_get(user_id=user_id) if isinstance(user_id, str) else None
    if user is None:
        return None
    return SandboxSession(user=user, store=store)


def session_start(*, request: HttpRequest, response: HttpResponse, user: SandboxUser) -> None:
    """Sign `user` in: a fresh session under a new key, whatever the browser sent before."""
    session_end(request=request, response=response)
    store = _store()
    store[_USER_ID] = user.pk
    store.set_expiry(SESSION_AGE)
    store.create()
    response.set_cookie(
        COOKIE_NAME,
        # create() has just chosen the key.
        cast(str, store.session_key),
        max_age=int(SESSION_AGE.total_seconds()),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    # A CSRF token a page handed out before the sign-in must not outlive it.
    rotate_token(request)


def session_end(*, request: HttpRequest, response: HttpResponse) -> None:
    key = _cookie_key(request)
    if key is not None:
        _store(key).delete(key)
    response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, samesite="Lax")
