"""Niagara settings, read from the environment (12-factor) with django-environ.

See the configuration table in README.md for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (only DEBUG=1 may run with the development key)."
        )
    SECRET_KEY = "django-insecure-niagara-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "niagara.admin_config.NiagaraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "oauth2_provider",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rangefilter",
    "import_export",
    "axes",
    "django_tasks",
    "niagara",
    "relations",
    "history",
    "users",
    "customers",
    "events",
    "queues",
    "units",
    "workorders",
    "batches",
    "notes",
    "attachments",
    "engine",
    "actions",
    "reports",
    "search",
    "webhooks",
    "demo",
    # After the apps: ``events`` replaces its ``db_worker`` command with one that sweeps first.
    "django_tasks_db",
]

MIDDLEWARE = [
    "niagara.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response (django-csp): see CONTENT_SECURITY_POLICY.
    "csp.middleware.CSPMiddleware",
    # Static files from the app servers themselves (no separate file server to run).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "niagara.middleware.ViewerTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sign-in attempts counted per username and per address (django-axes): last, as it asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Guessing passwords (the admin's sign-in, the OAuth password grant): after this many failures
# for one username, or from one address, even the right password is refused for the cool-off.
# Personal API tokens (create_token) expire after this many days (0: never).
NIAGARA_TOKEN_DAYS = env.int("NIAGARA_TOKEN_DAYS", default=90)
# The longest a person may ask a token of theirs to live (``POST /api/me/tokens``).
NIAGARA_TOKEN_MAX_DAYS = env.int("NIAGARA_TOKEN_MAX_DAYS", default=365)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=12)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# Scripts only from this server, or inline with the response's nonce (the Redoc page's start-up
# script); styles may be inline (the admin's and the floor pages' style attributes); nothing
# from another origin — the docs pages run offline too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "niagara.urls"

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
        },
    },
]

WSGI_APPLICATION = "niagara.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Every request runs in one transaction: any error response rolls everything back.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue
    # (up to `timeout` seconds) instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

AUTH_USER_MODEL = "users.User"

# OAuth2 for integrators (django-oauth-toolkit): client-credentials tokens from
# POST /oauth/token/, their scopes named after the permission graph's permissions (a token
# does no more than its scopes say, and no more than its client's user may).
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "users.oauth.GraphScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_TOKEN_SECONDS", default=3600),
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens stored hashed, never taken
    # from a query string, no implicit or password grants.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves `collectstatic`'s output with WhiteNoise: hashed names cached for a
    # year, compressed copies. DEBUG serves the app directories as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Attachments (files): under MEDIA_ROOT on the file system, never served from it (downloads go
# through the API, which checks who may read them); or S3-compatible object storage when a
# bucket is named, where clients upload to the bucket's pre-signed URLs (docs/deploy.md).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
if env("ATTACHMENTS_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("ATTACHMENTS_BUCKET"),
            "endpoint_url": env("ATTACHMENTS_ENDPOINT_URL", default=None),
            "region_name": env("ATTACHMENTS_REGION", default=None),
            "access_key": env("ATTACHMENTS_ACCESS_KEY_ID", default=None),
            "secret_key": env("ATTACHMENTS_SECRET_ACCESS_KEY", default=None),
            "file_overwrite": False,
            "querystring_auth": True,
            "signature_version": "s3v4",
        },
    }

# Production hardening: `manage.py check --deploy` is clean with DEBUG=0 and a real SECRET_KEY.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe readiness over plain HTTP, inside the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per event: Django's own console handler would print request errors twice.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# The cache holds the API's throttle counters. Counting must cost no database query (it runs on
# every request): the process's memory by default (one process: `make run`, SQLite), Redis when
# REDIS_URL is set, which every app server then shares (docs/deploy.md: several workers or
# servers without Redis each count on their own).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis unreachable: requests go on, throttling fails open (``niagara.cache``).
    CACHES = {"default": {"BACKEND": "niagara.cache.ForgivingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Django's Tasks API (django-tasks). The database backend by default: its queue
# is a table in the same database, so a task enqueued with a change is committed with it (or
# not at all), and `manage.py db_worker` runs them (`make run` starts one; several, on several
# machines, share the table with row locks). TASKS_BACKEND=rq puts the queue in Redis (RQ, at
# REDIS_URL) for larger floors; its workers are `manage.py rqworker default`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND is database or rq, not {TASKS_BACKEND!r}")

# Outbound webhooks: a receiver on this machine (loopback) only while developing.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=DEBUG)
# Seconds a receiver has to answer; a worker holds a delivery three times that long.
WEBHOOKS_TIMEOUT = env.int("WEBHOOKS_TIMEOUT", default=10)
# A report of more rows than this has its CSV built ahead by a worker (smaller: streamed live).
REPORTS_BUILT_FROM_ROWS = env.int("REPORTS_BUILT_FROM_ROWS", default=50_000)

# File imports (admin and `import_data`): larger files are refused whole, before any row is read.
NIAGARA_IMPORT_MAX_BYTES = env.int("NIAGARA_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
NIAGARA_IMPORT_MAX_ROWS = env.int("NIAGARA_IMPORT_MAX_ROWS", default=10_000)
# What a spreadsheet's parts may expand to (an XLSX is a zip), read from its directory.
NIAGARA_IMPORT_MAX_EXPANDED_BYTES = env.int(
    "NIAGARA_IMPORT_MAX_EXPANDED_BYTES", default=50 * 1024 * 1024
)

# The largest request body (bytes): larger API bodies answer 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# The public base of the API. Links are absolute URLs built from the request's host.
API_PREFIX = "api/"

# Who may do what: the permission graph, evaluated once per request (see users/access.py).
NIAGARA_ACCESS = "users.access.access_for"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.api.authentication.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["users.api.access.GraphPermission"],
    "DEFAULT_RENDERER_CLASSES": [
        "niagara.api.renderers.HalJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "niagara.api.parsers.LimitedJSONParser",
        "niagara.api.parsers.HalJSONParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "niagara.api.renderers.HalContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "niagara.api.pagination.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "users.api.access.VisibilityFilter",
        "niagara.api.filters.FilterBackend",
    ],
    "DEFAULT_SCHEMA_CLASS": "niagara.api.schema.NiagaraAutoSchema",
    "EXCEPTION_HANDLER": "niagara.api.exceptions.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        # Requests with a wrong token, per client address (a 401 counts; over it, 429).
        "auth_failures": env.str("API_THROTTLE_AUTH_FAILURES", default="20/minute"),
    },
    "PAGE_SIZE": 25,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Niagara API",
    # Paths carry their ``/api`` prefix: a client's base URL is the server's address.
    "SERVERS": [
        {"url": "http://127.0.0.1:8000", "description": "make run (development)"},
        {"url": "/", "description": "The server that answered this schema"},
    ],
    "DESCRIPTION": (
        "Production management for shops that provision devices at scale. "
        "Responses are HAL+JSON; errors are RFC 7807 problem documents."
    ),
    "VERSION": "2.0.0",
    "CONTACT": {"name": "Niagara"},
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api",
    "ENUM_NAME_OVERRIDES": {
        "StatusCategoryEnum": "customers.statuses.StatusCategory",
        "AttachmentContentTypeEnum": ["application/pdf"],
        "SearchTotalRelationEnum": ["eq", "gte"],
        "RelationEnum": "relations.models.RelationType",
        "EventTypeEnum": "events.catalogue.EVENT_TYPES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "niagara.api.schema.strict_query_parameters",
        "niagara.api.schema.closed_request_bodies",
        "niagara.api.schema.plain_text_requests",
        "niagara.api.schema.blank_alternatives",
        "niagara.api.schema.blank_emails_in_responses",
        "niagara.api.schema.bearer_token_first",
        "niagara.api.schema.component_rules",
        "niagara.api.schema.tidy_for_linters",
    ],
    # Swagger UI: the bearer token is the Authorize dialog's first field and survives a
    # reload; "try it out" starts with nothing but what the schema says works.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "deepLinking": True},
}
