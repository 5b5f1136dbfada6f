"""Every answer under `/api/` is Kombo's JSON error envelope, never Django's HTML pages: an
unknown path is a 404 for every method, a wrong method on a known endpoint a 405 with `Allow`,
whether or not the request carries a valid API key or a dashboard session cookie.

Sources: the envelope and its codes are the official `kombo` SDK's `KomboGeneralErrorData`
model (kombo 1.4.0); the endpoints' methods are Kombo's API reference (`GET /check-api-key`,
`GET|DELETE /integrations/{id}`, `POST /force-sync`, `POST /connect/create-link`,
`POST /integrations/{id}/relink`, `PUT /integrations/{id}/enabled`); RFC 9110 section 15.5.6:
"The origin server MUST generate an Allow header field in a 405 response containing a list
of the target resource's currently supported methods."
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from kombo.errors.kombogeneralerror import KomboGeneralErrorData

from core.models import ApiKey, Environment
from tests.support.factories import IntegrationFactory

UNKNOWN_PATHS = [
    "/api/v1/no-such-endpoint",
    "/api/v1/integrations/some-id/no-such-action",
    "/api/v2/check-api-key",
    "/api/",
]
METHODS_WITH_BODY = ["get", "post", "put", "patch", "delete", "options"]
CREDENTIALS = ["no_key_no_session", "key", "session", "key_and_session"]


@pytest.fixture(params=CREDENTIALS)
def client(request: pytest.FixtureRequest, api_key: tuple[ApiKey, str], operator: object) -> Client:
    """A client that, like a browser, has Django's CSRF check enforced on it."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key[1]}"} if "key" in request.param else {}
    browser = Client(enforce_csrf_checks=True, **headers)
    if "session" in request.param:
        browser.force_login(operator)  # type: ignore[arg-type]
    return browser


def send(client: Client, method: str, path: str) -> HttpResponse:
    """`method` with a JSON body, as API clients send it (a GET has none)."""
    if method == "get":
        return client.get(path)
    response: HttpResponse = getattr(client, method)(
        path, data="{}", content_type="application/json"
    )
    return response


def assert_envelope(response: HttpResponse, status: int) -> KomboGeneralErrorData:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()
    envelope = KomboGeneralErrorData.model_validate(response.json())
    assert envelope.status == "error"
    return envelope


@pytest.mark.parametrize("path", UNKNOWN_PATHS)
@pytest.mark.parametrize("method", METHODS_WITH_BODY)
def test_it_answers_every_method_on_an_unknown_path_with_the_envelope(
    client: Client, method: str, path: str
) -> None:
    response = send(client, method, path)

    envelope = assert_envelope(response, 404)
    assert envelope.error.code == "PLATFORM.INPUT_INVALID"
    assert path in envelope.error.message


@pytest.mark.parametrize("path", UNKNOWN_PATHS)
def test_it_answers_head_on_an_unknown_path_as_json_without_a_body(
    client: Client, path: str
) -> None:
    response = client.head(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.content == b""


# (path, a method Kombo's reference does not have there, the methods it has there)
WRONG_METHODS = [
    ("/api/v1/check-api-key", "post", {"GET"}),
    ("/api/v1/check-api-key", "delete", {"GET"}),
    ("/api/v1/integrations/{id}", "post", {"GET", "DELETE"}),
    ("/api/v1/integrations/{id}", "put", {"GET", "DELETE"}),
    ("/api/v1/integrations/{id}", "patch", {"GET", "DELETE"}),
    ("/api/v1/integrations/{id}/enabled", "get", {"PUT"}),
    ("/api/v1/integrations/{id}/enabled", "patch", {"PUT"}),
    ("/api/v1/integrations/{id}/relink", "get", {"POST"}),
    ("/api/v1/integrations/{id}/relink", "delete", {"POST"}),
    ("/api/v1/force-sync", "get", {"POST"}),
    ("/api/v1/connect/create-link", "put", {"POST"}),
]


@pytest.mark.parametrize(("path", "method", "allowed"), WRONG_METHODS)
def test_it_refuses_a_wrong_method_with_405_and_allow(
    client: Client, environment: Environment, path: str, method: str, allowed: set[str]
) -> None:
    integration = IntegrationFactory(environment=environment)

    response = send(client, method, path.format(id=integration.pk))

    envelope = assert_envelope(response, 405)
    assert envelope.error.code == "PLATFORM.INPUT_INVALID"
    assert method.upper() in envelope.error.message
    listed = {name.strip() for name in response["Allow"].split(",")}
    assert allowed <= listed
    assert method.upper() not in listed
