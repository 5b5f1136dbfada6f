"""Every write of Sandbox HR. Each service owns its transaction."""

from __future__ import annotations

from sandbox_hr.services.accounts import (
    API_KEY_DISPLAY_LENGTH,
    API_KEY_PREFIX,
    MAX_EMPLOYEES_PER_CALL,
    ApiKeyManagementDeniedError,
    SandboxUserInvalidError,
    permissions_normalized,
    sandbox_account_create,
    sandbox_api_key_authenticate,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
    sandbox_demo_logins_create,
    sandbox_employees_add,
    sandbox_permission_grant,
    sandbox_permission_remove,
    sandbox_user_authenticate,
    sandbox_user_create,
)
from sandbox_hr.services.callers import (
    PermissionHolder,
    SandboxCaller,
    bearer_credential,
    sandbox_caller_authenticate,
)
from sandbox_hr.services.oauth import (
    ACCESS_TOKEN_PREFIX,
    OAuthAppInvalidError,
    OAuthManagementDeniedError,
    sandbox_oauth_app_register,
    sandbox_oauth_grant_revoke,
    sandbox_oauth_grant_seed,
    sandbox_oauth_grants_revoke,
    sandbox_oauth_token_authenticate,
)

__all__ = [
    "ACCESS_TOKEN_PREFIX",
    "API_KEY_DISPLAY_LENGTH",
    "API_KEY_PREFIX",
    "MAX_EMPLOYEES_PER_CALL",
    "ApiKeyManagementDeniedError",
    "OAuthAppInvalidError",
    "OAuthManagementDeniedError",
    "PermissionHolder",
    "SandboxCaller",
    "SandboxUserInvalidError",
    "bearer_credential",
    "permissions_normalized",
    "sandbox_account_create",
    "sandbox_api_key_authenticate",
    "sandbox_api_key_create",
    "sandbox_api_key_revoke",
    "sandbox_caller_authenticate",
    "sandbox_demo_logins_create",
    "sandbox_employees_add",
    "sandbox_oauth_app_register",
    "sandbox_oauth_grant_revoke",
    "sandbox_oauth_grant_seed",
    "sandbox_oauth_grants_revoke",
    "sandbox_oauth_token_authenticate",
    "sandbox_permission_grant",
    "sandbox_permission_remove",
    "sandbox_user_authenticate",
    "sandbox_user_create",
]
