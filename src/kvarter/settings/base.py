"""Settings shared by every environment."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kvarter.settings import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

SECRET_KEY = env.text("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS")

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "kvarter.core",
    "kvarter.accounts",
    "kvarter.areas",
    "kvarter.indicators",
    "kvarter.plans",
    "kvarter.safety",
    "django_tasks_db",
    "kvarter.followup",
    "kvarter.reports",
    "kvarter.api",
    "kvarter.home",
    "kvarter.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kvarter.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kvarter.core.security.SessionLifetimeMiddleware",
    "kvarter.core.security.StaffOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kvarter.core.middleware.DoorMiddleware",
    "kvarter.core.middleware.RefuseNulMiddleware",
    # Last, as django-axes requires: it turns locked-out logins into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kvarter.urls"
WSGI_APPLICATION = "kvarter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kvarter.core.context_processors.kvarter",
                "kvarter.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR / "kvarter.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before any password check.
    # kvarter.accounts.lockout adds the limit on one address trying many usernames.
    "kvarter.accounts.lockout.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "home:start"

# Rate-limited login: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.integer("KVARTER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind the documented reverse proxy every request comes from the proxy's address: the client's
# address is read from X-Forwarded-For, trusting as many entries (from the right) as there are
# proxies in front of Kvarter (0 = no proxy: the connection's own address).
KVARTER_TRUSTED_PROXY_COUNT = env.integer("KVARTER_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kvarter.accounts.lockout.client_ip"
# A spray: one address failing for this many different usernames within AXES_COOLOFF_TIME is
# refused for every username until the cool-off ends.
KVARTER_LOGIN_SPRAY_LIMIT = env.integer("KVARTER_LOGIN_SPRAY_LIMIT", 20)

# A login lasts KVARTER_SESSION_HOURS at most and ends after KVARTER_SESSION_IDLE_MINUTES
# without a request (kvarter.core.security.SessionLifetimeMiddleware).
KVARTER_SESSION_SECONDS = env.integer("KVARTER_SESSION_HOURS", 8) * 3600
KVARTER_SESSION_IDLE_SECONDS = env.integer("KVARTER_SESSION_IDLE_MINUTES", 60) * 60
SESSION_COOKIE_AGE = KVARTER_SESSION_SECONDS
# API tokens stop working this many days after they were created (a new one: `kvarter
# drf_create_token -r USERNAME`; revoke: `kvarter revoke-token USERNAME`).
KVARTER_API_TOKEN_DAYS = env.integer("KVARTER_API_TOKEN_DAYS", 90)
# The Django admin and the API docs/schema only for logged-in staff (on in production).
KVARTER_STAFF_ONLY_TOOLS = env.flag("KVARTER_STAFF_ONLY_TOOLS", False)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.text("KVARTER_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous caller gets 401 with a WWW-Authenticate header.
        "kvarter.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kvarter.api.permissions.ResolverPermission"],
    "DEFAULT_SCHEMA_CLASS": "kvarter.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kvarter.api.pagination.Pagination",
    # DRF's own parsers, refusing what they would crash on or read wrongly (kvarter.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "kvarter.api.parsers.JSONParser",
        "kvarter.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "kvarter.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kvarter API",
    "DESCRIPTION": "Areas, organisations and follow-up of area-based development.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # A PATCH body's schema keeps the fields the API requires (e.g. 'version'); the write
    # serializers already say which fields a PATCH may leave out.
    "COMPONENT_SPLIT_PATCH": False,
    # The docs page's JavaScript is served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # Every operation documents its error answers in one shape (kvarter.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kvarter.api.schema.add_errors_component",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a 'kind' or a 'status'; name each choice set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "kvarter.accounts.models.OrganisationKind",
        "RoundKindEnum": "kvarter.followup.models.RoundKind",
        "PlanStatusEnum": "kvarter.plans.models.PlanStatus",
        "MeasureStatusEnum": "kvarter.followup.models.Status",
        "DispositionEnum": "kvarter.followup.models.Disposition",
        "IndicatorDirectionEnum": "kvarter.indicators.models.Direction",
        "TargetDirectionEnum": "kvarter.plans.models.goals.Direction",
        "SexEnum": "kvarter.core.models.Sex",
        "DeploymentOutcomeEnum": "kvarter.safety.models.Outcome",
    },
}

# Maps: area polygons always draw; a background tile layer only when a URL is configured,
# since many municipal networks cannot reach public tile servers.
KVARTER_TILE_URL = env.text("KVARTER_TILE_URL", "")
KVARTER_TILE_ATTRIBUTION = env.text("KVARTER_TILE_ATTRIBUTION", "")

EMAIL_BACKEND = env.text("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "kvarter@localhost")

# Follow-up reminders (`kvarter send-reminders`, run daily): the days before a round's deadline
# on which units that have not reported are e-mailed (0 = the deadline day itself), and the
# address the e-mails link to.
KVARTER_REMINDER_DAYS = env.day_counts("KVARTER_REMINDER_DAYS", "7,1,0")
KVARTER_BASE_URL = env.base_url("KVARTER_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO; only its warnings are worth a log line.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Background jobs (django-tasks), e.g. kvarter.safety.retention.tasks.purge_incidents_task.
# Development and
# tests run a job in the process that enqueues it; production (settings/prod.py) keeps jobs in
# the database (django-tasks-db) for `kvarter db_worker` to run. Cron may instead call
# `kvarter purge-incidents` daily. TASKS_BACKEND chooses the backend explicitly.
TASKS = {
    "default": {
        "BACKEND": env.text("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}

# Single sign-on (OIDC) is switched on by setting OIDC_RP_CLIENT_ID; see docs/architecture.md.
OIDC_RP_CLIENT_ID = env.text("OIDC_RP_CLIENT_ID")
if OIDC_RP_CLIENT_ID:  # pragma: no cover - exercised only where an identity provider exists
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "kvarter.accounts.sso.KvarterOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env.text("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.text("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.text("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.text("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.text("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.text("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SCOPES = "openid email profile"
