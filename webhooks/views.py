"""Webhook pages of the operator dashboard: endpoints, deliveries, the request inspector.

Thin views over `webhooks.selectors` (reads) and `webhooks.services` (writes). A signing
secret is rendered only in the response to the POST that created or rotated it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.roles import permission_required
from webhooks import selectors, services
from webhooks.forms import (
    DeliveryFilterForm,
    EndpointCreateForm,
    EndpointForm,
    RedeliverFailedForm,
)
from webhooks.inspector import REQUESTS_PER_BIN, inspector_endpoints, inspector_requests
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.services import SECRET_ROTATION_OVERLAP
from webhooks.urlsafety import UnsafeUrlError

DELIVERIES_PER_PAGE = 50
# The redeliver form shares the deliveries page with the filters (both have an endpoint).
REDELIVER_PREFIX = "redeliver"

T = TypeVar("T")


def _endpoint_or_404(endpoint_id: str) -> WebhookEndpoint:
    # A NUL byte would reach PostgreSQL as a driver error instead of "no row".
    endpoint = None if "\x00" in endpoint_id else selectors.endpoint_get(endpoint_id=endpoint_id)
    if endpoint is None:
        raise Http404("No such webhook endpoint.")
    return endpoint


def _delivery_or_404(delivery_id: str) -> WebhookDelivery:
    delivery = None if "\x00" in delivery_id else selectors.delivery_get(delivery_id=delivery_id)
    if delivery is None:
        raise Http404("No such delivery.")
    return delivery


def _endpoint_label(endpoint: WebhookEndpoint) -> str:
    return endpoint.description or endpoint.url


def _written_or_form_error(form: forms.Form, write: Callable[[], T]) -> T | None:
    """Run an endpoint write; a URL or value the service refuses becomes a form error."""
    try:
        return write()
    except UnsafeUrlError as error:
        form.add_error("url", str(error))
    except ValueError as error:
        form.add_error(None, str(error))
    return None


@dataclass(frozen=True)
class NewSecret:
    """A signing secret to show in this one response, after creating or rotating it."""

    endpoint: WebhookEndpoint
    secret: str
    rotated: bool


def _render_endpoint_list(
    request: HttpRequest,
    *,
    form: EndpointCreateForm,
    environments: dict[str, str],
    new_secret: NewSecret | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.endpoint_list(environments=environments)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {
            "form": form,
            "rows": rows,
            "disabled_rows": [row for row in rows if not row.endpoint.enabled],
            "has_environments": bool(environments),
            "new_secret": new_secret,
            "rotation_overlap_hours": int(SECRET_ROTATION_OVERLAP.total_seconds() // 3600),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(roles.VIEW_WEBHOOK_ENDPOINT, post=roles.ADD_WEBHOOK_ENDPOINT)
def endpoint_list(request: HttpRequest) -> HttpResponse:
    environments = selectors.environment_names()
    if request.method != "POST":
        form = EndpointCreateForm(environments=environments)
        return _render_endpoint_list(request, form=form, environments=environments)
    form = EndpointCreateForm(request.POST, environments=environments)
    if form.is_valid():
        created = _written_or_form_error(
            form,
            lambda: services.endpoint_create(
                environment_id=form.cleaned_data["environment"],
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                event_types=form.cleaned_data["event_types"],
            ),
        )
        if created is not None:
            endpoint, secret = created
            return _render_endpoint_list(
                request,
                form=EndpointCreateForm(environments=environments),
                environments=environments,
                new_secret=NewSecret(endpoint=endpoint, secret=secret, rotated=False),
            )
    return _render_endpoint_list(request, form=form, environments=environments, status=400)


@require_http_methods(["GET", "POST"])
@permission_required(roles.CHANGE_WEBHOOK_ENDPOINT)
def endpoint_edit(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint_or_404(endpoint_id)
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            saved = _written_or_form_error(
                form,
                lambda: services.endpoint_update(
                    endpoint=endpoint,
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                    event_types=form.cleaned_data["event_types"],
                ),
            )
            if saved is not None:
                messages.success(request, f"Endpoint “{_endpoint_label(endpoint)}” saved.")
                return redirect("webhooks:endpoint_list")
        # A refused change must not leak into the page through the instance.
        endpoint.refresh_from_db()
    else:
        form = EndpointForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": endpoint.event_types,
            }
        )
    return render(
        request,
        "webhooks/endpoint_edit.html",
        {
            "endpoint": endpoint,
            "form": form,
            "environment_name": selectors.environment_names().get(
                endpoint.environment_id, endpoint.environment_id
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required(roles.CHANGE_WEBHOOK_ENDPOINT)
def endpoint_enabled_update(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint_or_404(endpoint_id)
    enabled = request.POST.get("enabled") == "true"
    services.endpoint_update(endpoint=endpoint, enabled=enabled)
    if enabled:
        messages.success(
            request,
            f"Endpoint “{_endpoint_label(endpoint)}” is enabled; new events are delivered to it. "
            "Redeliver what failed meanwhile from the deliveries page.",
        )
    else:
        messages.success(
            request,
            f"Endpoint “{_endpoint_label(endpoint)}” is disabled; it receives nothing until "
            "enabled again.",
        )
    return redirect("webhooks:endpoint_list")


@never_cache
@require_POST
@permission_required(roles.CHANGE_WEBHOOK_ENDPOINT)
def endpoint_rotate_secret(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint_or_404(endpoint_id)
    secret = services.endpoint_rotate_secret(endpoint=endpoint)
    environments = selectors.environment_names()
    return _render_endpoint_list(
        request,
        form=EndpointCreateForm(environments=environments),
        environments=environments,
        new_secret=NewSecret(endpoint=endpoint, secret=secret, rotated=True),
    )


@require_POST
@permission_required(roles.SEND_TEST_WEBHOOK)
def endpoint_send_test(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint_or_404(endpoint_id)
    event = services.endpoint_send_test(endpoint=endpoint)
    delivery = event.deliveries.get()
    if endpoint.enabled:
        messages.success(request, f"Test event sent to “{_endpoint_label(endpoint)}”.")
    else:
        messages.warning(
            request,
            f"Endpoint “{_endpoint_label(endpoint)}” is disabled: the test event will fail "
            "until it is enabled.",
        )
    return redirect("webhooks:delivery_detail", delivery_id=delivery.pk)


@require_http_methods(["GET", "POST"])
@permission_required(roles.DELETE_WEBHOOK_ENDPOINT)
def endpoint_delete(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint_or_404(endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(
            request, f"Endpoint “{_endpoint_label(endpoint)}” and its deliveries were deleted."
        )
        return redirect("webhooks:endpoint_list")
    return render(
        request,
        "webhooks/endpoint_confirm_delete.html",
        {"endpoint": endpoint, "delivery_count": endpoint.deliveries.count()},
    )


@require_GET
@permission_required(roles.VIEW_WEBHOOK_DELIVERY)
def delivery_list(request: HttpRequest) -> HttpResponse:
    endpoints = selectors.endpoint_choices()
    form = DeliveryFilterForm(request.GET, endpoints=endpoints)
    filters = form.filters()
    page = Paginator(selectors.delivery_list(**filters), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    redeliver_form = RedeliverFailedForm(
        endpoints=endpoints,
        prefix=REDELIVER_PREFIX,
        initial={
            "since": timezone.localtime() - timedelta(days=1),
            "endpoint": filters["endpoint_id"] or "",
        },
    )
    return render(
        request,
        "webhooks/delivery_list.html",
        {
            "form": form,
            "page": page,
            "is_filtered": any(filters.values()),
            "redeliver_form": redeliver_form,
            "timezone_name": timezone.get_current_timezone_name(),
        },
    )


@require_POST
@permission_required(roles.REDELIVER_WEBHOOK)
def deliveries_redeliver_failed(request: HttpRequest) -> HttpResponse:
    form = RedeliverFailedForm(
        request.POST, endpoints=selectors.endpoint_choices(), prefix=REDELIVER_PREFIX
    )
    if not form.is_valid():
        messages.error(request, "Choose a valid date and time to redeliver failed deliveries.")
        return redirect("webhooks:delivery_list")
    since = form.cleaned_data["since"]
    endpoint_id = form.cleaned_data["endpoint"]
    if endpoint_id:
        endpoint = _endpoint_or_404(endpoint_id)
        count = services.deliveries_redeliver_failed(
            environment_id=endpoint.environment_id, since=since, endpoint=endpoint
        )
    else:
        # The dashboard spans environments; the service works on one at a time.
        count = sum(
            services.deliveries_redeliver_failed(environment_id=environment_id, since=since)
            for environment_id in selectors.endpoint_environment_ids()
        )
    when = date_format(timezone.localtime(since), "M j, Y H:i")
    if count:
        messages.success(
            request, f"{count} failed deliver{'y' if count == 1 else 'ies'} since {when} queued."
        )
    else:
        messages.info(request, f"No failed deliveries since {when}.")
    url = reverse("webhooks:delivery_list") + "?status=PENDING"
    if endpoint_id:
        url += f"&endpoint={endpoint_id}"
    return redirect(url)


@require_GET
@permission_required(roles.VIEW_WEBHOOK_DELIVERY)
def delivery_detail(request: HttpRequest, delivery_id: str) -> HttpResponse:
    delivery = _delivery_or_404(delivery_id)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "delivery": delivery,
            "payload": json.dumps(delivery.event.payload, indent=2, ensure_ascii=False),
            "attempts": [
                (attempt, json.dumps(attempt.request_headers, indent=2))
                for attempt in delivery.attempts.all()
            ],
            "can_redeliver": delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED),
        },
    )


@require_POST
@permission_required(roles.REDELIVER_WEBHOOK)
def delivery_redeliver(request: HttpRequest, delivery_id: str) -> HttpResponse:
    delivery = _delivery_or_404(delivery_id)
    if services.delivery_redeliver(delivery=delivery):
        messages.success(request, "Redelivery queued: the next attempt is made now.")
    else:
        messages.info(request, "This delivery is already under way; nothing changed.")
    return redirect("webhooks:delivery_detail", delivery_id=delivery.pk)


@require_GET
@permission_required(roles.VIEW_INSPECTOR_REQUEST)
def inspector_page(request: HttpRequest, bin_id: str) -> HttpResponse:
    endpoints = inspector_endpoints(bin_id=bin_id)
    return render(
        request,
        "webhooks/inspector.html",
        {
            "bin_id": bin_id,
            "receive_url": request.build_absolute_uri(reverse("inspector:receive", args=[bin_id])),
            "endpoints": endpoints,
            "requests": inspector_requests(bin_id=bin_id, endpoints=endpoints),
            "limit": REQUESTS_PER_BIN,
        },
    )
