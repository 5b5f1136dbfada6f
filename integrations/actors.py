"""Who did something: written into every audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from integrations.models import ActorType

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from core.models import ApiKey


@dataclass(frozen=True)
class Actor:
    type: ActorType
    label: str

    @classmethod
    def operator(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        return cls(ActorType.OPERATOR, user.get_username())

    @classmethod
    def api_key(cls, api_key: ApiKey) -> Actor:
        return cls(ActorType.API_KEY, f"API key {api_key.name} ({api_key.prefix}…)")

    @classmethod
    def customer(cls, label: str = "customer") -> Actor:
        return cls(ActorType.CUSTOMER, label)

    @classmethod
    def system(cls, label: str = "kombo-site") -> Actor:
        return cls(ActorType.SYSTEM, label)
