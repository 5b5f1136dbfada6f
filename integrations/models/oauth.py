"""OAuth 2.0 tools: the operator's OAuth app per vendor, and each trip to the consent page."""

from __future__ import annotations

from django.db import models

from core.ids import new_id
from core.models import Environment
from integrations.models.links import ReconnectionLink


class OAuthApp(models.Model):
    """The operator's app registered at an OAuth vendor, for one environment. The secret is a
    MultiFernet token (`core.crypto`), like credentials; the client id is public."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="oauth_apps"
    )
    tool = models.CharField(max_length=64)
    client_id = models.CharField(max_length=300)
    client_secret_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "OAuth app"
        constraints = [
            models.UniqueConstraint(fields=["environment", "tool"], name="oauth_app_per_tool")
        ]

    def __str__(self) -> str:
        return f"{self.tool} OAuth app ({self.environment_id})"


class OAuthFlow(models.Model):
    """One trip of a customer to the vendor's consent page through a link: the single-use
    `state` that brings them back (stored hashed), the PKCE verifier (encrypted) and the
    redirect URI the code must be exchanged with, exactly (RFC 6749 §4.1.3)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_id, editable=False)
    link = models.ForeignKey(ReconnectionLink, on_delete=models.CASCADE, related_name="+")
    tool = models.CharField(max_length=64)
    state_hash = models.CharField(max_length=64, unique=True)
    # The browser that left for the vendor holds the matching nonce in a cookie: a callback
    # from any other browser (someone else's consent, sent along with our URL) is refused
    # (RFC 6749 §10.12).
    browser_hash = models.CharField(max_length=64, default="")
    code_verifier_encrypted = models.TextField(blank=True, default="")
    redirect_uri = models.CharField(max_length=500)
    # The optional data the customer declined before leaving for the vendor.
    opted_out = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # How the trip ended (a LinkOutcome), and for a failure what the customer was told (in the
    # link's language): the link's page inside the operator's iframe reads it from here, since
    # the vendor's pages may cut the popup off from the page that opened it.
    outcome = models.CharField(max_length=32, blank=True, default="")
    failure_message = models.TextField(blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the page in the iframe collected the activation token of a completed trip (once).
    activation_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "OAuth flow"

    def __str__(self) -> str:
        return f"OAuth flow {self.pk} of link {self.link_id}"
