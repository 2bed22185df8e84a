"""Settings for both modes, read from the environment.

With no variables set the project runs embedded: SQLite, Celery tasks executed eagerly
in-process, files on local disk. DATABASE_URL and REDIS_URL switch to PostgreSQL and
Redis (cache and Celery broker), which is the production shape of docker-compose.yml.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME or from the file named by NAME_FILE (Docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


# ---- GENERAL ----
DEBUG = env.bool("DEBUG", default=False)
EMBEDDED = not env.str("DATABASE_URL", default="")

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not EMBEDDED and not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (atau SECRET_KEY_FILE) wajib diisi di mode produksi.")
    # Embedded mode only: a fixed development key so that a fresh clone runs with no setup.
    SECRET_KEY = "embedded-mode-only-not-a-secret-" + "x" * 32  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# ---- APPS ----
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = ["django_htmx", "axes", "rest_framework", "knox", "drf_spectacular", "drf_spectacular_sidecar"]
LOCAL_APPS = [
    "lkjip",
    "agencies",
    "audit",
    "performance",
    "budget",
    "periods",
    "evidence",
    "workbook",
    "reports",
    "api",
    "reviews",
    "evaluations",
    "sectorstats",
    "images",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "login"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # /api/ only: the request log, ETag and conditional GET (api/middleware.py).
    "api.middleware.ApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page (lkjip/signin.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lkjip.urls"
WSGI_APPLICATION = "lkjip.wsgi.application"

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
                "lkjip.context_processors.navigation",
            ],
        },
    },
]

# ---- DATABASES ----
if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(env.str("SQLITE_PATH", default=str(BASE_DIR / "var" / "lkjip.sqlite3"))),
            # IMMEDIATE: a transaction takes the write lock when it begins, so writers queue instead of
            # failing with "database is locked" halfway, and a snapshot's transaction reads one state.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's native psycopg 3 pool; drop it (and set DISABLE_SERVER_SIDE_CURSORS) behind PgBouncer.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN", default=1),
            "max_size": env.int("DB_POOL_MAX", default=10),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- CACHE AND CELERY ----
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"}, "periods.tasks.*": {"queue": "default"}}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "Asia/Jakarta"
# A render holds the whole document in memory and may take a minute on a big agency.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Embedded mode renders in a background thread so that a request never waits for a PDF.
LKJIP_RENDER_IN_THREAD = env.bool("LKJIP_RENDER_IN_THREAD", default=True)
# The one `beat` process (docker-compose.yml) starts the deadline reminders every morning (WIB).
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {"task": "periods.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "api-request-log": {"task": "api.tasks.prune_request_log", "schedule": crontab(hour=2, minute=30)},
}

# ---- E-MAIL AND REMINDERS ----
# Embedded mode prints e-mail to the console; production sends through EMAIL_URL
# (smtp://user:password@host:25, smtp+tls://…:587, smtp+ssl://…:465; or EMAIL_URL_FILE).
_email_url = env_secret("EMAIL_URL", default="")
if EMBEDDED and not _email_url:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    globals().update(env.email_url_config(_email_url or "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LKjIP <lkjip@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Days before a deadline (or a reopening's end) on which operators and planners are reminded.
REMINDER_DAYS = sorted(set(env.list("REMINDER_DAYS", cast=int, default=[7, 3, 1])), reverse=True)
if any(day < 0 for day in REMINDER_DAYS):
    raise ImproperlyConfigured("REMINDER_DAYS berisi jumlah hari sebelum batas waktu: bilangan 0 atau lebih.")

# ---- PASSWORDS ----
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- SIGN-IN THROTTLING (django-axes) ----
# Failed sign-ins are counted per account and, separately, per client address, in the database (the
# same in both modes). Either count reaching the limit within the cool-off locks that account (from
# any address) or that address (for every account) until the cool-off has passed: HTTP 429 and an
# Indonesian page, on /masuk/ and on the admin's login alike. `manage.py axes_reset` unlocks.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out attempt before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in clears its account's failures (lkjip.signin.reset_account_failures). Axes' own
# reset also clears every failure from the signing-in address, whichever account it was aimed at: one
# valid account would then buy unlimited guesses at any other from the same address.
AXES_RESET_ON_SUCCESS = False
# Attempts while locked are refused without being counted, so the lock ends one cool-off after the
# failure that set it (the time the page states), however often the owner retries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "lkjip.signin.lockout_response"
# The client's address. Embedded mode is reached directly, so only the socket's address counts (any
# header is the client's to forge). In production gunicorn sits behind the host's TLS proxy, which
# must append the address it sees to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`). Counting
# AXES_IPWARE_PROXY_COUNT trusted hops from the right, the entry before them is the client. A longer
# chain is read the same way (IPWARE_STRICT off), so what a client wrote further left, forged or from
# its own forward proxy, changes nothing.
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    default=["REMOTE_ADDR"] if EMBEDDED else ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
)
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False

# ---- INTERNATIONALIZATION ----
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
# The project's own catalogue: the Indonesian messages Django REST framework lacks (API errors).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off on purpose: with it, the id locale prints the year 2025 as "2.025". Numbers are
# formatted explicitly by the angka/rupiah template filters instead.
USE_THOUSAND_SEPARATOR = False

# ---- STATIC AND MEDIA ----
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
if EMBEDDED:
    # A fresh clone has no var/ yet; SQLite, whitenoise and uploads all expect their folders.
    for folder in (Path(DATABASES["default"]["NAME"]).parent, STATIC_ROOT, MEDIA_ROOT):
        folder.mkdir(parents=True, exist_ok=True)

# Embedded mode serves static files straight from the source folders, so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files need a collectstatic run first: production images do it at build
    # time (STATIC_MANIFEST=true), while embedded mode serves the source folders as they are.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not EMBEDDED and not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# ---- SECURITY ----
if not EMBEDDED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# ---- UPLOADS ----
# A workbook of 2,000 indicators and 8 years is a few MB; anything far larger is refused
# before openpyxl sees it (see workbook.reader for the row and cell limits).
WORKBOOK_MAX_BYTES = env.int("WORKBOOK_MAX_BYTES", default=20 * 1024 * 1024)
# Evidence (bukti dukung): one file per upload, PDF/JPG/PNG/XLSX, stored under MEDIA_ROOT/evidence/.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Logos and organisation charts printed in the LKjIP (images/): PNG or JPEG, under MEDIA_ROOT/images/.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A quarter's entry page posts ten fields per indicator: room for 2.000 indicators (Django's
# default of 1.000 would refuse any quarter of more than 99).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=25_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---- API ----
# How long the log of API requests (api.ApiRequest) is kept.
API_LOG_DAYS = env.int("API_LOG_DAYS", default=400)
# Personal tokens (django-rest-knox, hashed) with a name and our own expiry (api/models.py).
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations create its (swapped-out) table anyway, with a foreign key to the user that
# makes PostgreSQL refuse to flush the database; without them the swapped model gets no table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        # The browser's own use (Swagger UI, ReDoc) with the signed-in session; CSRF-checked.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LKjIP API",
    "DESCRIPTION": (
        "Data kinerja perangkat daerah (Renstra, PK, realisasi, pengukuran, anggaran, riwayat perubahan, "
        "dokumen LKjIP) untuk Inspektorat dan aplikasi lain. Autentikasi: `Authorization: Token <token>` "
        "(token pribadi dari halaman Token API). Cakupan sama dengan halaman: data suatu perangkat daerah hanya "
        "untuk anggotanya dan peran pemdanya; yang lain mendapat 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its two viewers describe the API, not anyone's data: readable without a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# ---- LOGGING ----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# ---- DOCUMENTS ----
# The address printed in every generated document for its verification page. Set, it is printed
# as it is; unset (embedded mode only), a version prints the address it was requested on (the
# host the browser used, see reports.services.verify_url) and the default below otherwise.
SITE_URL_FIXED = bool(env.str("SITE_URL", default=""))
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if EMBEDDED else "")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL wajib diisi di mode produksi: alamat ini dicetak di setiap dokumen LKjIP.")

# ---- DEMO ----
DEMO_WORKBOOK_DIR = BASE_DIR / "demo" / "workbooks"
