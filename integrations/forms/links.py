"""Forms of links: the operator's form that creates a reconnection link, and the hosted
flow's credential form, one field per credential of the tool.

A credential value that is empty or cannot be a credential at all is the customer's typo,
answered next to its field in their language; only well-formed values are worth a live check
with the tool (which is what `connection-flow-failed` reports on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrations.models import Integration, LinkLanguage, LinkType, ScopeConfig
from integrations.selectors.scope_configs import scope_configs_of_environment
from integrations.tools.base import CredentialField, Tool
from integrations.words import LINK_TYPE_LABELS, language_name

MAX_CREDENTIAL_LENGTH = 4096
TOO_LONG = _("This is far too long. Please paste only the value itself.")
UNUSABLE_CHARACTERS = _(
    "This contains line breaks, invisible or special characters that it can’t contain. "
    "Please copy it again."
)


class CredentialValueField(forms.CharField):
    def __init__(self, *, credential: CredentialField) -> None:
        super().__init__(
            required=True, strip=True, error_messages={"required": credential.required_message}
        )
        self.credential = credential

    def validate(self, value: Any) -> None:
        """One error per field, the most useful first. No tool's keys, IDs or tokens are long
        or hold line breaks, NUL, invisible or non-ASCII characters, which HTTP headers could
        not even carry to the tool."""
        super().validate(value)
        if len(value) > MAX_CREDENTIAL_LENGTH:
            raise ValidationError(TOO_LONG, code="too_long")
        if not (value.isascii() and value.isprintable()):
            raise ValidationError(UNUSABLE_CHARACTERS, code="characters")
        well_formed = self.credential.well_formed
        if well_formed is not None and not well_formed(value):
            raise ValidationError(self.credential.malformed_message, code="malformed")


class CredentialsForm(forms.Form):
    def __init__(self, *args: Any, tool: Tool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        for credential in tool.credential_fields:
            self.fields[credential.key] = CredentialValueField(credential=credential)

    def rows(self) -> list[CredentialRow]:
        """What the template shows per credential: the field, the value to fill in again
        (never a secret, never a value that cannot be one), its one error, and whether it
        takes the focus (the first field with an error)."""
        rows = []
        focus_taken = False
        for credential in self.tool.credential_fields:
            key = credential.key
            unshowable = self.has_error(key, "too_long") or self.has_error(key, "characters")
            errors = self.errors.get(key)
            rows.append(
                CredentialRow(
                    field=credential,
                    value="" if credential.secret or unshowable else self._raw(key),
                    error=str(errors[0]) if errors else None,
                    focus=bool(errors) and not focus_taken,
                )
            )
            focus_taken = focus_taken or bool(errors)
        return rows

    def _raw(self, key: str) -> str:
        return str(self.data.get(key, "")).strip()


@dataclass(frozen=True)
class CredentialRow:
    field: CredentialField
    value: str
    error: str | None
    focus: bool


class RelinkForm(forms.Form):
    link_type = forms.ChoiceField(
        choices=[
            (link_type, LINK_TYPE_LABELS[link_type])
            for link_type in (LinkType.MAGIC_LINK, LinkType.EMBEDDED)
        ],
        initial=LinkType.MAGIC_LINK,
        widget=forms.RadioSelect,
    )
    scope_config = forms.ChoiceField(
        required=False,
        help_text="With another scope config, the integration moves to it once the customer "
        "completes the link; until then syncs keep the current one.",
    )
    language = forms.ChoiceField(
        choices=[(code, language_name(code)) for code in LinkLanguage.values],
        initial="en",
        label="Customer's language",
        help_text="The hosted form and the email are in this language.",
    )
    send_email = forms.BooleanField(required=False, label="Email the link to the customer")

    def __init__(self, *args: Any, integration: Integration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not integration.creator_email:
            del self.fields["send_email"]
        self.scope_configs = {
            config.pk: config
            for config in scope_configs_of_environment(environment_id=integration.environment_id)
        }
        others = [
            (pk, config.name)
            for pk, config in self.scope_configs.items()
            if pk != integration.scope_config_id
        ]
        keep = ("", f"Keep the current one ({integration.scope_config.name})")
        field = self.fields["scope_config"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [keep, ("Move to", others)] if others else [keep]

    def clean_scope_config(self) -> ScopeConfig | None:
        scope_config_id: str = self.cleaned_data["scope_config"]
        return self.scope_configs[scope_config_id] if scope_config_id else None
