"""Production: everything secret or host-specific comes from the environment.

Run ``kvarter check --deploy`` with these settings before going live; it must be clean.
"""

from django.core.exceptions import ImproperlyConfigured

from kvarter.settings import env
from kvarter.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.text("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.flag("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
KVARTER_STAFF_ONLY_TOOLS = env.flag("KVARTER_STAFF_ONLY_TOOLS", True)

# Jobs wait in the database for `kvarter db_worker` (django-tasks-db).
TASKS = {"default": {"BACKEND": env.text("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
