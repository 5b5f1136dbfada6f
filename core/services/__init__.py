"""Writes of the shared kernel: environments, API keys, the request log, operator accounts."""

from __future__ import annotations

from core.services.api_keys import (
    API_KEY_PREFIX,
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
)
from core.services.environments import environment_get_or_create, request_logs_prune
from core.services.operators import RoleGroupsMissingError, operator_save

__all__ = [
    "API_KEY_PREFIX",
    "RoleGroupsMissingError",
    "api_key_authenticate",
    "api_key_create",
    "api_key_revoke",
    "environment_get_or_create",
    "operator_save",
    "request_logs_prune",
]
