"""The OpenAPI document and Swagger UI: served without an API key, and describing our API."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema

OPERATIONS = {
    ("/api/v1/check-api-key", "get"): "GetCheckApiKey",
    ("/api/v1/integrations", "get"): "GetIntegrations",
    ("/api/v1/integrations/{integration_id}", "get"): "GetIntegrationsIntegrationId",
    ("/api/v1/integrations/{integration_id}", "delete"): "DeleteIntegrationsIntegrationId",
    ("/api/v1/integrations/{integration_id}/enabled", "put"): "PutIntegrationsIntegrationIdEnabled",
    ("/api/v1/tools/{category}", "get"): "GetToolsCategory",
}

pytestmark = pytest.mark.django_db


def test_it_serves_a_valid_openapi_3_document_as_json() -> None:
    response = Client().get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for (path, method), operation_id in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert operation["security"] == [{"ApiKey": []}]
        assert "#/components/schemas/ErrorEnvelope" in str(operation["responses"])
    assert schema["components"]["securitySchemes"]["ApiKey"] == {"type": "http", "scheme": "bearer"}


def test_it_serves_the_document_as_yaml_by_default() -> None:
    response = Client().get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    assert {path for path, _ in OPERATIONS} <= set(schema["paths"])


def test_it_documents_the_response_shapes() -> None:
    schemas = Client().get("/api/v1/schema/?format=json").json()["components"]["schemas"]

    integration = schemas["Integration"]
    assert set(integration["required"]) == {
        "id",
        "tool",
        "category",
        "status",
        "setup_status",
        "end_user",
        "scope_config",
        "data_expired_at",
        "created_at",
        "beta",
        "read_models",
        "write_actions",
    }
    assert integration["properties"]["data_expired_at"]["nullable"] is True
    assert set(schemas["ErrorEnvelope"]["required"]) == {"status", "error"}
    assert set(schemas["ErrorDetail"]["required"]) == {"code", "title", "message", "log_url"}
    assert schemas["IntegrationEnabledRequest"]["properties"]["value"]["type"] == "boolean"


def test_it_documents_413_and_415_wherever_a_body_is_read() -> None:
    """A body too large or not JSON gets 413 or 415 from every operation that reads one."""
    paths = Client().get("/api/v1/schema/?format=json").json()["paths"]

    with_body = {
        (method.upper(), path): operation["responses"]
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }

    assert ("POST", "/api/v1/connect/create-link") in with_body
    for (method, path), responses in with_body.items():
        for status in ("413", "415"):
            assert status in responses, f"{method} {path} does not document {status}"
            assert "ErrorEnvelope" in str(responses[status]), (method, path, status)


def test_it_serves_swagger_ui_without_an_api_key() -> None:
    response = Client().get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/v1/schema/" in response.content
