"""What every page of the hosted flow shares: the rate limits on submissions, the one page for
links that cannot be used, who may frame a page, and telling our own forms from forged ones."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.client_address import client_network
from core.ratelimit import rate_limit_hit
from integrations.models import ReconnectionLink

RATE_WINDOW_SECONDS = 600


def over_limit(request: HttpRequest, link: ReconnectionLink) -> bool:
    """Guessing credentials through a link is slowed per link and per client address.

    A post the link's own limit refuses is not counted against the address: hammering one
    link must not use up the address's allowance for other links (customers behind one
    proxy or office network share an address).
    """
    if rate_limit_hit(
        scope="connect-link",
        key=link.pk,
        limit=settings.CONNECT_SUBMISSIONS_PER_LINK,
        window_seconds=RATE_WINDOW_SECONDS,
    ):
        return True
    return rate_limit_hit(
        scope="connect-address",
        key=client_network(request) or "unknown",
        limit=settings.CONNECT_SUBMISSIONS_PER_ADDRESS,
        window_seconds=RATE_WINDOW_SECONDS,
    )


def unusable_page(request: HttpRequest) -> HttpResponse:
    """One page for unknown, expired, revoked and used links alike, so a response never tells
    whether a token exists or what its link is: in the language the request asks for (never
    the link's) and frameable as an EMBEDDED link is (one that expired inside the operator's
    iframe explains itself there; the page has nothing to click).
    """
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = render(request, "connect/link_unusable.html", status=404)
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    return framed(response, frameable=True)


def framed(response: HttpResponse, *, frameable: bool) -> HttpResponse:
    """Frameable pages (EMBEDDED links) by the operator's origins only; the rest not at all."""
    ancestors = settings.CONNECT_FRAME_ANCESTORS
    if frameable and ancestors:
        response["Content-Security-Policy"] = f"frame-ancestors 'self' {' '.join(ancestors)}"
        response.xframe_options_exempt = True
    else:
        response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


def sent_from_another_site(request: HttpRequest) -> bool:
    """Whether the customer's browser says this post comes from a page that is not ours.

    Browsers label every form post with where it was made: Fetch Metadata (`Sec-Fetch-Site`)
    and `Origin`. Our own form is same-origin even inside the operator's cross-site iframe;
    a form another site makes the browser submit is not. Clients that send neither (scripts)
    carry no victim's browser with them, so they are no forgery; the link token decides.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin not in _own_origins(request)


def _own_origins(request: HttpRequest) -> set[str]:
    base = urlsplit(settings.BASE_URL)
    return {
        f"{request.scheme}://{request.get_host()}",
        f"{base.scheme}://{base.netloc}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
