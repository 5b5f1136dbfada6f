"""Settings: every value comes from the environment (12-factor), with safe local defaults.

Local runs (`make run`) write a `.env` with DEBUG=true and generated secrets; in production
(DEBUG off) the secrets below must be set or start-up fails, naming what is missing.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import environ
from cryptography.fernet import Fernet, MultiFernet
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from kombo_site.durations import env_duration
from kombo_site.logging_config import LOG_FORMATS, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Values already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)
# Local state of the embedded default: SQLite database, Celery's filesystem queue, beat schedule.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG: bool = env.bool("DEBUG", default=False)


def _as_written(name: str, default: str = "") -> str:
    # django-environ reads a value starting with "$" as the name of another variable, and one
    # in 50 keys of Django's own generator starts with one: a secret is read as written.
    return os.environ.get(name, default)


_missing = [
    name
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "BASE_URL")
    if not DEBUG and not _as_written(name)
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings (DEBUG off) need these environment variables: "
        + ", ".join(_missing)
        + ". Set them, or set DEBUG=true for a local run."
    )

# Public, so DEBUG only: its prefix is one Django's weak-key rule below refuses.
_DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-key-not-secret"
SECRET_KEY: str = _as_written("SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
# Django's own definition of a weak key (`check --deploy`, security.W009), enforced at start-up
# instead of only warned about by a check nobody may run.
if not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for production: it needs at least {SECRET_KEY_MIN_LENGTH} "
        f"characters, at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones and no "
        f"'{SECRET_KEY_INSECURE_PREFIX}' prefix (Django's security.W009). Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Fernet keys, newest first: the first encrypts, all decrypt (see `rotate_encryption_keys`).
_DEVELOPMENT_FERNET_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="
FIELD_ENCRYPTION_KEYS: list[str] = env.list(
    "FIELD_ENCRYPTION_KEYS",
    # Public, so DEBUG only (refused below otherwise); `make run` writes a generated one.
    default=[_DEVELOPMENT_FERNET_KEY],
)
try:
    MultiFernet([Fernet(key.encode()) for key in FIELD_ENCRYPTION_KEYS])
except (ValueError, TypeError):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be a comma-separated list of Fernet keys (32 url-safe "
        "base64-encoded bytes each); see the README for how to generate one."
    ) from None
if not DEBUG and _DEVELOPMENT_FERNET_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS contains the public development key; generate your own."
    )
# Public address of this site, used in links we hand out (log_url, connect links, emails).
BASE_URL: str = env.str("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "kombo_site",
    "core",
    "integrations",
    "sandbox_hr",
    "syncs",
    "webhooks",
]

MIDDLEWARE = [
    # First: every later line of the request carries its id.
    "core.middleware.RequestContextMiddleware",
    # Then: it counts every answer, the redirects and refusals of the middleware below too.
    "core.metrics.RequestMetricsMiddleware",
    # Before the Host check and the HTTPS redirect: probes come to the pod's own address.
    "core.middleware.HealthProbesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ApiRequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kombo_site.urls"
WSGI_APPLICATION = "kombo_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["core.templatetags.roles", "core.templatetags.tables"],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kombo.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# A kept-open connection the database dropped meanwhile (failover, restart, idle timeout) is
# replaced before a request uses it, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default shares one SQLite file between the web server and the worker.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Axes first: a locked-out (username, address) is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:integration_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A request body above this is refused with PLATFORM.INPUT_INVALID before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Load balancers and orchestrators probe over plain HTTP inside the network; a redirect to
# https would read as a failed probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# Reverse proxies in front of the site, each appending to X-Forwarded-For: 1 behind one load
# balancer. 0 ignores the header (anyone can send it). See core.client_address.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# --- Metrics (GET /metrics, Prometheus) ----------------------------------------------------
# Who may scrape: a Bearer token, client networks (CIDR, matched against the address
# core.client_address finds), or both (both must hold). With neither, /metrics answers 404,
# except to loopback clients in a DEBUG run.
METRICS_TOKEN: str = _as_written("METRICS_TOKEN")
try:
    METRICS_ALLOWED_ADDRESSES = [
        ipaddress.ip_network(network.strip(), strict=False)
        for network in env.list("METRICS_ALLOWED_ADDRESSES", default=[])
        if network.strip()
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_ADDRESSES: {error}") from None
# prometheus-client's multiprocess mode: a directory every web and worker process of this host
# writes its counters to, wiped before they start (README, "Metrics"). The library reads the
# variable itself when imported; it is a setting too so that the scrape reads the same folder.
PROMETHEUS_MULTIPROC_DIR: str = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR and not Path(PROMETHEUS_MULTIPROC_DIR).is_dir():
    raise ImproperlyConfigured(
        f"PROMETHEUS_MULTIPROC_DIR ({PROMETHEUS_MULTIPROC_DIR}) must be an existing directory."
    )

# --- Sign-in lockout (django-axes for Django users; Sandbox HR's sign-in follows the same) ---
LOGIN_FAILURE_LIMIT: int = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_PERIOD = env_duration(env, "LOGIN_LOCKOUT_PERIOD", default="15m")
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_PERIOD.total_seconds() <= 0:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_PERIOD must be positive.")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_PERIOD
# Per user *and* address: a stranger guessing an operator's password locks only themselves out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_network"
AXES_LOCKOUT_CALLABLE = "core.login_lockout.login_locked_out"
# A typo or two before the right password does not count towards a later lockout.
AXES_RESET_ON_SUCCESS = True
# The lock ends when the page says, however often it is tried meanwhile: still 5 guesses per
# period per address, and a person retrying the right password is not kept out longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kombo-site <noreply@localhost>")

# --- Celery ------------------------------------------------------------------------------
REDIS_URL: str = env.str("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL: str = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep a worker's database connection across tasks (Celery's Django fixup otherwise reconnects
# for every task: measured at ~5 ms per webhook delivery on PostgreSQL).
CELERY_DB_REUSE_MAX: int = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Three queues, so that slow webhook receivers cannot hold up syncs, nor either of them the
# scheduler tick: workers consume them all (`make run`) or are split by queue in production.
# The prefix keeps several installations (or test processes) on one Redis apart.
CELERY_QUEUE_PREFIX: str = env.str("CELERY_QUEUE_PREFIX", default="")
CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}celery"
CELERY_SYNCS_QUEUE = f"{CELERY_QUEUE_PREFIX}syncs"
CELERY_WEBHOOKS_QUEUE = f"{CELERY_QUEUE_PREFIX}webhooks"
# A worker started without --queues consumes every queue listed here.
CELERY_TASK_QUEUES = [
    Queue(name) for name in (CELERY_TASK_DEFAULT_QUEUE, CELERY_SYNCS_QUEUE, CELERY_WEBHOOKS_QUEUE)
]
CELERY_TASK_ROUTES = {
    "syncs.tasks.sync_run_task": {"queue": CELERY_SYNCS_QUEUE},
    "webhooks.tasks.webhook_deliveries_send_task": {"queue": CELERY_WEBHOOKS_QUEUE},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Health loop ---------------------------------------------------------------------------
SCHEDULER_TICK_SECONDS: float = env.float("SCHEDULER_TICK_SECONDS", default=60.0)
# How many due integrations one tick enqueues at most (in batches of SCHEDULER_BATCH_SIZE).
SCHEDULER_BATCH_SIZE: int = env.int("SCHEDULER_BATCH_SIZE", default=500)
SCHEDULER_MAX_PER_TICK: int = env.int("SCHEDULER_MAX_PER_TICK", default=5000)
AUTH_FAILURE_GRACE_PERIOD = env_duration(env, "AUTH_FAILURE_GRACE_PERIOD", default="3d")
FULL_SYNC_INTERVAL = env_duration(env, "FULL_SYNC_INTERVAL", default="10h")
DELTA_SYNC_INTERVAL = env_duration(env, "DELTA_SYNC_INTERVAL", default="3h")
# A RUNNING sync whose heartbeat is older than this is reaped as FAILED ("worker lost"); a
# QUEUED one this old is sent to the broker again (its message may have been lost).
SYNC_LEASE_SECONDS: int = env.int("SYNC_LEASE_SECONDS", default=600)

# --- Webhooks ------------------------------------------------------------------------------
# Endpoints on private, loopback or link-local addresses are refused unless this is on.
WEBHOOKS_ALLOW_PRIVATE_IPS: bool = env.bool("WEBHOOKS_ALLOW_PRIVATE_IPS", default=DEBUG)
# The whole attempt (DNS check, connect, sending, the answer) ends by then.
WEBHOOK_TIMEOUT_SECONDS: float = env.float("WEBHOOK_TIMEOUT_SECONDS", default=15.0)
# An IN_FLIGHT delivery older than this (a killed worker) is handed out again by the sweeper.
WEBHOOK_LEASE_SECONDS: int = env.int("WEBHOOK_LEASE_SECONDS", default=60)
# A lease ending while its attempt is still running would hand the delivery to a second worker
# (a duplicate send); recording a timed-out attempt takes milliseconds, this leaves seconds.
WEBHOOK_LEASE_MARGIN_SECONDS = 2.0
if WEBHOOK_LEASE_SECONDS < WEBHOOK_TIMEOUT_SECONDS + WEBHOOK_LEASE_MARGIN_SECONDS:
    raise ImproperlyConfigured(
        f"WEBHOOK_LEASE_SECONDS ({WEBHOOK_LEASE_SECONDS}) must be at least "
        f"WEBHOOK_TIMEOUT_SECONDS ({WEBHOOK_TIMEOUT_SECONDS:g}) + "
        f"{WEBHOOK_LEASE_MARGIN_SECONDS:g}: a delivery would be sent again while its attempt "
        "is still running."
    )
# An endpoint failing every delivery for this long is disabled and operators are emailed.
WEBHOOK_DISABLE_AFTER = env_duration(env, "WEBHOOK_DISABLE_AFTER", default="5d")
WEBHOOK_INSPECTOR_ENABLED: bool = env.bool("WEBHOOK_INSPECTOR_ENABLED", default=DEBUG)
WEBHOOK_SWEEP_SECONDS: float = env.float("WEBHOOK_SWEEP_SECONDS", default=60.0)
# Deliveries a worker process claims at once, oldest due first, and sends at the same time
# (one thread each, so every claimed delivery is under way at once and ends within its
# deadline, well inside its lease); a slow receiver holds one of them, not the worker.
WEBHOOK_BATCH_SIZE: int = env.int("WEBHOOK_BATCH_SIZE", default=32)
if WEBHOOK_BATCH_SIZE < 1:
    raise ImproperlyConfigured(f"WEBHOOK_BATCH_SIZE ({WEBHOOK_BATCH_SIZE}) must be at least 1.")

# --- Retention -----------------------------------------------------------------------------
# History older than this is deleted by a daily beat task, in small batches.
REQUEST_LOG_RETENTION = env_duration(env, "REQUEST_LOG_RETENTION", default="30d")
SYNC_HISTORY_RETENTION = env_duration(env, "SYNC_HISTORY_RETENTION", default="90d")
WEBHOOK_HISTORY_RETENTION = env_duration(env, "WEBHOOK_HISTORY_RETENTION", default="30d")
RETENTION_SECONDS = 86_400.0

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "request-logs-prune": {
        "task": "core.tasks.request_logs_prune_task",
        "schedule": RETENTION_SECONDS,
    },
    "sync-history-prune": {
        "task": "syncs.tasks.sync_history_prune_task",
        "schedule": RETENTION_SECONDS,
    },
    "webhook-history-prune": {
        "task": "webhooks.tasks.webhook_history_prune_task",
        "schedule": RETENTION_SECONDS,
    },
    "webhook-sweeper": {
        "task": "webhooks.tasks.webhook_sweep_task",
        "schedule": WEBHOOK_SWEEP_SECONDS,
        "options": {"expires": WEBHOOK_SWEEP_SECONDS},
    },
    "scheduler-tick": {
        "task": "syncs.tasks.scheduler_tick_task",
        "schedule": SCHEDULER_TICK_SECONDS,
        "options": {"expires": SCHEDULER_TICK_SECONDS},
    },
}

# Shared by every web process (rate limits): Redis when there is one.
CACHES = {
    "default": (
        {"BACKEND": "kombo_site.cache.ReusingRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long an authenticated API key is kept in the cache (skipping a database lookup per
# request). Only with Redis: a revoke marks the shared entry, while a per-process cache would
# let a revoked key work on other processes until it expires.
API_KEY_CACHE_SECONDS: int = env.int("API_KEY_CACHE_SECONDS", default=60 if REDIS_URL else 0)

# --- Hosted connection pages ---------------------------------------------------------------
# Submissions of the hosted form allowed per link and per client address, per 10 minutes.
CONNECT_SUBMISSIONS_PER_LINK: int = env.int("CONNECT_SUBMISSIONS_PER_LINK", default=10)
CONNECT_SUBMISSIONS_PER_ADDRESS: int = env.int("CONNECT_SUBMISSIONS_PER_ADDRESS", default=30)
# Origins allowed to frame EMBEDDED links (CSP frame-ancestors), e.g. https://app.example.com.
CONNECT_FRAME_ANCESTORS: list[str] = env.list("CONNECT_FRAME_ANCESTORS", default=[])

# --- Sandbox HR ---------------------------------------------------------------------------
SANDBOX_HR_ENABLED: bool = env.bool("SANDBOX_HR_ENABLED", default=DEBUG)
# Where the sandbox connector reaches the sandbox HR API (normally this same site).
SANDBOX_HR_URL: str = env.str("SANDBOX_HR_URL", default=f"{BASE_URL}/sandbox-hr").rstrip("/")
# Sandbox HR as an OAuth 2.0 provider: access token lifetime, and what a refresh does to the
# refresh token it used. strict: dead at once, and presenting it again revokes the whole grant
# (refresh-token reuse detection, RFC 9700 §4.14.2). grace: it keeps working until the new
# access token is first used.
SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS: int = env.int(
    "SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS", default=3600
)
if SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS < 1:
    raise ImproperlyConfigured("SANDBOX_HR_OAUTH_ACCESS_TOKEN_SECONDS must be 1 or more.")
SANDBOX_HR_OAUTH_ROTATION: str = env.str("SANDBOX_HR_OAUTH_ROTATION", default="strict")
if SANDBOX_HR_OAUTH_ROTATION not in ("strict", "grace"):
    raise ImproperlyConfigured("SANDBOX_HR_OAUTH_ROTATION must be `strict` or `grace`.")
# Vendor API base URLs (overridable for tests against fake servers and for regional hosts).
PERSONIO_API_URL: str = env.str("PERSONIO_API_URL", default="https://api.personio.de").rstrip("/")
# `{subdomain}` is replaced with the customer's BambooHR company subdomain.
BAMBOOHR_API_URL: str = env.str(
    "BAMBOOHR_API_URL", default="https://{subdomain}.bamboohr.com/api"
).rstrip("/")
HIBOB_API_URL: str = env.str("HIBOB_API_URL", default="https://api.hibob.com").rstrip("/")
# Gusto's API and OAuth host (its demo environment is https://api.gusto-demo.com), and the
# date-based API version sent as `X-Gusto-API-Version`.
GUSTO_API_URL: str = env.str("GUSTO_API_URL", default="https://api.gusto.com").rstrip("/")
GUSTO_API_VERSION: str = env.str("GUSTO_API_VERSION", default="2026-06-15")
# Deel's REST API base, and the app host of its OAuth consent page and token endpoint.
DEEL_API_URL: str = env.str("DEEL_API_URL", default="https://api.letsdeel.com/rest/v2").rstrip("/")
DEEL_AUTH_URL: str = env.str("DEEL_AUTH_URL", default="https://app.deel.com").rstrip("/")
# Seconds before an outgoing call to an HR tool gives up (connect, read).
TOOL_HTTP_TIMEOUT: float = env.float("TOOL_HTTP_TIMEOUT", default=15.0)

# OAuth tools: the operator's app at each vendor, for environments that have none saved in the
# dashboard (OAuth apps page): `OAUTH_<TOOL>_CLIENT_ID` and `OAUTH_<TOOL>_CLIENT_SECRET`.
# Register `<BASE_URL>/connect/oauth/callback` as the app's redirect URI.
OAUTH_CLIENTS: dict[str, tuple[str, str]] = {
    tool: (
        env.str(f"OAUTH_{tool.upper()}_CLIENT_ID"),
        env.str(f"OAUTH_{tool.upper()}_CLIENT_SECRET", default=""),
    )
    for tool in ("gusto", "deel", "sandbox_oauth")
    if env.str(f"OAUTH_{tool.upper()}_CLIENT_ID", default="")
}
_oauth_clients_without_secret = [
    f"OAUTH_{tool.upper()}_CLIENT_SECRET"
    for tool, (_, secret) in OAUTH_CLIENTS.items()
    if not secret
]
if _oauth_clients_without_secret:
    raise ImproperlyConfigured(
        "An OAuth app's client id is set without its secret: set "
        + ", ".join(_oauth_clients_without_secret)
        + "."
    )

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.authentication.HasApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.KomboJSONRenderer"],
    # Datetimes reach the renderer untouched and are written there, one way for every field.
    "DATETIME_FORMAT": None,
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "core.api.errors.kombo_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kombo-site API",
    "DESCRIPTION": (
        "Kombo-compatible API of kombo-site. Authenticate with `Authorization: Bearer <API key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's assets are served from this site: self-hosted installs may have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SuccessStatusEnum": ["success"],
        "CategoryEnum": "integrations.api.serializers.INTEGRATION_CATEGORIES",
    },
    # The schema and docs are public; a stale Authorization header must not lock them.
    "SERVE_AUTHENTICATION": [],
}

# --- Logs and health probes ---------------------------------------------------------------
# `plain` lines for people, or `json` lines (one object each) for a log pipeline.
LOG_FORMAT: str = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of: {', '.join(LOG_FORMATS)}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))
# Workers keep the logging above (format, ids, redaction) instead of installing their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Each worker records that it is alive this often; /readyz fails when no worker did within
# READYZ_WORKER_MAX_AGE.
WORKER_HEARTBEAT_INTERVAL = env_duration(env, "WORKER_HEARTBEAT_INTERVAL", default="1m")
READYZ_WORKER_MAX_AGE = env_duration(env, "READYZ_WORKER_MAX_AGE", default="5m")
if READYZ_WORKER_MAX_AGE <= WORKER_HEARTBEAT_INTERVAL:
    raise ImproperlyConfigured(
        "READYZ_WORKER_MAX_AGE must be longer than WORKER_HEARTBEAT_INTERVAL, or a live worker "
        "would be reported missing between two heartbeats."
    )
