"""The OAuth apps page: per environment, the operator's app at each OAuth vendor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import roles
from core.models import Environment
from core.roles import permission_required
from integrations.forms.oauth_apps import OAuthAppForm
from integrations.selectors import oauth_apps as selectors
from integrations.services.oauth_flow import oauth_redirect_uri
from integrations.services.oauth_tokens import oauth_app_save


def _environment(request: HttpRequest, environments: list[Environment]) -> Environment | None:
    """The environment named by `?environment=`, else the first one."""
    name = request.GET.get("environment")
    if name is None:
        return environments[0] if environments else None
    chosen = next((environment for environment in environments if environment.name == name), None)
    if chosen is None:
        raise Http404("No such environment.")
    return chosen


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_OAUTH_APP, post=roles.CHANGE_OAUTH_APP)
def oauth_app_list(request: HttpRequest) -> HttpResponse:
    environments = selectors.oauth_environments()
    environment = _environment(request, environments)
    rows = selectors.oauth_app_rows(environment=environment) if environment else []
    forms = {
        row.tool.id: OAuthAppForm(
            prefix=row.tool.id,
            has_secret=row.source == selectors.OAuthAppSource.SAVED,
            initial={"client_id": row.client_id},
        )
        for row in rows
    }
    if request.method == "POST":
        tool_id = request.POST.get("tool", "")
        row = next((row for row in rows if row.tool.id == tool_id), None)
        if environment is None or row is None:
            raise Http404("No such OAuth tool.")
        form = OAuthAppForm(
            request.POST,
            prefix=tool_id,
            has_secret=row.source == selectors.OAuthAppSource.SAVED,
        )
        if form.is_valid():
            oauth_app_save(
                environment_id=environment.pk,
                tool_id=tool_id,
                client_id=form.cleaned_data["client_id"],
                client_secret=form.cleaned_data["client_secret"],
            )
            messages.success(
                request, f"The {row.tool.label} OAuth app of {environment.name} is saved."
            )
            query = urlencode({"environment": environment.name})
            return redirect(f"{reverse('dashboard:oauth_app_list')}?{query}#oauth-app-{tool_id}")
        forms[tool_id] = form
    return render(
        request,
        "integrations/oauth_app_list.html",
        {
            "environments": environments,
            "environment": environment,
            "apps": [(row, forms[row.tool.id]) for row in rows],
            "redirect_uri": oauth_redirect_uri(),
        },
        status=400 if request.method == "POST" else 200,
    )
