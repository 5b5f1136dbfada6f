from __future__ import annotations

from django.urls import URLPattern, path, re_path

from sandbox_hr.views import api, oauth, pages

app_name = "sandbox_hr"
urlpatterns: list[URLPattern] = [
    path("", pages.home, name="home"),
    path("sign-in/", pages.sign_in, name="sign_in"),
    path("sign-out/", pages.sign_out, name="sign_out"),
    path("employees/", pages.employee_list, name="employee_list"),
    path("employees/<slug:employee_id>/", pages.employee_detail, name="employee_detail"),
    path("time-off/", pages.time_off, name="time_off"),
    path("settings/", pages.settings_overview, name="settings"),
    path("settings/api-keys/", pages.api_key_list, name="api_key_list"),
    path("settings/api-keys/new/", pages.api_key_create_page, name="api_key_create"),
    path(
        "settings/api-keys/<slug:key_id>/revoke/", pages.api_key_revoke_page, name="api_key_revoke"
    ),
    path("settings/developer-apps/", oauth.developer_app_list, name="developer_app_list"),
    path("settings/developer-apps/new/", oauth.developer_app_create, name="developer_app_create"),
    path("settings/connected-apps/", oauth.connected_app_list, name="connected_app_list"),
    path(
        "settings/connected-apps/<slug:grant_id>/revoke/",
        oauth.connected_app_revoke,
        name="connected_app_revoke",
    ),
    path("oauth/authorize", oauth.authorize, name="oauth_authorize"),
    path("oauth/token", oauth.token, name="oauth_token"),
    path("api/v1/me", api.me, name="api_me"),
    path("api/v1/employees", api.employees, name="api_employees"),
    path("api/v1/groups", api.groups, name="api_groups"),
    path("api/v1/locations", api.locations, name="api_locations"),
    path("api/v1/legal-entities", api.legal_entities, name="api_legal_entities"),
    path("api/v1/employments", api.employments, name="api_employments"),
    path("api/v1/absence-types", api.absence_types, name="api_absence_types"),
    path("api/v1/absences", api.absences, name="api_absences"),
    path("api/v1/time-off-balances", api.time_off_balances, name="api_time_off_balances"),
    # Anything else under the API answers in JSON too, never with an HTML error page.
    re_path(r"^api/(?P<path>.*)$", api.not_found),
]
