from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.errors import api_not_found
from kombo_site.metrics import metrics_view

# /healthz and /readyz are answered by core.middleware.HealthProbesMiddleware, ahead of the
# Host check (probes ask for the pod's own address): core/health.py.
urlpatterns: list[URLPattern | URLResolver] = [
    # The API first: Django tries the patterns in order for every request, and API clients
    # send most of them (the admin's and dashboard's prefixes cost a relink ~0.1 ms).
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("integrations.api.urls")),
    path("api/v1/", include("syncs.api.urls")),
    path("api/v1/", include("webhooks.api.urls")),
    path("", RedirectView.as_view(pattern_name="dashboard:integration_list", permanent=False)),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", include("integrations.urls.dashboard")),
    path("dashboard/", include("syncs.urls")),
    path("dashboard/webhooks/", include("webhooks.urls")),
    path("dashboard/scope-configs/", include("integrations.urls.scope_configs")),
    path("connect/", include("integrations.urls.connect")),
    # Outside /api/v1/: a scrape every few seconds must not write a request log row each.
    path("metrics", metrics_view, name="metrics"),
]

if settings.WEBHOOK_INSPECTOR_ENABLED:
    # A public receiver that stores what it is sent: for local runs and demos only.
    urlpatterns.append(path("inspector/", include("webhooks.inspector_urls")))

if settings.SANDBOX_HR_ENABLED:
    urlpatterns.append(path("sandbox-hr/", include("sandbox_hr.urls")))
    urlpatterns.append(path("dashboard/sandbox-hr/", include("sandbox_hr.dashboard_urls")))

# Last: unknown API paths get the JSON envelope even with DEBUG on (handler404 needs it off).
urlpatterns.append(re_path(r"^api/", api_not_found))

handler404 = "core.api.errors.handler404"
handler500 = "core.api.errors.handler500"
