"""Development and demo: DEBUG on, e-mail to the console, static files straight from the apps."""

from kvarter.settings import env
from kvarter.settings.base import *  # noqa: F403

DEBUG = env.flag("DEBUG", True)
SECRET_KEY = env.text("SECRET_KEY", "dev-only-insecure-key-change-me")
EMAIL_BACKEND = env.text("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo is served by gunicorn too, so let whitenoise find files without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# whitenoise serves from the finders here; an existing STATIC_ROOT keeps it from warning.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
