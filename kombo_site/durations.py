"""Durations in settings: `90s`, `15m`, `10h`, `3d`, or plain seconds."""

from __future__ import annotations

import re
from datetime import timedelta

import environ
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def env_duration(env: environ.Env, name: str, *, default: str) -> timedelta:
    """The duration in the environment variable `name`; a malformed one stops start-up."""
    value = env.str(name, default=default)
    match = _PATTERN.match(value)
    if match is None:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a duration; use e.g. 90s, 15m, 10h or 3d."
        )
    amount, unit = match.groups()
    return timedelta(seconds=float(amount) * _UNITS[unit or "s"])
