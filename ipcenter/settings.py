"""ipcenter settings: one module, configured from environment variables.

With no environment the site runs on SQLite with Celery tasks executed eagerly
(``make run`` on a bare machine).  With ``DATABASE_URL`` and ``REDIS_URL`` it
uses PostgreSQL and a real broker, worker and beat (CI, docker-compose, prod).
"""
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
# The repository's key is for development (DEBUG=1, `make run`) and test runs only (pytest sets
# PYTEST_VERSION); a site with DEBUG off refuses to start without its own key.
DEVELOPMENT_SECRET_KEY = "dev-insecure-ipcenter-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or os.environ.get("PYTEST_VERSION")):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site needs its own secret key: set SECRET_KEY "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 for development.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# absolute links (QR codes, e-mails); unset = the address of the request being served, and the
# development address in Celery tasks (ipcenter.http.site_url) — production sets it
SITE_URL = env.str("SITE_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    # shared core
    "ipcenter.apps.IpcenterConfig",
    "ipcenter.accounts",
    "ipcenter.workflow",
    "ipcenter.deadlines",
    "ipcenter.notify",
    "ipcenter.files",
    "ipcenter.reports",
    "ipcenter.stats",
    # areas of work
    "prescreen",
    "prescreen.quality",
    "rightsaid",
    "rightsaid.mediation",
    "navigation",
    "outreach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ipcenter.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipcenter.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ipcenter.http.CurrentRequestMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "ipcenter.submit_once.SubmitOnceMiddleware",  # a form's one-time token (double submits)
]

ROOT_URLCONF = "ipcenter.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipcenter.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "ipcenter.wsgi.application"
ASGI_APPLICATION = "ipcenter.asgi.application"

# --- database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache / broker -------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="ipcenter")
# Long jobs (reports, imports; apps declare theirs with PortalAppConfig.long_tasks) run on their
# own queue and worker, with time limits, so they never hold up reminders and e-mail.
CELERY_LONG_QUEUE = env.str("CELERY_LONG_QUEUE", default="ipcenter.long")
CELERY_LONG_TASK_SOFT_LIMIT = env.int("CELERY_LONG_TASK_SOFT_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TIMEZONE = "Asia/Shanghai"
# The core's own entries; each app adds its entries in its AppConfig (ipcenter.plugins) and
# ipcenter.apps merges them into the Celery schedule at start-up.
CELERY_BEAT_SCHEDULE = {
    "deadline-sweep": {
        "task": "ipcenter.deadlines.tasks.sweep_deadlines",
        "schedule": crontab(minute="*/5"),
    },
    "notification-email": {
        "task": "ipcenter.notify.tasks.send_pending_emails",
        "schedule": crontab(minute="*"),
    },
}

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ipcenter.validators.MinimumLengthValidator"},  # its message translated (Django's is not in 5.2)
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("FAST_PASSWORD_HASHING", default=False):  # test runs only
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]


def _axes_client_ip(request):
    """The core's client address (``ipcenter.http.client_address``: behind TRUSTED_PROXY_COUNT
    proxies, the real client), or None for a request without one (axes stores an IP column)."""
    from ipcenter.http import client_address

    address = client_address(request)
    return None if address == "unknown" else address


AXES_CLIENT_IP_CALLABLE = _axes_client_ip
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# the empty choice of every filter drop-down reads "全部" ("All"), not "---------"
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and files -----------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded documents never live under a public URL: they are served by views
# that apply visible_to(user).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
# The default storage is not used for user uploads (they use the private
# storage above); MEDIA_* exist only because Django and tools expect them.
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- email ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ipcenter <noreply@ipcenter.local>")

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ipcenter.api_settings.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        # the list's FilterSet, ordering and search; never applied on detail/action URLs
        "ipcenter.filters.ListFilterBackend",
        "ipcenter.filters.ListOrderingFilter",
        "ipcenter.filters.ListSearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "ipcenter.api_schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "ipcenter.api_settings.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ipcenter API",
    "DESCRIPTION": "知识产权保护中心门户 API（预审、质检、维权援助、导航、宣传）",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # error bodies, blank URLs, empty query values: ipcenter.api_schema
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "ipcenter.api_schema.postprocess"],
    "ENUM_NAME_OVERRIDES": {
        "QualityCheckOutcomeEnum": "prescreen.quality.models.QualityCheckOutcome",
        # choice sets sharing a field name across apps get explicit component names
        "NavigationPhaseKindEnum": "navigation.models.ProjectPhase.Kind",
        "PublicationKindEnum": "outreach.models.Publication.Kind",
        "OrganizationKindEnum": "ipcenter.accounts.models.Organization.Kind",
        "AssistanceCaseKindEnum": "rightsaid.models.AssistanceCase.Kind",
        "EventKindEnum": "outreach.models.Event.Kind",
        "StationKindEnum": "ipcenter.accounts.models.Station.Kind",
        "RequestChannelEnum": "rightsaid.models.Channel",
        "MediaChannelEnum": "outreach.models.Channel",
        "PatentExportSourceEnum": "navigation.models.PatentImport.Source",
        "RegistrationSourceEnum": "outreach.models.Registration.Source",
        "PatentImportStatusEnum": "navigation.models.PatentImport.Status",
        "NavigationProjectStatusEnum": "navigation.models.NavigationProject.Status",
        "JobStatusEnum": "ipcenter.reports.models.ReportJob.Status",
        "OrganizationStatusEnum": "ipcenter.accounts.models.Organization.Status",
    },
}

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and env.bool("HTTPS", default=False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# with HSTS switched on (SECURE_HSTS_SECONDS) it covers sub-domains and may be preloaded unless
# switched off explicitly, so `check --deploy` is clean with the documented production variables
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
# reverse proxies in front of the site that append to X-Forwarded-For; ipcenter.http.client_address
# takes the N-th address from the right (0: REMOTE_ADDR, the header is ignored)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# --- logging: everything to stdout ---------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# --- portal configuration defaults (admin-editable values live in the DB) --
PORTAL_NAME = env.str("PORTAL_NAME", default="知识产权保护中心")
# statistics figures are served from snapshots (ipcenter.stats.snapshots): seconds a snapshot
# counts as fresh, the shortest gap between two "立即刷新", a queued recompute taken as lost
STATS_MAX_AGE = env.int("STATS_MAX_AGE", default=15 * 60)
# a period that ended before today: its snapshot is recomputed after this many seconds
STATS_CLOSED_MAX_AGE = env.int("STATS_CLOSED_MAX_AGE", default=6 * 3600)
STATS_REFRESH_MIN_INTERVAL = env.int("STATS_REFRESH_MIN_INTERVAL", default=60)
STATS_REQUEUE_AFTER = env.int("STATS_REQUEUE_AFTER", default=15 * 60)
STATS_WARM_LANGUAGES = env.list("STATS_WARM_LANGUAGES", default=["zh-hans"])
# list exports (?export=xlsx) above this many rows run as a background job
LIST_EXPORT_SYNC_LIMIT = env.int("LIST_EXPORT_SYNC_LIMIT", default=5000)
