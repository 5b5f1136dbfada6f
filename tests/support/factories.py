"""factory-boy factories for the domain, and builders of whole setups. Integrations are created
through the service, so they come with an encrypted credential version and an audit event, as in
real life."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import factory

from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    Integration,
    LinkType,
    ReconnectionLink,
    ScopeConfig,
)
from integrations.read_models import READ_MODELS
from integrations.services import connect_link_create, integration_create
from integrations.tools.sandbox import (
    PERM_ABSENCES,
    PERM_COMPENSATION,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_ORG,
    PERM_PERSONAL,
    PERM_SENSITIVE,
)
from sandbox_hr.models import SandboxAccount, SandboxApiKey, SandboxUser, SandboxUserRole
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create, sandbox_user_create
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from webhooks.services import endpoint_create, event_emit

# Every SandboxUserFactory login signs in with this password.
SANDBOX_PASSWORD = "sandcastle on a windy beach"
ALL_PERMISSIONS = (
    PERM_EMPLOYEES,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    PERM_GROUPS,
    PERM_ORG,
    PERM_COMPENSATION,
    PERM_ABSENCES,
)


def scope_settings_all_enabled() -> dict[str, Any]:
    return {
        model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
        for model in READ_MODELS.values()
    }


class EnvironmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Environment
        django_get_or_create = ("name",)

    name = "production"


class ScopeConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeConfig
        django_get_or_create = ("environment", "name")

    environment = factory.SubFactory(EnvironmentFactory)
    name = "Default"
    settings = factory.LazyFunction(scope_settings_all_enabled)


class IntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integration

    environment = factory.SubFactory(EnvironmentFactory)
    tool = "sandbox"
    organization_name = factory.Sequence(lambda n: f"Acme {n} GmbH")
    creator_email = factory.Sequence(lambda n: f"it-{n}@acme.example")
    origin_id = factory.Sequence(lambda n: f"cust-{n}")
    scope_config = factory.LazyAttribute(lambda o: ScopeConfigFactory(environment=o.environment))
    remote_account_id = "acc_demo"
    credentials = factory.LazyFunction(lambda: {"api_key": "sbx_test_key"})

    @classmethod
    def _create(cls, model_class: type[Integration], *args: Any, **kwargs: Any) -> Integration:
        credentials = kwargs.pop("credentials")
        extra = {
            key: kwargs.pop(key)
            for key in list(kwargs)
            if key
            not in {
                "environment",
                "tool",
                "organization_name",
                "creator_email",
                "origin_id",
                "scope_config",
                "remote_account_id",
            }
        }
        integration = integration_create(
            environment=kwargs["environment"],
            tool_id=kwargs["tool"],
            organization_name=kwargs["organization_name"],
            creator_email=kwargs["creator_email"],
            origin_id=kwargs["origin_id"],
            scope_config=kwargs["scope_config"],
            remote_account_id=kwargs["remote_account_id"],
            credentials=credentials,
            actor=Actor.system("factory"),
            source=CredentialSource.OPERATOR,
        )
        if extra:
            Integration.objects.filter(pk=integration.pk).update(**extra)
            integration.refresh_from_db()
        return integration


class SandboxUserFactory(factory.django.DjangoModelFactory):
    """A Sandbox HR login of `account` (required), made by the service: the password is hashed
    as in real life. It signs in with SANDBOX_PASSWORD."""

    class Meta:
        model = SandboxUser

    email = factory.Sequence(lambda n: f"person-{n}@sandbox.example")
    role = SandboxUserRole.ADMINISTRATOR

    @classmethod
    def _create(cls, model_class: type[SandboxUser], *args: Any, **kwargs: Any) -> SandboxUser:
        return sandbox_user_create(
            account=kwargs["account"],
            email=kwargs["email"],
            password=SANDBOX_PASSWORD,
            role=kwargs["role"],
        )


@dataclass(frozen=True)
class NewCustomerLink:
    link: ReconnectionLink
    # The hosted form's path, "/connect/<token>", for a test client to open or post to.
    path: str


def connect_link_for_new_customer(
    *, environment: Environment, tool_id: str = "sandbox"
) -> NewCustomerLink:
    """A fresh magic link through which a new customer connects `tool_id`, with the
    environment's default scope config, made by the service as an operator would."""
    link, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="NewCo",
        email="it@newco.example",
        origin_id=None,
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=Actor.system("tests"),
        tool_id=tool_id,
    )
    return NewCustomerLink(link=link, path=urlsplit(url).path)


@dataclass
class SandboxSetup:
    account: SandboxAccount
    key: SandboxApiKey
    raw_key: str
    integration: Integration


def sandbox_integration(
    *,
    environment: Environment,
    permissions: tuple[str, ...] = ALL_PERMISSIONS,
    employees: int = 12,
    scope_config: ScopeConfig | None = None,
    **fields: Any,
) -> SandboxSetup:
    """A sandbox HR account with an API key, and an integration of it using that key: served
    over real HTTP when the test also uses the `sandbox_hr` fixture."""
    account = sandbox_account_create(name="Acme GmbH", employees=employees, seed=7)
    key, raw_key = sandbox_api_key_create(account=account, name="kombo", permissions=permissions)
    integration = IntegrationFactory(
        environment=environment,
        scope_config=scope_config or ScopeConfigFactory(environment=environment),
        credentials={"api_key": raw_key},
        remote_account_id=account.id,
        **fields,
    )
    return SandboxSetup(account, key, raw_key, integration)


def webhook_endpoint(
    environment: Environment, url: str = "https://receiver.example/hooks", **fields: object
) -> tuple[WebhookEndpoint, str]:
    """An endpoint of `environment`, made by the service; returns it and its secret."""
    return endpoint_create(environment_id=environment.pk, url=url, **fields)  # type: ignore[arg-type]


def webhook_deliveries(
    endpoint: WebhookEndpoint,
    count: int,
    *,
    type: str = "sync-finished",
    integration_id: str = "sandbox:abc",
    status: str = DeliveryStatus.PENDING,
    **fields: object,
) -> list[WebhookDelivery]:
    """`count` deliveries to `endpoint` of new events, each then set to `status` and `fields`."""
    ids = [
        event_emit(
            environment_id=endpoint.environment_id,
            type=type,
            data={"integration_id": integration_id, "n": n},
            integration_id=integration_id,
            only_endpoint=endpoint,
        )
        .deliveries.get()
        .pk
        for n in range(count)
    ]
    WebhookDelivery.objects.filter(pk__in=ids).update(status=status, **fields)
    return list(WebhookDelivery.objects.filter(pk__in=ids))
