"""Sandbox HR: a small HR system of its own, served under `/sandbox-hr/`.

It has accounts (the "companies" using it), their users (who sign in to its pages), API keys
with per-key permissions, groups and employees; and, as an OAuth 2.0 provider, the apps
developers register and the grants companies give them. The `sandbox` connector reads it over
HTTP like any other tool. Every write goes through `sandbox_hr.services`.
"""

from __future__ import annotations

from sandbox_hr.models.accounts import (
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    SANDBOX_PERMISSION_DESCRIPTIONS,
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployeeStatus,
    SandboxEmploymentType,
    SandboxGender,
    SandboxGroup,
    SandboxGroupType,
    SandboxMaritalStatus,
    SandboxUser,
    SandboxUserRole,
    new_account_id,
    new_api_key_id,
    new_employee_id,
    new_group_id,
    new_user_id,
)
from sandbox_hr.models.oauth import (
    OAUTH_CLIENT_AUTH_METHODS,
    OAUTH_GRANT_TYPES,
    SandboxOAuthApp,
    SandboxOAuthCode,
    SandboxOAuthGrant,
    SandboxOAuthToken,
    new_oauth_app_id,
    new_oauth_code_id,
    new_oauth_grant_id,
    new_oauth_token_id,
    secret_digest,
)

__all__ = [
    "OAUTH_CLIENT_AUTH_METHODS",
    "OAUTH_GRANT_TYPES",
    "PERM_EMPLOYEES",
    "PERM_GROUPS",
    "PERM_PERSONAL",
    "PERM_SENSITIVE",
    "SANDBOX_PERMISSIONS",
    "SANDBOX_PERMISSION_DESCRIPTIONS",
    "SandboxAccount",
    "SandboxApiKey",
    "SandboxEmployee",
    "SandboxEmployeeStatus",
    "SandboxEmploymentType",
    "SandboxGender",
    "SandboxGroup",
    "SandboxGroupType",
    "SandboxMaritalStatus",
    "SandboxOAuthApp",
    "SandboxOAuthCode",
    "SandboxOAuthGrant",
    "SandboxOAuthToken",
    "SandboxUser",
    "SandboxUserRole",
    "new_account_id",
    "new_api_key_id",
    "new_employee_id",
    "new_group_id",
    "new_oauth_app_id",
    "new_oauth_code_id",
    "new_oauth_grant_id",
    "new_oauth_token_id",
    "new_user_id",
    "secret_digest",
]
