"""The form of the OAuth apps page, one per OAuth tool: input parsing only, the write is
`integrations.services.oauth_tokens.oauth_app_save`."""

from __future__ import annotations

from typing import Any

from django import forms

from integrations.models import OAuthApp

CLIENT_ID_MAX_LENGTH = OAuthApp._meta.get_field("client_id").max_length


class OAuthAppForm(forms.Form):
    client_id = forms.CharField(max_length=CLIENT_ID_MAX_LENGTH, label="Client ID")
    # Write-only (RFC 6749 §2.3.1: the secret is the client's password): the page never shows
    # the stored one back, so empty means "keep it".
    client_secret = forms.CharField(
        required=False,
        max_length=1000,
        label="Client secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the stored secret.",
    )

    def __init__(self, *args: Any, has_secret: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        if not has_secret:
            self.fields["client_secret"].help_text = "The secret the vendor issued with the ID."

    def clean_client_secret(self) -> str | None:
        secret: str = self.cleaned_data.get("client_secret") or ""
        if secret:
            return secret
        if not self.has_secret:
            raise forms.ValidationError("A new OAuth app needs its client secret.")
        return None
