"""The connector interface every HR tool implements.

A tool is code, not a table: its id is Kombo's tool id, and its class says which credentials it
needs, which permissions it understands, which unified models/fields it covers (and which
permission each needs), and how to check auth and fetch data over real HTTP.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from integrations.tools.oauth import OAuthSpec


class AuthOutcome(StrEnum):
    OK = "OK"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    # Network error, timeout, 5xx, rate limit: never counted as an authentication failure.
    UNREACHABLE = "UNREACHABLE"


# At most this many employee ids ride along in an AuthResult: one vendor page is plenty to find
# a known employee, and a relink check must stay cheap.
REMOTE_ID_SAMPLE_SIZE = 100


@dataclass(frozen=True)
class AuthResult:
    outcome: AuthOutcome
    granted_permissions: frozenset[str] = frozenset()
    # Which company account the credentials belong to, when the vendor documents one ("" when
    # it does not, or the credentials cannot see it).
    remote_account_id: str = ""
    # Remote ids of employees the credentials could read (a page at most): what tells two
    # companies apart when there is no account id to compare.
    remote_id_sample: frozenset[str] = frozenset()
    message: str = ""
    retry_after_seconds: float | None = None

    @classmethod
    def ok(
        cls,
        *,
        granted_permissions: Iterable[str],
        remote_account_id: str,
        remote_id_sample: Iterable[str] = (),
    ) -> AuthResult:
        sample = sorted(set(remote_id_sample))[:REMOTE_ID_SAMPLE_SIZE]
        return cls(
            AuthOutcome.OK,
            granted_permissions=frozenset(granted_permissions),
            remote_account_id=remote_account_id,
            remote_id_sample=frozenset(sample),
        )

    @classmethod
    def invalid(cls, message: str) -> AuthResult:
        return cls(AuthOutcome.INVALID_CREDENTIALS, message=message)

    @classmethod
    def unreachable(cls, message: str, *, retry_after_seconds: float | None = None) -> AuthResult:
        return cls(
            AuthOutcome.UNREACHABLE, message=message, retry_after_seconds=retry_after_seconds
        )


class Coverage(StrEnum):
    SUPPORTED = "SUPPORTED"
    UNSUPPORTED = "UNSUPPORTED"
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class FieldSupport:
    coverage: Coverage = Coverage.SUPPORTED
    # The tool permission needed to read this field beyond the model's own permission.
    permission: str | None = None
    # The vendor's own name for the field, used in warnings ("cannot read field 'payRate'").
    vendor_field: str | None = None


@dataclass(frozen=True)
class ModelSupport:
    coverage: Coverage
    permission: str | None
    fields: Mapping[str, FieldSupport] = field(default_factory=dict)

    def field_support(self, field_id: str) -> FieldSupport:
        return self.fields.get(field_id, FieldSupport(Coverage.UNSUPPORTED))


@dataclass(frozen=True)
class PermissionGap:
    """A permission the credentials lack, and what of the scope it blocks."""

    permission: str
    model_id: str
    field_id: str | None
    message: str


def readable_fields(
    field_ids: Iterable[str], gaps: Iterable[PermissionGap]
) -> frozenset[str] | None:
    """What of a model's wanted fields may be read despite its gaps; None when a missing
    permission keeps the whole model out of reach."""
    blocked = set()
    for gap in gaps:
        if gap.field_id is None:
            return None
        blocked.add(gap.field_id)
    return frozenset(field_ids) - blocked


@dataclass(frozen=True)
class CredentialField:
    """One value the customer enters on the hosted form. The texts are lazy translations: they
    are read in the link's language when the form is shown."""

    key: str
    label: StrOrPromise
    secret: bool
    # The field's error when it is left empty ("Enter your API key").
    required_message: StrOrPromise
    help_text: StrOrPromise = ""
    # An example in the vendor's format, not words ("sbx_…", "acme").
    placeholder: str = ""
    # A format the value must have before it is worth asking the tool, and the field's error
    # when it has not.
    well_formed: Callable[[str], bool] | None = None
    malformed_message: StrOrPromise = ""


class ToolError(Exception):
    """A fetch failed in a way the caller must record (message is safe to show and log)."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


Page = list[dict[str, Any]]


def select_fields(record: Mapping[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """The part of a unified record a sync asked for: its wanted fields, and always `remote_id`
    (what keys the row)."""
    return {key: value for key, value in record.items() if key in fields or key == "remote_id"}


class Tool(ABC):
    id: ClassVar[str]
    label: ClassVar[str]
    category: ClassVar[str] = "HRIS"
    # Paths under the static root.
    logo: ClassVar[str]
    icon: ClassVar[str]
    supports_delta: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    # An OAuth 2.0 authorization-code tool: the customer consents on the vendor's page instead
    # of typing credentials. Its permission ids are the vendor's scopes, and the credentials
    # its `check_auth` and `fetch` get are the stored token (`integrations.tools.oauth`):
    # `access_token`, `refresh_token`, `token_type`, `expires_at`, `scope`.
    oauth: ClassVar[OAuthSpec | None] = None
    # Permission id -> what it grants, in plain words, for the customer (lazy translations; the
    # operator's warnings are `permission_message`, always English).
    permissions: ClassVar[Mapping[str, StrOrPromise]]
    # Whether the vendor's own screens name permissions by these ids, so a customer ticks them
    # by name (Sandbox HR); otherwise the ids are ours and only the plain words are shown.
    permission_ids_are_vendor_names: ClassVar[bool] = False
    # Unified read model id -> how this tool covers it.
    models: ClassVar[Mapping[str, ModelSupport]]
    # Language -> the steps a customer follows to create credentials with the right permissions.
    guides: ClassVar[Mapping[str, tuple[str, ...]]]

    def model_support(self, model_id: str) -> ModelSupport:
        return self.models.get(model_id, ModelSupport(Coverage.UNSUPPORTED, None))

    def guide(self, language: str) -> tuple[str, ...]:
        return self.guides.get(language) or self.guides["en"]

    def permissions_needed(self, model_id: str, field_ids: Iterable[str]) -> frozenset[str]:
        """Every permission required to read these fields of the model."""
        support = self.model_support(model_id)
        if support.coverage != Coverage.SUPPORTED:
            return frozenset()
        needed = {support.permission} if support.permission else set()
        for field_id in field_ids:
            field_support = support.field_support(field_id)
            if field_support.coverage == Coverage.SUPPORTED and field_support.permission:
                needed.add(field_support.permission)
        return frozenset(needed)

    def permission_gaps(
        self, *, model_id: str, field_ids: Iterable[str], granted: frozenset[str]
    ) -> list[PermissionGap]:
        """What the granted permissions don't cover: the whole model, or field by field."""
        support = self.model_support(model_id)
        if support.coverage != Coverage.SUPPORTED:
            return []
        if support.permission and support.permission not in granted:
            return [
                PermissionGap(
                    support.permission,
                    model_id,
                    None,
                    self.permission_message(support.permission, model_id, None),
                )
            ]
        gaps = []
        for field_id in field_ids:
            field_support = support.field_support(field_id)
            if (
                field_support.coverage == Coverage.SUPPORTED
                and field_support.permission
                and field_support.permission not in granted
            ):
                gaps.append(
                    PermissionGap(
                        field_support.permission,
                        model_id,
                        field_id,
                        self.permission_message(field_support.permission, model_id, field_id),
                    )
                )
        return gaps

    def scope_permission_gaps(
        self, *, scope: Mapping[str, Iterable[str]], granted: frozenset[str]
    ) -> dict[str, list[PermissionGap]]:
        """Per read model of `scope` (model id -> wanted field ids), in its order: what the
        granted permissions don't cover. Syncs skip it; the auth check API reports it."""
        return {
            model_id: self.permission_gaps(model_id=model_id, field_ids=field_ids, granted=granted)
            for model_id, field_ids in scope.items()
        }

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        """A precise, human warning; tools override it to speak their vendor's language."""
        if field_id is None:
            return (
                f"{self.label}: the credentials lack the permission '{permission}' "
                f"to read {model_id}."
            )
        vendor_field = self.model_support(model_id).field_support(field_id).vendor_field
        return (
            f"{self.label}: the credentials cannot read field '{vendor_field or field_id}' "
            f"(needs '{permission}')."
        )

    @abstractmethod
    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        """The cheapest authenticated call: who are we, and what may we read?"""

    @abstractmethod
    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        """Yield pages of unified records (dicts keyed by unified field ids plus `remote_id`)."""
