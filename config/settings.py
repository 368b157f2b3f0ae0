"""Settings, read from the environment with safe defaults for development.

Environment variables:
    DJANGO_DEBUG          1 to enable debug mode (default: off)
    DJANGO_SECRET_KEY     required unless DJANGO_DEBUG=1
    DJANGO_ALLOWED_HOSTS  comma-separated (default: localhost, 127.0.0.1)
    DATABASE_URL          e.g. postgres://user@host:5432/name (default: SQLite file db.sqlite3)

  Read replicas (README, "Read replicas"; PostgreSQL only):
    DATABASE_REPLICA_URLS comma-separated URLs of streaming replicas of DATABASE_URL (default: none). Reads of
                          API requests go to one of them; writes, the admin, commands and migrations to the primary.
                          Each connects within 2 s (?connect_timeout=N in its URL to change)
    DATABASE_READ_YOUR_WRITES_SECONDS  after a write, that client reads from the primary this long (default: 10)
    DATABASE_REPLICA_RETRY_SECONDS     a replica that did not answer is left alone this long (default: 15)

  Production (README, "Production"):
    DJANGO_CSRF_TRUSTED_ORIGINS   comma-separated origins allowed to post forms, e.g. https://records.example.org
    DJANGO_HTTPS                  served over HTTPS (default: on unless debug): plain HTTP is redirected and
                                  cookies are sent over HTTPS only; 0 for the local production command
    DJANGO_HSTS_SECONDS           Strict-Transport-Security max-age, sent over HTTPS (default: 31536000; 0: none)
    DJANGO_HSTS_PRELOAD           1 to ask for the browsers' HSTS preload list (default: off; hard to undo)
    DJANGO_TRUSTED_PROXIES        reverse proxies in front of the server (default: 0); with 1 or more, the
                                  client address comes from X-Forwarded-For and HTTPS from X-Forwarded-Proto
    DJANGO_CACHE_URL              rate-limit counters, shared by the workers: db://TABLE (default:
                                  db://records_cache, made by migrate), redis://HOST:PORT/DB, file:///PATH
                                  or locmem:// (per process)
    REDIS_URL                     a Redis server for the counters when DJANGO_CACHE_URL is not set
    DJANGO_CACHE_MAX_AGE          seconds a client or shared cache may reuse a public read (default: 60)
    DJANGO_STALE_WHILE_REVALIDATE seconds after that it may still serve it while it revalidates (default: 60)
    DJANGO_THROTTLE_ANON_BURST    requests per anonymous address (default: 60/min)
    DJANGO_THROTTLE_ANON_SUSTAINED                                   (default: 5000/day)
    DJANGO_THROTTLE_USER_BURST    requests per signed-in account   (default: 300/min)
    DJANGO_THROTTLE_USER_SUSTAINED                                   (default: 50000/day)
    DJANGO_REQUEST_BODY_MAX_BYTES larger request bodies get 413 (default: 1048576)
    DJANGO_CORS_ALLOWED_ORIGINS   comma-separated origins whose scripts may read /api/ (default: none)
    DJANGO_LOGIN_FAILURE_LIMIT    failed logins per username and address before a lockout (default: 5)
    DJANGO_LOGIN_LOCKOUT_MINUTES  how long a lockout lasts (default: 15)
    DJANGO_EXPORTS_DIR            the folder `manage.py publish_exports` writes bulk downloads into; the API's
                                  root links the latest release there (default: none)
    DJANGO_EXPORTS_URL            where a web server serves that folder (default: /downloads/, which the
                                  development server serves itself in debug mode)
    DJANGO_RECONCILE_MAX_QUERIES  queries in one reconciliation batch, at most (default: 50)
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from whitenoise.compress import Compressor

from config.env import (
    env_bool,
    env_cache,
    env_choice,
    env_database,
    env_hosts,
    env_int,
    env_origins,
    env_rate,
    env_replicas,
    env_str,
)
from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# A development key only in debug mode; production must provide its own. Left
# empty, Django refuses anything that reads it (serving requests, signing),
# while schema and data commands (migrate, makemigrations, loaddata) still run.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else "")
ALLOWED_HOSTS = env_hosts("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_origins("DJANGO_CSRF_TRUSTED_ORIGINS")
# How many reverse proxies of ours forward requests (see records/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", default=0, minimum=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "simple_history",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "axes",
    "records",
]

MIDDLEWARE = [
    # First: every answer, errors included, carries the request's id.
    "records.request_id.RequestIdMiddleware",
    # Which database this request reads from (only with read replicas: records/db_router.py).
    "records.replica_middleware.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "records.api.cors.ReadOnlyCorsMiddleware",
    # Before anything reads a body: size limits (JSON 413/414/431), chunked bodies refused (411).
    "records.request_limits.RequestLimitsMiddleware",
    "records.csp_middleware.CSPMiddleware",  # django-csp's, the settings' policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # API reads answer If-None-Match from data versions before reading (records/api/conditional.py);
    # for the rest (the schema, the docs), an ETag from the body, and a 304 when it matches.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Edit history records who made each change (admin and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# To stderr, each line with its request id: JSON lines in production, text in
# debug (DJANGO_LOG_FORMAT=json|text overrides). Every 5xx with its traceback.
LOG_FORMAT = env_choice("DJANGO_LOG_FORMAT", ("json", "text"), default="text" if DEBUG else "json")
LOGGING = logging_config(
    json_lines=LOG_FORMAT == "json",
    level=env_choice("DJANGO_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO"),
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Streaming replicas of the primary take the reads of API requests (records/db_router.py).
_replicas = env_replicas(
    "DATABASE_REPLICA_URLS", DATABASES["default"], connect_timeout=2, conn_max_age=60, conn_health_checks=True
)
for _number, _replica in enumerate(_replicas, start=1):
    DATABASES[f"replica_{_number}"] = _replica
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["records.db_router.PrimaryReplicaRouter"]
# A client that wrote reads from the primary this long after, so it sees its write at once.
READ_YOUR_WRITES_SECONDS = env_int("DATABASE_READ_YOUR_WRITES_SECONDS", default=10, minimum=0)
# A replica that did not answer is skipped this long, so requests do not each wait for it.
REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", default=15, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development, serve static files (admin, API docs) straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# collectstatic compresses every file each time (brotli is slow): not the unhashed
# copies, which pages never name, nor source maps, which only developer tools fetch.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Where the seed builder reads and writes.
SEEDS_DIR = BASE_DIR / "seeds"
FIXTURES_DIR = BASE_DIR / "fixtures"
FIXTURE_DIRS = [FIXTURES_DIR]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["records.api.parsers.BoundedJSONParser"],  # JSON nested at most 32 deep
    # Token first: an unauthenticated write gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "records.api.authentication.ThrottledTokenAuthentication",  # wrong tokens are throttled by address
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "records.api.schema.RecordsAutoSchema",  # error responses and security: see there
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "records.api.pagination.KeysetPagination",
    "EXCEPTION_HANDLER": "records.api.errors.api_exception_handler",
    # Counted in the default cache (DJANGO_CACHE_URL); see records/api/throttling.py.
    "DEFAULT_THROTTLE_CLASSES": ["records.api.throttling.RateLimitThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # The development server (debug) lets a person explore by hand a hundred times faster.
        "anon_burst": env_rate("DJANGO_THROTTLE_ANON_BURST", "6000/min" if DEBUG else "60/min"),
        "anon_sustained": env_rate("DJANGO_THROTTLE_ANON_SUSTAINED", "500000/day" if DEBUG else "5000/day"),
        "user_burst": env_rate("DJANGO_THROTTLE_USER_BURST", "30000/min" if DEBUG else "300/min"),
        "user_sustained": env_rate("DJANGO_THROTTLE_USER_SUSTAINED", "5000000/day" if DEBUG else "50000/day"),
    },
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": None,
}


SPECTACULAR_SETTINGS = {
    "TITLE": "Political Records API",
    "DESCRIPTION": (
        "Structured, sourced records about political figures: people, the posts they held, their parties, "
        "the elections they stand in. Every record carries its status (confirmed, announced, reported, "
        "expected, speculated) and citations: the exact words of a source, with offsets. Dates may be fuzzy: "
        "each is given as written plus its earliest and latest possible day."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "records.models.base.ClaimStatus",
        "PlaceKindEnum": "records.models.gazetteer.Place.Kind",
        "OrganisationKindEnum": "records.models.gazetteer.Organisation.Kind",
        "OrganisationAliasKindEnum": "records.models.gazetteer.OrganisationAlias.Kind",
        "PersonAliasKindEnum": "records.models.people.PersonAlias.Kind",
        "EventKindEnum": "records.models.postings.Event.Kind",
        "SourceKindEnum": "records.models.sources.Source.Kind",
        "GenderEnum": "records.models.people.Person.Gender",
        "ReservationEnum": "records.models.results.Constituency.Reservation",
        "ClaimLinkKindEnum": "records.models.links.ClaimLink.Kind",
        "LinkedClaimTypeEnum": "records.models.links.LINKABLE",
    },
}

# -- Abuse limits and security headers (README: "Production") -----------------

# One count for every gunicorn worker: the database (no extra service; migrate
# creates the table), or Redis when REDIS_URL or DJANGO_CACHE_URL names one.
# locmem:// counts per worker (a client would get workers x the rate).
CACHES = {"default": env_cache("DJANGO_CACHE_URL", default=env_str("REDIS_URL", "db://records_cache"))}

# Cache-Control of public API reads (signed-in requesters' answers are private).
API_CACHE_MAX_AGE = env_int("DJANGO_CACHE_MAX_AGE", default=60, minimum=0)
API_CACHE_STALE_WHILE_REVALIDATE = env_int("DJANGO_STALE_WHILE_REVALIDATE", default=60, minimum=0)
# Sessions (the admin's logins) in the database: any app server reads any session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

REQUEST_BODY_MAX_BYTES = env_int("DJANGO_REQUEST_BODY_MAX_BYTES", default=1024 * 1024, minimum=1)
# Lists' page plans a worker keeps (records/remembered.py): about 70 KB each; 0 keeps none.
KEPT_PLANS = env_int("DJANGO_KEPT_PLANS", default=1024, minimum=0)
# A reconciliation batch (/api/v1/reconcile/) costs a few searches a query: bounded like a page.
RECONCILE_MAX_QUERIES = env_int("DJANGO_RECONCILE_MAX_QUERIES", default=50, minimum=1)

HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health/$"]  # probes from inside the network may speak plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browsers heed HSTS only over HTTPS. Subdomains: those of this site's own host.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
# Preloading is a request to browser vendors that takes months to undo: an
# explicit opt-in, so `check --deploy` is not asked to warn about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and styles from this server only, inline ones only with the
# request's nonce; the ReDoc page relaxes styles (records/api/docs.py). Style
# attributes (the admin's evidence and history pages use a few) cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Other sites' scripts may read the API (records/api/cors.py), never write.
CORS_ALLOWED_ORIGINS = env_origins("DJANGO_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = 3600

# Failed logins (admin, or anything that authenticates with a password) lock
# out one username from one address for a while (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lockout lasts its time from the failure that caused it: attempts during it
# do not restart the clock (else anyone sharing the address could keep the
# account's owner locked out for ever).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "records.client_ip.client_ip"
AXES_COOLOFF_MESSAGE = (
    f"Too many failed logins for this username from your address. Try again in {LOGIN_LOCKOUT_MINUTES} minutes."
)

# Bulk downloads (`manage.py publish_exports`): the folder a static web server
# serves, and its public address; the API's root links the latest release.
_exports_dir = env_str("DJANGO_EXPORTS_DIR", "").strip()
RECORDS_EXPORTS_DIR = Path(_exports_dir).resolve() if _exports_dir else None
RECORDS_EXPORTS_URL = env_str("DJANGO_EXPORTS_URL", "/downloads/")
