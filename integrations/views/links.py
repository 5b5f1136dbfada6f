"""Links: the operator's pages that create, show once and revoke a reconnection link, and the
hosted form a customer opens from a connect or reconnection link (`/connect/<token>`).

The hosted form shows what data is requested (from the link's target scope config), the
tool's guide and its credential fields; on submit the credentials are checked live and stored
by `connect_link_complete` or swapped in by `relink_link_complete`. Unknown, expired, revoked
and used links all get the same page, so a token's existence is never revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.api.pagination import is_possible_id
from core.client_address import client_address
from core.crypto import decrypt_json, encrypt_json
from core.roles import permission_required
from integrations import services
from integrations.actors import Actor
from integrations.forms.links import CredentialsForm, RelinkForm
from integrations.models import LinkKind, LinkType, ReconnectionLink, ScopeConfig
from integrations.selectors.links import (
    reconnection_link_for_operator,
    scope_permissions,
    scope_requested_data,
)
from integrations.selectors.oauth_apps import OAuthAppMissingError
from integrations.services import (
    LinkOutcome,
    LinkResult,
    connect_link_complete,
    link_find,
    link_open,
    relink_link_complete,
)
from integrations.services.oauth_flow import OAUTH_FLOW_LIFETIME, oauth_flow_start
from integrations.tools import TOOLS, tool_get
from integrations.tools.base import Tool
from integrations.views.hosted import framed, over_limit, sent_from_another_site, unusable_page
from integrations.views.integrations import get_integration_or_404


class _LinkUnusable(Exception):
    """The link turned out unusable while a submission was checked (another one won)."""


@never_cache
# Django's CSRF check needs its cookie, which does not reach an EMBEDDED link's form inside
# the operator's cross-site iframe. Forged posts are refused by `_sent_from_another_site`
# instead, and nothing is accepted without the link's unguessable token in the URL.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def link_form(request: HttpRequest, token: str) -> HttpResponse:
    link = link_find(token=token)
    usable = link is not None and link.is_usable_at(timezone.now())
    # Deleting an integration revokes its links; ones left open by a delete before it did
    # still must not show the organisation's form.
    orphaned = (
        link is not None
        and link.kind == LinkKind.RELINK
        and (link.integration is None or link.integration.deleted_at is not None)
    )
    if link is None or not usable or orphaned:
        return unusable_page(request)
    try:
        with translation.override(link.language):
            if request.method == "POST" and sent_from_another_site(request):
                page = render(request, "connect/sent_from_another_site.html", status=403)
            elif link.kind == LinkKind.CONNECT:
                page = _connect_form(request, link)
            else:
                page = _relink_form(request, link)
    except _LinkUnusable:
        return unusable_page(request)
    return framed(page, frameable=link.link_type == LinkType.EMBEDDED)


def _connect_form(request: HttpRequest, link: ReconnectionLink) -> HttpResponse:
    """A new connection: the customer picks the tool (unless fixed), then connects it."""
    tool_id = link.tool or request.POST.get("tool") or request.GET.get("tool")
    if tool_id not in TOOLS:
        tools = [tool for tool in TOOLS.values() if tool.category == "HRIS"]
        return render(request, "connect/tool_picker.html", {"tools": tools, "link": link})
    tool = TOOLS[tool_id]
    assert link.target_scope_config is not None

    def complete(**submission: Any) -> LinkResult:
        return connect_link_complete(link=link, tool_id=tool.id, **submission)

    return _credentials_form(
        request,
        link,
        tool=tool,
        organization=link.end_user_organization_name,
        scope=link.target_scope_config,
        complete=complete,
        connect=True,
    )


def _relink_form(request: HttpRequest, link: ReconnectionLink) -> HttpResponse:
    integration = link.integration
    assert integration is not None
    if request.method != "POST":
        link_open(link=link)

    def complete(**submission: Any) -> LinkResult:
        return relink_link_complete(link=link, **submission)

    return _credentials_form(
        request,
        link,
        tool=tool_get(integration.tool),
        organization=integration.organization_name,
        scope=link.target_scope_config or integration.scope_config,
        complete=complete,
        connect=False,
    )


# The path of the link page a customer left for the vendor from.
OAUTH_RETRY_COOKIE = "kombo_site_oauth_retry"
# The nonce that binds the trip to the browser that made it (`OAuthFlow.browser_hash`).
OAUTH_BROWSER_COOKIE = "kombo_site_oauth_browser"


def link_page_context(
    link: ReconnectionLink, *, tool: Tool, organization: str, scope: ScopeConfig, connect: bool
) -> dict[str, Any]:
    """What the link's page shows whatever the tool: the data requested, the permissions it
    needs and the guide."""
    return {
        "link": link,
        "organization": organization,
        "tool": tool,
        "requested": scope_requested_data(tool=tool, scope=scope),
        "permissions": scope_permissions(tool=tool, scope=scope),
        "guide": tool.guide(link.language),
        "connect": connect,
        "embedded": link.link_type == LinkType.EMBEDDED,
    }


def _opted_out(request: HttpRequest, requested: list[tuple[Any, list[Any]]]) -> list[str]:
    """The optional data the customer unticked on the page."""
    optional_keys = {item.key for _, items in requested for item in items if item.optional}
    return sorted(key for key in optional_keys if key not in request.POST.getlist("keep"))


def _credentials_form(
    request: HttpRequest,
    link: ReconnectionLink,
    *,
    tool: Tool,
    organization: str,
    scope: ScopeConfig,
    complete: Callable[..., LinkResult],
    connect: bool,
) -> HttpResponse:
    """The credential form of a connect or relink link; on POST, `complete` checks and stores
    the credentials (`connect_link_complete` or `relink_link_complete`). An OAuth tool's page
    sends the customer to the vendor's consent page instead."""
    context = link_page_context(
        link, tool=tool, organization=organization, scope=scope, connect=connect
    )
    if tool.oauth is not None:
        return _oauth_start(request, link, tool=tool, scope=scope, context=context)
    form = CredentialsForm(request.POST if request.method == "POST" else None, tool=tool)
    if request.method == "POST":
        if over_limit(request, link):
            return render(request, "connect/too_many.html", status=429)
        if not form.is_valid():
            return render(request, "connect/link_form.html", context | {"rows": form.rows()})
        result = complete(
            credentials=form.cleaned_data,
            opted_out=_opted_out(request, context["requested"]),
            ip_address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        if result.outcome == LinkOutcome.COMPLETED:
            context["activation_token"] = result.activation_token
            return render(request, "connect/relink_done.html", context)
        if result.outcome == LinkOutcome.LINK_UNUSABLE:
            raise _LinkUnusable
        context["error"] = result.message
        context["missing"] = [
            p for p in context["permissions"] if p.id in result.missing_permissions
        ]
    return render(request, "connect/link_form.html", context | {"rows": form.rows()})


def _oauth_start(
    request: HttpRequest,
    link: ReconnectionLink,
    *,
    tool: Tool,
    scope: ScopeConfig,
    context: dict[str, Any],
) -> HttpResponse:
    """An OAuth tool's page: "Continue to <Vendor>" posts here and goes on to the vendor's
    consent page (in the popup the page opened, for an EMBEDDED link)."""
    if request.method == "POST":
        if over_limit(request, link):
            return render(request, "connect/too_many.html", status=429)
        try:
            trip = oauth_flow_start(
                link=link,
                tool=tool,
                scope=scope,
                opted_out=_opted_out(request, context["requested"]),
            )
        except OAuthAppMissingError:
            context["error"] = _(
                "%(tool)s cannot be connected right now because its app is not set up. "
                "Please tell the company that sent you this link."
            ) % {"tool": tool.label}
        else:
            response = HttpResponseSeeOther(trip.authorization_url)
            # Both are sent along when the vendor's page sends the browser back (a top-level
            # GET: SameSite=Lax). The second holds where to try again after a failure (the
            # link's token is stored hashed only, so it cannot be rebuilt on the server).
            lifetime = int(OAUTH_FLOW_LIFETIME.total_seconds())
            callback = reverse("connect:oauth_callback")
            secure = request.is_secure()
            response.set_cookie(
                OAUTH_BROWSER_COOKIE,
                trip.browser_nonce,
                max_age=lifetime,
                path=callback,
                secure=secure,
                httponly=True,
                samesite="Lax",
            )
            response.set_signed_cookie(
                OAUTH_RETRY_COOKIE,
                request.path,
                salt=OAUTH_RETRY_COOKIE,
                max_age=lifetime,
                path=callback,
                secure=secure,
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(request, "connect/link_oauth.html", context)


# --- The operator's link pages -------------------------------------------------------------


def get_link_or_404(link_id: str) -> ReconnectionLink:
    """A reconnection link of a live integration."""
    link = reconnection_link_for_operator(link_id=link_id) if is_possible_id(link_id) else None
    if link is None or link.integration is None or link.integration.deleted_at is not None:
        raise Http404("No such link.")
    return link


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a POST that created something: the browser GETs the result, and a reload of that
    page repeats the GET, never the POST."""

    status_code = 303


# Session key of the link URLs created but not shown yet: {link id: encrypted URL}.
LINKS_TO_SHOW = "relink_urls_to_show"


@require_POST
@permission_required(roles.RELINK_INTEGRATION)
def integration_relink(request: HttpRequest, integration_id: str) -> HttpResponse:
    """Create a reconnection link; the next page shows its URL, once."""
    integration = get_integration_or_404(integration_id)
    form = RelinkForm(request.POST, integration=integration)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("dashboard:integration_detail", integration_id=integration.pk)
    link, url = services.relink_link_create(
        integration=integration,
        link_type=form.cleaned_data["link_type"],
        language=form.cleaned_data["language"],
        scope_config=form.cleaned_data["scope_config"],
        actor=Actor.operator(request.user),
    )
    if form.cleaned_data.get("send_email") and services.relink_link_email(link=link, url=url):
        messages.success(request, f"Sent by email to {integration.creator_email}.")
    # The URL is a credential of sorts: encrypted like stored credentials while it waits in
    # the session for the one page that shows it (never in a URL, a message or a log).
    to_show = request.session.get(LINKS_TO_SHOW, {})
    to_show[link.pk] = encrypt_json({"url": url})
    request.session[LINKS_TO_SHOW] = to_show
    return HttpResponseSeeOther(reverse("dashboard:reconnection_link_created", args=[link.pk]))


@never_cache
@require_GET
@permission_required(roles.RELINK_INTEGRATION)
def reconnection_link_created(request: HttpRequest, link_id: str) -> HttpResponse:
    link = get_link_or_404(link_id)
    to_show = request.session.get(LINKS_TO_SHOW, {})
    encrypted_url = to_show.pop(link.pk, None)
    if encrypted_url is not None:
        request.session[LINKS_TO_SHOW] = to_show
    return render(
        request,
        "integrations/relink_created.html",
        {
            "integration": link.integration,
            "link": link,
            "url": decrypt_json(encrypted_url)["url"] if encrypted_url else None,
        },
    )


@require_POST
@permission_required(roles.RELINK_INTEGRATION)
def reconnection_link_revoke(request: HttpRequest, link_id: str) -> HttpResponse:
    link = get_link_or_404(link_id)
    if services.relink_link_revoke(link=link, actor=Actor.operator(request.user)):
        messages.success(request, "The link was revoked; it no longer works.")
    else:
        messages.info(request, "The link was already used or revoked.")
    return redirect("dashboard:integration_detail", integration_id=link.integration_id)
