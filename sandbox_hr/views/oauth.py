"""Sandbox HR as an OAuth 2.0 provider, over HTTP: the authorization endpoint with its consent
page, the token endpoint, and the Settings pages for developer apps and connected apps.

Authlib's server (sandbox_hr.authorization_server) checks every request and writes the
responses the RFCs prescribe; these views add what a person sees. The consent page can be
framed by nobody: a page that grants access must not be clickjacked.
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AuthorizationCodeGrant
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandbox_hr import selectors, services
from sandbox_hr.authorization_server import authorization_server
from sandbox_hr.forms import ConsentForm, OAuthAppForm
from sandbox_hr.models import (
    SANDBOX_PERMISSION_DESCRIPTIONS,
    SANDBOX_PERMISSIONS,
    SandboxOAuthGrant,
)
from sandbox_hr.sessions import SandboxSession, session_open
from sandbox_hr.views.pages import (
    administrators_only_for,
    customer_page,
    sign_in_redirect,
    signed_in,
)

CONNECTED_APPS = "sandbox_hr:connected_app_list"
NOBODY_MAY_FRAME = "frame-ancestors 'none'"


def _scope_rows(scopes: list[str]) -> list[tuple[str, str]]:
    """(scope, what it lets an app read, in plain words) in the usual order."""
    return [(p, SANDBOX_PERMISSION_DESCRIPTIONS[p]) for p in SANDBOX_PERMISSIONS if p in scopes]


def _not_framable(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = NOBODY_MAY_FRAME
    return response


def _authorization_error(request: HttpRequest, error: OAuth2Error) -> HttpResponse:
    # RFC 6749 §4.1.2.1: back to the app only once its client id and redirect URI are known
    # good; otherwise the person is told here and sent nowhere.
    if error.redirect_uri:
        response: HttpResponse = authorization_server.handle_error_response(request, error)
        return response
    return render(
        request,
        "sandbox_hr/customer/oauth_error.html",
        {"error": error.error, "description": error.get_error_description()},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """RFC 6749 §4.1.1: the app sends the browser here; an administrator allows or denies."""
    try:
        grant = authorization_server.get_consent_grant(request)
    except OAuth2Error as error:
        return _not_framable(_authorization_error(request, error))
    session = session_open(request)
    if session is None:
        return _not_framable(sign_in_redirect(request))
    response = _consent(request, session, grant)
    session.save_if_modified()
    return _not_framable(response)


def _consent(
    request: HttpRequest, session: SandboxSession, grant: AuthorizationCodeGrant
) -> HttpResponse:
    form = ConsentForm(request.POST) if request.method == "POST" else None
    decision = form.cleaned_data["decision"] if form is not None and form.is_valid() else None
    if decision == "deny":
        denied: HttpResponse = authorization_server.create_authorization_response(
            request, grant_user=None, grant=grant
        )
        return denied
    may_approve = session.user.may_manage_api_keys
    if decision == "allow" and may_approve:
        allowed: HttpResponse = authorization_server.create_authorization_response(
            request, grant_user=session.user, grant=grant
        )
        return allowed
    # A refusal for someone who may not approve; a form sent without a decision is redone.
    status = 403 if not may_approve else 200 if form is None else 400
    return customer_page(
        request,
        session,
        "oauth_consent.html",
        {
            "app": grant.client,
            "scopes": _scope_rows(grant.request.scope.split()),
            "may_approve": may_approve,
        },
        status=status,
    )


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """RFC 6749 §3.2: codes and refresh tokens in, a new token pair out."""
    try:
        with transaction.atomic():
            response: HttpResponse = authorization_server.create_token_response(request)
    except OAuth2Error as error:
        response = authorization_server.handle_error_response(request, error)
    return response


@require_GET
@signed_in
@administrators_only_for("developer apps")
def developer_app_list(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    apps = selectors.account_registered_oauth_apps(account=session.user.account)
    return customer_page(
        request, session, "developer_app_list.html", {"section": "settings", "apps": apps}
    )


def _endpoints(request: HttpRequest) -> dict[str, str]:
    return {
        "authorize_url": request.build_absolute_uri(reverse("sandbox_hr:oauth_authorize")),
        "token_url": request.build_absolute_uri(reverse("sandbox_hr:oauth_token")),
    }


@require_http_methods(["GET", "POST"])
@signed_in
@administrators_only_for("developer apps")
def developer_app_create(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    form = OAuthAppForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            app, client_secret = services.sandbox_oauth_app_register(
                name=form.cleaned_data["name"],
                redirect_uris=form.cleaned_data["redirect_uris"],
                allowed_scopes=form.cleaned_data["scopes"],
                registered_by=session.user,
            )
        except services.OAuthAppInvalidError as exc:
            form.add_error("redirect_uris", str(exc))
        else:
            # The secret lives only in this response: never in the session or a notice.
            return customer_page(
                request,
                session,
                "developer_app_created.html",
                {
                    "section": "settings",
                    "app": app,
                    "client_secret": client_secret,
                    "scopes": _scope_rows(app.allowed_scopes),
                    **_endpoints(request),
                },
            )
    ticked = set(form["scopes"].value() or [])
    return customer_page(
        request,
        session,
        "developer_app_create.html",
        {
            "section": "settings",
            "form": form,
            "scopes": [
                (p, SANDBOX_PERMISSION_DESCRIPTIONS[p], p in ticked) for p in SANDBOX_PERMISSIONS
            ],
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@signed_in
@administrators_only_for("connected apps")
def connected_app_list(request: HttpRequest, session: SandboxSession) -> HttpResponse:
    grants = selectors.account_oauth_grants(account=session.user.account)
    rows = [(grant, _scope_rows(grant.scopes)) for grant in grants]
    return customer_page(
        request, session, "connected_app_list.html", {"section": "settings", "rows": rows}
    )


def _grant_label(grant: SandboxOAuthGrant) -> str:
    return f"“{grant.app.name}”"


@require_http_methods(["GET", "POST"])
@signed_in
@administrators_only_for("connected apps")
def connected_app_revoke(
    request: HttpRequest, session: SandboxSession, grant_id: str
) -> HttpResponse:
    grant = selectors.account_oauth_grant_get(account=session.user.account, grant_id=grant_id)
    if grant is None:
        return customer_page(
            request, session, "connected_app_not_found.html", {"section": "settings"}, status=404
        )
    if request.method == "GET":
        return customer_page(
            request,
            session,
            "connected_app_confirm_revoke.html",
            {"section": "settings", "grant": grant, "scopes": _scope_rows(grant.scopes)},
        )
    if services.sandbox_oauth_grant_revoke(grant=grant, revoked_by=session.user):
        session.notice_set(
            f"Disconnected {_grant_label(grant)}. It can no longer read your data; connecting "
            "it again needs a new approval."
        )
    else:
        session.notice_set(f"{_grant_label(grant)} was already disconnected; nothing changed.")
    return redirect(CONNECTED_APPS)
