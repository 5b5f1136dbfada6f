"""The demo's Sandbox HR administrator logins."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox_hr.demo_data.people import email_domain_for, unique_email


@dataclass(frozen=True)
class DemoLogin:
    account_name: str
    email: str
    # The only place the password exists in plain text: printed once, then gone.
    password: str


def demo_login_email(account_name: str, taken: set[str]) -> str:
    return unique_email("admin", email_domain_for(account_name), taken)


def demo_logins_text(logins: list[DemoLogin], *, base_url: str) -> str:
    """What `make run` prints, the way it prints the operator login."""
    lines = [
        "Sandbox HR logins, an administrator per account (shown once, write them down):",
        f"    URL: {base_url}/sandbox-hr/sign-in/",
    ]
    lines += [
        f"    {login.account_name}: email {login.email}  password {login.password}"
        for login in logins
    ]
    return "\n".join(lines)
