"""Django settings for Yiwang.

Every deployment-specific value comes from the environment (see docs/deployment.md for the table).
With nothing set, the platform runs on one machine: SQLite under var/, Huey on SQLite, an in-process
cache and files under var/media. With DATABASE_URL and REDIS_URL it runs as several app servers and
workers on PostgreSQL and Redis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from yiwang.core.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

# Lets ModelAdmin[Model], QuerySet[Model] and friends be subscripted at run time, for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("YIWANG_VAR_DIR", str(BASE_DIR / "var"))).resolve()

try:
    YIWANG_ENV = env_choice("YIWANG_ENV", "development", ("development", "production"))
    PRODUCTION = YIWANG_ENV == "production"
    DEBUG = env_bool("YIWANG_DEBUG", not PRODUCTION)
except ConfigurationError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-8f3a1c"  # noqa: S105 (development only; production refuses it)
SECRET_KEY = env_str("YIWANG_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("YIWANG_DEBUG must be off when YIWANG_ENV=production.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY:
        raise ImproperlyConfigured(
            "YIWANG_SECRET_KEY must be set to a random value of at least 50 characters "
            "when YIWANG_ENV=production (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )

ALLOWED_HOSTS = env_list(
    "YIWANG_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS", [])
# The header our reverse proxy puts the client address in (e.g. X-Real-IP); empty: REMOTE_ADDR.
YIWANG_PROXY_IP_HEADER = env_str("YIWANG_PROXY_IP_HEADER", "")
# Master key (hex) for personal data at rest (SM4) and its lookup digests. Without it, derived from the secret key.
YIWANG_DATA_KEY = env_str("YIWANG_DATA_KEY", "")
# Processes that sign a batch of licences (bulk import); 0 = one per CPU core.
YIWANG_SIGN_WORKERS = env_int("YIWANG_SIGN_WORKERS", 0)
# How far back a hotline ticket of the same caller, or the same place and category, counts as a possible duplicate.
YIWANG_HOTLINE_DUPLICATE_DAYS = env_int("YIWANG_HOTLINE_DUPLICATE_DAYS", 7)
# Hours after dispatch within which a handling unit may ask to return a ticket that is not its duty (安阳).
YIWANG_HOTLINE_RETURN_HOURS = env_int("YIWANG_HOTLINE_RETURN_HOURS", 24)
# 好差评 (evaluation.md): days a rater may amend a rating; working days for a 差评's contact (安阳 §52: 1),
# feedback (德州: 5) and remedy (15); a rating deemed 非常满意 after this many days without one (广西; 0: off).
YIWANG_RATING_AMEND_DAYS = env_int("YIWANG_RATING_AMEND_DAYS", 7)
YIWANG_REMEDIATION_CONTACT_DAYS = env_int("YIWANG_REMEDIATION_CONTACT_DAYS", 1)
YIWANG_REMEDIATION_FEEDBACK_DAYS = env_int("YIWANG_REMEDIATION_FEEDBACK_DAYS", 5)
YIWANG_REMEDIATION_FIX_DAYS = env_int("YIWANG_REMEDIATION_FIX_DAYS", 15)
YIWANG_RATING_DEFAULT_DAYS = env_int("YIWANG_RATING_DEFAULT_DAYS", 0)
# Key of the audit chain's HMAC-SM3. Without it, one is derived from the secret key.
YIWANG_AUDIT_KEY = env_str("YIWANG_AUDIT_KEY", "")
# Where the sealer appends each signed chain head (audit/anchors.py): outside the database, append-only.
YIWANG_AUDIT_ANCHOR_PATH = env_str("YIWANG_AUDIT_ANCHOR_PATH", str(VAR_DIR / "audit" / "chain-heads.jsonl"))

INSTALLED_APPS = [
    "yiwang.core.admin_config.YiwangAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "yiwang.core",
    "yiwang.organisation",
    "yiwang.calendar",
    "yiwang.catalogue",
    "yiwang.cases",
    "yiwang.online",
    "yiwang.licences",
    "yiwang.sharing",
    "yiwang.trading",
    "yiwang.disclosure",
    "yiwang.instant",
    "yiwang.hotline",
    "yiwang.hall",
    "yiwang.evaluation",
    "yiwang.oversight",
    "yiwang.audit",
    "yiwang.notifications",
    "yiwang.accounts",
    "yiwang.portal",
    "yiwang.workbench",
    "yiwang.demo",
]

MIDDLEWARE = [
    "yiwang.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yiwang.core.middleware.QueryCountHeaderMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yiwang.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yiwang.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "yiwang.core.middleware.RequestShapeMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yiwang.core.middleware.ApiErrorBodyMiddleware",
    "yiwang.core.middleware.DomainErrorMiddleware",
    "yiwang.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"
ASGI_APPLICATION = "yiwang.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "yiwang.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite by default (WAL, IMMEDIATE transactions so concurrent writers queue instead of failing);
# PostgreSQL through DATABASE_URL with persistent connections, checked when idle a second or more
# (core/postgresql/base.py).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(
            dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=env_int("YIWANG_DB_CONN_MAX_AGE", 600),
                conn_health_checks=True,
            )
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with the health check skipped for a connection used within the last second.
        DATABASES["default"]["ENGINE"] = "yiwang.core.postgresql"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("YIWANG_SQLITE_PATH", str(VAR_DIR / "yiwang.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if not DATABASE_URL or not env_str("REDIS_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database and task queue live here

# --- Cache and background work ------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY: dict[str, Any] = {
        "huey_class": "huey.RedisHuey",
        "name": "yiwang",
        "url": REDIS_URL,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yiwang",
        "filename": env_str("YIWANG_HUEY_PATH", str(VAR_DIR / "huey.sqlite3")),
    }
HUEY.update(
    {
        "immediate": env_bool("YIWANG_TASKS_IMMEDIATE", False),
        "results": True,
        "store_none": False,
        "utc": True,
        "consumer": {
            "workers": env_int("YIWANG_WORKERS", 2),
            "worker_type": "thread",
            "periodic": True,
            "check_worker_health": True,
            # An idle worker polls the embedded (SQLite) queue at most this far apart, so a 秒批
            # application or an import starts within a second or two (Redis pushes at once).
            "max_delay": 1.0,
        },
    }
)

# --- Identity -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yiwang.accounts.backends.IdentityBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yiwang.accounts.validators.CharacterClassesValidator", "OPTIONS": {"classes": 3}},
]
# 等保 2.0: staff sessions end after this many idle minutes; passwords expire after this many days (0: never).
YIWANG_STAFF_IDLE_MINUTES = env_int("YIWANG_STAFF_IDLE_MINUTES", 30)
YIWANG_PASSWORD_MAX_AGE_DAYS = env_int("YIWANG_PASSWORD_MAX_AGE_DAYS", 90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
YIWANG_API_TOKEN_TTL_HOURS = env_int("YIWANG_API_TOKEN_TTL_HOURS", 8)
# Lockout (等保 2.0): this many failed logins within the window lock the account, and separately
# the source address, for the window. Halls behind one NAT address may need a higher address limit.
YIWANG_LOCKOUT_ATTEMPTS = env_int("YIWANG_LOCKOUT_ATTEMPTS", 5)
YIWANG_LOCKOUT_IP_ATTEMPTS = env_int("YIWANG_LOCKOUT_IP_ATTEMPTS", 5)
YIWANG_LOCKOUT_MINUTES = env_int("YIWANG_LOCKOUT_MINUTES", 15)
# 实施编码 layout (catalogue.md: commonly the body's USCC + level + base code); local practice may differ.
YIWANG_IMPLEMENTATION_CODE_LAYOUT = env_str("YIWANG_IMPLEMENTATION_CODE_LAYOUT", "{credit_code}{level}{base_code}")
YIWANG_DEMO_PASSWORD = env_str("YIWANG_DEMO_PASSWORD", "Demo-2026!")
# Case deadlines turn yellow when this many working days or fewer are left (calendar.md).
YIWANG_DEADLINE_YELLOW_DAYS = env_int("YIWANG_DEADLINE_YELLOW_DAYS", 1)
# The address citizens reach the portal at: printed in QR codes of notices.
YIWANG_PUBLIC_URL = env_str("YIWANG_PUBLIC_URL", "http://127.0.0.1:8000")
# Largest uploaded material (PDF, JPG, PNG, OFD).
YIWANG_UPLOAD_MAX_MB = env_int("YIWANG_UPLOAD_MAX_MB", 20)
# A sealed bid (trading): the envelope as uploaded, its attachments inside.
YIWANG_TRADING_ENVELOPE_MAX_MB = env_int("YIWANG_TRADING_ENVELOPE_MAX_MB", 200)
# OCDS: the registered prefix of this publisher's OCIDs (ocds-xxxxxx); the default is a test prefix.
YIWANG_TRADING_OCID_PREFIX = env_str("YIWANG_TRADING_OCID_PREFIX", "ocds-yiwang")

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("YIWANG_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("YIWANG_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": env_str("YIWANG_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail and SMS -----------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "YIWANG_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("YIWANG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("YIWANG_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("YIWANG_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("YIWANG_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("YIWANG_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("YIWANG_EMAIL_FROM", "yiwang@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
YIWANG_SMS_BACKEND = env_str("YIWANG_SMS_BACKEND", "yiwang.core.sms.ConsoleSmsBackend")

# --- Security -----------------------------------------------------------------------------------
SESSION_ENGINE = "yiwang.core.sessions"  # database sessions whose keys are checked before any query
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("YIWANG_SESSION_AGE_SECONDS", 8 * 3600)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "yiwang.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # TLS ends at the reverse proxy (docs/deployment.md), which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("YIWANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("YIWANG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- API ----------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100
# Lists stop counting here (core.api_support.Pagination): exact counts of millions of rows cost too much.
YIWANG_API_COUNT_LIMIT = env_int("YIWANG_API_COUNT_LIMIT", 1_000)
YIWANG_QUERY_COUNT_HEADER = env_bool("YIWANG_QUERY_COUNT_HEADER", False)
# Each serving process loads the URL map, templates, dictionaries and models before its first request
# (core.warmup); the test settings turn it off for the consumers tests start.
YIWANG_WARM_UP = env_bool("YIWANG_WARM_UP", True)

# --- Logging ------------------------------------------------------------------------------------
# Production writes one JSON object per line with the request id; personal data is masked by a
# filter on every handler, so an ID number or phone that slips into a message never reaches disk.
LOG_LEVEL = env_str("YIWANG_LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env_choice("YIWANG_LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "yiwang.core.logging.RequestIdFilter"},
        "personal_data": {"()": "yiwang.core.logging.PersonalDataFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO", "propagate": True},
        # With a handler of its own, run_huey does not add a second, differently formatted one.
        "huey": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
