"""Settings, read from the environment (see the configuration table in README.md).

Development: ``DEBUG=1``. Production (``DEBUG`` unset or false) refuses to start while a
setting still has an unsafe default.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from socialvalue.core.database import sqlite_options
from socialvalue.core.env import env_bool, env_int, env_list, env_rate, env_str
from socialvalue.core.security import csp_source_for

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SOCIALVALUE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value in production (DEBUG is off). "
            "For local development set DEBUG=1."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters with 5 distinct ones."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")

SERVICE_NAME = env_str("SERVICE_NAME", "Lancashire Social Value")
SERVICE_OWNER = env_str("SERVICE_OWNER", "Lancashire County Council")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FRAMEWORK_SLUG = env_str("DEFAULT_FRAMEWORK_SLUG", "lancashire-toms-2024")
# Background map tiles for the local-needs map. Empty (the default): no tiles, so the map
# sends no request to another site. E.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
NEEDS_TILE_URL = env_str("NEEDS_TILE_URL", "")
NEEDS_TILE_ATTRIBUTION = env_str("NEEDS_TILE_ATTRIBUTION", "")

INSTALLED_APPS = [
    "socialvalue.core.admin_apps.SocialValueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "simple_history",
    "axes",
    "csp",
    "socialvalue.core",
    "socialvalue.accounts",
    "socialvalue.framework",
    "socialvalue.partners",
    "socialvalue.engagement",
    "socialvalue.stories",
    "socialvalue.needs",
    "socialvalue.procurement",
    "socialvalue.contracts",
    "socialvalue.insights",
    "socialvalue.site",
    "socialvalue.bootstrap",  # bootstrap and demo data, above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "socialvalue.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "socialvalue.core.middleware.PrivateResponseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "socialvalue.core.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "socialvalue.core.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "socialvalue.urls"
WSGI_APPLICATION = "socialvalue.wsgi.application"

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
                "socialvalue.core.context_processors.service",
                "socialvalue.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# SQLite: writes take the lock when they begin and wait this many seconds for it; a file
# database uses write-ahead logging unless told otherwise (see core.database).
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 20)
SQLITE_JOURNAL_MODE = env_str("SQLITE_JOURNAL_MODE", "WAL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        **sqlite_options(
            DATABASES["default"]["NAME"],
            timeout=SQLITE_BUSY_TIMEOUT,
            journal_mode=SQLITE_JOURNAL_MODE,
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "site:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# How long the link in an invitation to join an organisation works.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
# Lock an account after repeated failures, and a single client (address + browser)
# after repeated failures across accounts; people sharing an office address are not
# locked out by one colleague's mistakes.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
# Django's sign-in forms post the email address as "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The same client address as the rate limits (see TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "socialvalue.core.ratelimit.client_address"

# Sessions (see "Security" in README.md). Signed-in sessions end after SESSION_IDLE_MINUTES
# without a request, and in any case SESSION_MAX_AGE_HOURS after signing in; the same
# limits apply to council staff, suppliers and partners. The cookie lasts only as long as
# the browser, unless SESSION_EXPIRE_AT_BROWSER_CLOSE=0.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 12) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
if SESSION_IDLE_MINUTES < 1 or SESSION_COOKIE_AGE < 60 * 60:
    raise ImproperlyConfigured(
        "SESSION_IDLE_MINUTES must be at least 1 and SESSION_MAX_AGE_HOURS at least 1."
    )

# Rate limits on public forms: "COUNT/PERIOD" with a period in minutes (15m), hours (1h) or
# days (1d). Over a limit the form answers 429 "Too many attempts" and does nothing.
RATE_LIMITS = {
    # accepted feedback per client address
    "feedback": env_rate("RATE_LIMIT_FEEDBACK", "5/1h"),
    # event places taken per client address
    "event_registration": env_rate("RATE_LIMIT_EVENT_REGISTRATION", "10/1h"),
    # failed sign-ins per client address, whichever accounts they were for (django-axes
    # also locks an account, and a client's address and browser, after LOGIN_FAILURE_LIMIT)
    "sign_in": env_rate("RATE_LIMIT_SIGN_IN", "30/15m"),
    # password reset requests per client address, and per email address asked for
    "password_reset": env_rate("RATE_LIMIT_PASSWORD_RESET", "10/1h"),
    "password_reset_email": env_rate("RATE_LIMIT_PASSWORD_RESET_EMAIL", "3/1h"),
}
# How many proxies in front of the site add their peer's address to X-Forwarded-For. 0 (the
# default) trusts no header and uses the connection's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files are private: kept outside MEDIA_ROOT and served only through the platform,
# to users allowed to see the return they belong to.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# The largest upload of each kind (``core.uploads``): a contract's evidence file, a file in
# the resource bank, a case study's photograph.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
RESOURCE_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# The most lines one return upload (XLSX or CSV) may hold; a larger file is refused whole.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "social.value@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy (django-csp): only this site's own scripts, styles, fonts and
# connections; images also from data: addresses and the map tile server, if one is set.
# No inline script or style: templates link static files instead.
_TILE_SOURCE = csp_source_for(NEEDS_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILE_SOURCE] if _TILE_SOURCE else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers check health over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Shared by every web process (rate limits, for example); the table is made by migrate's
# companion `createcachetable`, which bootstrap runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "socialvalue_cache",
        # Rate-limit counters are entries too: room for many clients before culling.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

NINJA_PAGINATION_PER_PAGE = 100
# Large enough for a full scoring request (500 bids × 100 commitments) or an offer upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
