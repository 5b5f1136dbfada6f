"""Input parsers of Sandbox HR's customer pages."""

from __future__ import annotations

from django import forms

from sandbox_hr.models import SANDBOX_PERMISSIONS

PERMISSION_CHOICES = [(permission, permission) for permission in SANDBOX_PERMISSIONS]
UNNAMED_KEY = "Unnamed key"


class SignInForm(forms.Form):
    email = forms.EmailField(max_length=254)
    password = forms.CharField(max_length=4096, strip=False)


class CustomerApiKeyForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    permissions = forms.MultipleChoiceField(
        choices=PERMISSION_CHOICES,
        error_messages={
            "required": "Tick at least one permission: a key without any reads nothing."
        },
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        return name or UNNAMED_KEY


class OAuthAppForm(forms.Form):
    """Settings → Developer apps → Register app. The service checks the redirect URIs."""

    name = forms.CharField(max_length=200)
    redirect_uris = forms.CharField(
        max_length=10_000, widget=forms.Textarea, help_text="One per line."
    )
    scopes = forms.MultipleChoiceField(
        choices=PERMISSION_CHOICES,
        error_messages={"required": "Tick at least one scope the app may ask for."},
    )

    def clean_redirect_uris(self) -> list[str]:
        text: str = self.cleaned_data["redirect_uris"]
        return [line.strip() for line in text.splitlines() if line.strip()]


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=[("allow", "Allow"), ("deny", "Deny")])
