"""Schemathesis against `/api/v1/schema/`: every operation, then chains of linked operations.

Whatever it sends, positive or negative, no answer may be a 5xx, leave the documented status
codes, content types and shapes, or carry an error outside Kombo's envelope.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, get_args

import hypothesis
import hypothesis.strategies as st
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from kombo.models.kombogeneralerror import KomboGeneralErrorCode
from kombo.models.kombohriserror import KomboHrisErrorCode
from pytest_django.live_server_helper import LiveServer
from pytest_httpserver import HTTPServer
from schemathesis.checks import not_a_server_error
from schemathesis.config import HealthCheck
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from core.models import ApiKey, Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_complete, relink_link_create, relink_link_revoke
from kombo_site.wsgi import application
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory, sandbox_integration
from tests.support.processes import run_queued_syncs
from webhooks.delivery import delivery_attempt
from webhooks.services import endpoint_create, endpoint_send_test, event_emit

pytestmark = pytest.mark.django_db(transaction=True)

# Per operation: ~25 random cases on top of the deterministic coverage cases keeps the whole
# file well under a minute on two cores.
EXAMPLES_PER_OPERATION = 25
STATEFUL_SCENARIOS = 20
STATEFUL_STEPS = 8

# `positive_data_acceptance` and `negative_data_rejection` are left out on purpose: a schema
# cannot say which cursor or scope config exists (a schema-valid value may rightly get a 400),
# and DRF reads a blank query parameter as an absent one and a JSON number as a string.
RESPONSE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
    ignored_auth,
]


# The codes the official SDK (kombo 1.4.0) can parse: `KomboHrisError` on the HRIS endpoints,
# `KomboGeneralError` on every other one. Any other code makes the SDK raise
# ResponseValidationError instead of the typed error a customer's code catches.
HRIS_ERROR_CODES = frozenset(get_args(KomboHrisErrorCode))
GENERAL_ERROR_CODES = frozenset(get_args(KomboGeneralErrorCode))


def kombo_error_envelope(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    """Every error is `{"status": "error", "error": {code, title, message, log_url}}` in JSON,
    its `log_url` pointing at the request's log entry, its code one the SDK's error model of
    that endpoint declares."""
    if response.status_code < 400:
        return None
    headers = {name.lower(): values for name, values in response.headers.items()}
    content_type = headers.get("content-type", [""])[0]
    assert content_type == "application/json", f"error answered as {content_type!r}"
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) == {"status", "error"}, body
    assert body["status"] == "error", body
    error = body["error"]
    assert set(error) == {"code", "title", "message", "log_url"}, body
    for key in ("code", "title", "message"):
        assert isinstance(error[key], str), body
        assert error[key], body
    codes = HRIS_ERROR_CODES if "/hris/" in case.path else GENERAL_ERROR_CODES
    assert error["code"] in codes, f"{error['code']} is not a code the SDK knows here: {body}"
    assert str(error["log_url"]).startswith(f"{settings.BASE_URL}/dashboard/logs/"), body
    return None


def documented_status_code(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    """Like `status_code_conformance`, but also for the coverage phase's request-shape probes
    (a body of another media type, a malformed one, ...), which that check lets pass."""
    if case.method.upper() != case.operation.method.upper():
        # A method the path does not serve: `unsupported_method` wants its 405 and `Allow`.
        return None
    documented = case.operation.responses.status_codes
    assert str(response.status_code) in documented, (
        f"{response.status_code} is not documented (only {', '.join(documented)})"
    )
    return None


@dataclass
class FuzzWorld:
    """Ids of real objects, so generated requests reach more than "not found"."""

    raw_key: str
    integrations: list[str] = field(default_factory=list)
    scope_configs: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    activation_tokens: list[str] = field(default_factory=list)
    syncs: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)

    def ids_for(self, parameter: str) -> list[str]:
        return {
            "integration_id": self.integrations,
            "link_id": self.links,
            "token": self.activation_tokens,
            "sync_id": self.syncs,
            "endpoint_id": self.endpoints,
            "delivery_id": self.deliveries,
        }.get(parameter, [])


@pytest.fixture
def fuzz_world(
    live_server: LiveServer,
    settings: Any,
    environment: Environment,
    api_key: tuple[ApiKey, str],
    httpserver: HTTPServer,
) -> FuzzWorld:
    """Integrations on the sandbox HR (over real HTTP) with a finished sync, open, used and
    revoked links, webhook endpoints (one pointing at a local receiver) and deliveries."""
    settings.SANDBOX_HR_URL = live_server.url + "/sandbox-hr"
    httpserver.expect_request("/hook").respond_with_data("ok")
    world = FuzzWorld(raw_key=api_key[1])
    actor = Actor.system("schemathesis")

    synced = sandbox_integration(environment=environment, employees=6)
    relinked = sandbox_integration(environment=environment, employees=2)
    invalid = IntegrationFactory(environment=environment, status=IntegrationStatus.INVALID)
    disabled = IntegrationFactory(
        environment=environment, enabled=False, status=IntegrationStatus.INACTIVE
    )
    world.integrations += [synced.integration.pk, relinked.integration.pk, invalid.pk, disabled.pk]
    world.scope_configs.append(synced.integration.scope_config_id)

    sync_enqueue(integration=synced.integration, sync_type="FULL", trigger=SyncTrigger.API)
    world.syncs += [sync.pk for sync in run_queued_syncs()]

    for link_type in (LinkType.EMBEDDED, LinkType.MAGIC_LINK, LinkType.MAGIC_LINK):
        link, _ = relink_link_create(
            integration=synced.integration, link_type=link_type, language="de", actor=actor
        )
        world.links.append(link.pk)
    relink_link_revoke(link=link, actor=actor)
    used, _ = relink_link_create(
        integration=relinked.integration, link_type=LinkType.EMBEDDED, language="en", actor=actor
    )
    completed = relink_link_complete(link=used, credentials={"api_key": relinked.raw_key})
    assert completed.activation_token is not None, completed
    world.links.append(used.pk)
    world.activation_tokens.append(completed.activation_token)

    receiving, _ = endpoint_create(environment_id=environment.pk, url=httpserver.url_for("/hook"))
    subscribed, _ = endpoint_create(
        environment_id=environment.pk,
        url="https://hooks.example/kombo",
        description="sync events only",
        event_types=["sync-finished"],
    )
    world.endpoints += [receiving.pk, subscribed.pk]
    event = event_emit(
        environment_id=environment.pk,
        type="integration-created",
        data={"id": synced.integration.pk},
        integration_id=synced.integration.pk,
    )
    world.deliveries += list(event.deliveries.values_list("pk", flat=True))
    delivered = event.deliveries.get(endpoint=receiving)
    delivery_attempt(delivery_id=delivered.pk)
    world.deliveries += list(
        endpoint_send_test(endpoint=receiving).deliveries.values_list("pk", flat=True)
    )
    return world


@pytest.fixture
def _in_process_requests_keep_the_test_connection() -> Iterator[None]:
    """Requests go straight into the WSGI application on this thread; Django's request signals
    would close the test's database connection after each one (its test client skips them too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Whatever the requests inside change is undone, so every case meets the seeded world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _generated_or_real(generated: Any, real: list[str]) -> st.SearchStrategy[Any]:
    # The generated value comes first: a failing example shrinks towards it.
    return st.sampled_from([generated, *real])


@pytest.fixture
def api_schema(
    fuzz_world: FuzzWorld, _in_process_requests_keep_the_test_connection: None
) -> OpenApiSchema:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    schema.config.generation.update(
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
        # Hypothesis would otherwise keep failing examples in `.hypothesis/` for the next run.
        database="none",
    )
    # A busy CI machine must not turn slow data generation into a failure.
    schema.config.update(suppress_health_check=[HealthCheck.too_slow])
    world = fuzz_world

    @schema.auth()
    class ApiKeyAuth:
        """The real key on every case, except those generated to go without one."""

        def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
            return world.raw_key

        def set(
            self, case: schemathesis.Case, raw_key: str, context: schemathesis.AuthContext
        ) -> None:
            case.headers["Authorization"] = f"Bearer {raw_key}"

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        return st.fixed_dictionaries(
            {
                name: _generated_or_real(value, world.ids_for(name))
                for name, value in path_parameters.items()
            }
        )

    @schema.hook
    def flatmap_headers(context: Any, headers: dict[str, Any] | None) -> Any:
        if not isinstance(headers, dict) or "X-Integration-Id" not in headers:
            return st.just(headers)
        return _generated_or_real(headers["X-Integration-Id"], world.integrations).map(
            lambda integration_id: {**headers, "X-Integration-Id": integration_id}
        )

    @schema.hook
    def flatmap_query(context: Any, query: dict[str, Any] | None) -> Any:
        pools = {"integration_id": world.integrations, "endpoint_id": world.endpoints}
        if not isinstance(query, dict) or not set(query) & set(pools):
            return st.just(query)
        return st.fixed_dictionaries(
            {name: _generated_or_real(value, pools.get(name, [])) for name, value in query.items()}
        )

    @schema.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        if not isinstance(body, dict) or "scope_config_id" not in body:
            return st.just(body)
        return _generated_or_real(body["scope_config_id"], world.scope_configs).map(
            lambda scope_config_id: {**body, "scope_config_id": scope_config_id}
        )

    return schema


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # Schemathesis 4.32's lazy schemas read `Node._nodeid`, which pytest 9.2 no longer has.
    request.node._nodeid = request.node.nodeid


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
def test_it_answers_every_operation_within_the_contract(case: schemathesis.Case) -> None:
    with _rolled_back():
        case.call_and_validate(
            checks=[*RESPONSE_CHECKS, documented_status_code, kombo_error_envelope]
        )


def test_it_keeps_the_contract_across_linked_operations(api_schema: OpenApiSchema) -> None:
    """Chains along the links schemathesis infers from response fields (create an endpoint, then
    read, patch, rotate, test and delete it; list links, then revoke one; ...)."""
    checks = [
        *RESPONSE_CHECKS,
        use_after_free,
        ensure_resource_availability,
        documented_status_code,
        kombo_error_envelope,
    ]

    class LinkedOperations(api_schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            # Every scenario starts from the seeded world: Hypothesis replays scenarios and
            # expects the same answers to the same requests.
            self.scenario = ExitStack()
            self.scenario.enter_context(_rolled_back())

        def teardown(self) -> None:
            self.scenario.close()
            super().teardown()

        def validate_response(
            self, response: schemathesis.Response, case: schemathesis.Case, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=checks, recorder=self.recorder)

    LinkedOperations.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            # As in schemathesis' own state machines: steps drawn from server answers trip
            # Hypothesis' heuristics for slow or filtered generation.
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
