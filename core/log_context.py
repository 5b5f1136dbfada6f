"""What a log line is about: the web request, the Celery task and the integration it works on.

The values live in a `contextvars.ContextVar`, so each thread (gunicorn's, a Celery pool's)
and each asyncio task sees its own. They are set by the code that first knows them: the
request-context middleware (`request_id`, an integration in the URL or `X-Integration-Id`), the
Celery signals below (`task_id`, `task_name`) and the services that load an integration (one
`log_integration_set` call). `LogContextFilter` copies them onto every record a handler writes,
in the plain format as in JSON.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar, Token
from types import MappingProxyType
from typing import Any

CONTEXT_FIELDS = ("request_id", "task_id", "task_name", "integration_id")
# What a client may hand us as an id: no spaces, quotes or control characters, so an echoed or
# logged value can neither split a log line nor forge a field.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")

_EMPTY: Mapping[str, str] = MappingProxyType({})
_context: ContextVar[Mapping[str, str]] = ContextVar("kombo_log_context", default=_EMPTY)
# A task's token, by task id: `task_postrun` puts back what was there before the task.
_task_tokens: dict[str, Token[Mapping[str, str]]] = {}


def sane_id(value: str | None) -> str | None:
    """`value` when it is safe to log and echo as an id, else None."""
    if value and _SANE_ID.fullmatch(value):
        return value
    return None


def request_id_from_header(value: str | None) -> str:
    """The client's (or load balancer's) request id when it is a sane token, else a new one."""
    return sane_id(value) or uuid.uuid4().hex


def log_context() -> Mapping[str, str]:
    return _context.get()


def log_context_bind(**values: str | None) -> Token[Mapping[str, str]]:
    """Add `values` (None ones left out) to the context; the token undoes it."""
    merged = {**_context.get(), **{name: value for name, value in values.items() if value}}
    return _context.set(MappingProxyType(merged))


def log_context_start(**values: str | None) -> None:
    """A new unit of work (a web request): only `values`, nothing left from the last one."""
    _context.set(MappingProxyType({name: value for name, value in values.items() if value}))


def log_context_clear(**_: Any) -> None:
    """Django's `request_finished` signal: it fires once the response is closed, after Django
    has logged a 4xx/5xx answer (`django.request`), which still carries the request's ids."""
    _context.set(_EMPTY)


def log_context_reset(token: Token[Mapping[str, str]]) -> None:
    try:
        _context.reset(token)
    except ValueError:
        # A token from another context (a signal fired elsewhere than its pair): start clean
        # rather than carry one unit of work's ids into the next.
        _context.set(_EMPTY)


def log_integration_set(integration_id: str) -> None:
    """Every later line of this request or task names the integration it works on."""
    log_context_bind(integration_id=integration_id)


def task_context_enter(*, task_id: str | None, task_name: str | None) -> None:
    if task_id:
        _task_tokens[task_id] = log_context_bind(task_id=task_id, task_name=task_name)


def task_context_leave(*, task_id: str | None) -> None:
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        log_context_reset(token)


def on_task_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """Celery's `task_prerun` signal: runs in the thread that then runs the task."""
    task_context_enter(task_id=task_id, task_name=getattr(task, "name", None))


def on_task_postrun(task_id: str | None = None, **_: Any) -> None:
    task_context_leave(task_id=task_id)


class LogContextFilter(logging.Filter):
    """Copies the context onto each record: as attributes for JSON (`request_id`, ...), and
    as one `context` string (` [request_id=... integration_id=...]`, or empty) for plain."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for name in CONTEXT_FIELDS:
            if name in context and not hasattr(record, name):
                setattr(record, name, context[name])
        present = [
            f"{name}={getattr(record, name)}" for name in CONTEXT_FIELDS if hasattr(record, name)
        ]
        record.context = f" [{' '.join(present)}]" if present else ""
        return True
