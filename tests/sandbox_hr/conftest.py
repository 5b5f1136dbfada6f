"""A company with a signed-in administrator, and an app registered to connect to it."""

from __future__ import annotations

import pytest
from django.test import Client

from sandbox_hr.models import SandboxAccount, SandboxUser
from sandbox_hr.services import sandbox_account_create
from tests.support.factories import SandboxUserFactory
from tests.support.sandbox_hr import RegisteredApp, oauth_app_registered, sandbox_sign_in


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Initech AG", employees=3, seed=3)


@pytest.fixture
def admin(client: Client, account: SandboxAccount) -> SandboxUser:
    """An administrator of `account`, signed in to `client`."""
    user: SandboxUser = SandboxUserFactory(account=account, email="peter@initech.example")
    sandbox_sign_in(client, user)
    return user


@pytest.fixture
def registered() -> RegisteredApp:
    """An app allowed every scope, redirecting to `REDIRECT_URI`."""
    return oauth_app_registered()
