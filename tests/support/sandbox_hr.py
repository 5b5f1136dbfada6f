"""Acting as a person on Sandbox HR's own pages."""

from __future__ import annotations

from django.test import Client

from sandbox_hr.models import SandboxUser
from tests.support.factories import SANDBOX_PASSWORD

SIGN_IN = "/sandbox-hr/sign-in/"


def sandbox_sign_in(client: Client, user: SandboxUser, password: str = SANDBOX_PASSWORD) -> None:
    """Sign `client` in through the sign-in form, as a person would."""
    response = client.post(SIGN_IN, {"email": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
