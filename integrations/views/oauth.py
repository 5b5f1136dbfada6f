"""Where an OAuth vendor sends the customer back after its consent page.

One redirect URI for every OAuth app (`/connect/oauth/callback`): the `state` says which link
the customer came through. A MAGIC_LINK's trip ran in the customer's own window, which shows
the outcome. An EMBEDDED link's trip ran in a popup its page opened; the popup shows the
outcome and closes, while the page inside the operator's iframe asks us how the trip ended
(`oauth_trip`) and finishes with `@kombo-api/connect`'s protocol. It asks us rather than
waiting for the popup to tell it: the vendor's pages may cut the popup off from its opener
(`Cross-Origin-Opener-Policy`), and a third-party iframe shares no storage with the popup.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.client_address import client_address
from integrations.models import LinkType, ReconnectionLink
from integrations.selectors.links import link_page_subject
from integrations.services import LinkOutcome, link_find
from integrations.services.oauth_flow import oauth_flow_finish, oauth_trip_status
from integrations.views.hosted import framed, unusable_page
from integrations.views.links import (
    OAUTH_BROWSER_COOKIE,
    OAUTH_RETRY_COOKIE,
    link_page_context,
)

# The vendor's parameters (RFC 6749 §4.1.2): anything longer is not a real answer.
_MAX_PARAMETER_LENGTH = 2000


def _parameter(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "")
    return value if len(value) <= _MAX_PARAMETER_LENGTH else ""


def _retry_url(request: HttpRequest, link: ReconnectionLink) -> str | None:
    """The link page the customer left from, when their browser kept it and it is this
    link's (`links.OAUTH_RETRY_COOKIE`)."""
    path = request.get_signed_cookie(OAUTH_RETRY_COOKIE, default=None, salt=OAUTH_RETRY_COOKIE)
    prefix = reverse("connect:link_form", args=["-"])[:-1]
    if not path or not path.startswith(prefix):
        return None
    found = link_find(token=path[len(prefix) :])
    return path if found is not None and found.pk == link.pk else None


@never_cache
@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    finished = oauth_flow_finish(
        state=_parameter(request, "state"),
        browser_nonce=request.COOKIES.get(OAUTH_BROWSER_COOKIE, ""),
        code=_parameter(request, "code"),
        error=_parameter(request, "error"),
        ip_address=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    link, result = finished.link, finished.result
    if link is None or result.outcome == LinkOutcome.LINK_UNUSABLE:
        return unusable_page(request)
    tool, organization, scope, connect = link_page_subject(link, finished.tool_id)
    context = link_page_context(
        link, tool=tool, organization=organization, scope=scope, connect=connect
    )
    context["missing"] = [p for p in context["permissions"] if p.id in result.missing_permissions]
    completed = result.outcome == LinkOutcome.COMPLETED
    with translation.override(link.language):
        if link.link_type == LinkType.EMBEDDED:
            page = render(
                request,
                "connect/oauth_popup_result.html",
                context | {"completed": completed, "error": result.message},
            )
        elif completed:
            page = render(request, "connect/relink_done.html", context)
        else:
            page = render(
                request,
                "connect/link_oauth.html",
                context
                | {
                    "error": result.message,
                    "from_vendor": True,
                    "retry_url": _retry_url(request, link),
                },
            )
    return framed(page, frameable=False)


@never_cache
@require_GET
def oauth_trip(request: HttpRequest, token: str) -> HttpResponse:
    """How the latest trip to the vendor of an EMBEDDED link ended, for its page in the
    operator's iframe (which holds the link's token): JSON, polled while the popup is open."""
    link = link_find(token=token)
    if link is None or link.link_type != LinkType.EMBEDDED:
        return JsonResponse({"state": "UNKNOWN"}, status=404)
    status = oauth_trip_status(link=link)
    body: dict[str, str] = {"state": status.state, "trip": status.trip_id}
    if status.message:
        body["message"] = status.message
    if status.activation_token:
        body["activation_token"] = status.activation_token
    return JsonResponse(body)
