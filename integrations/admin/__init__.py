"""Django admin for the integrations domain, a submodule per sub-domain (each registers its
models when imported)."""

from __future__ import annotations

from integrations.admin import integrations, oauth

__all__ = ["integrations", "oauth"]
