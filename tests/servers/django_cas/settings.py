"""Django settings for the django-cas-server test deployment.

The SQLite database lives in the directory named by ``DJANGO_CAS_DATA_DIR`` (the launcher sets it).
Nothing here reaches the network: django-cas-server's new-version check (a request to PyPI) is off,
and the service pattern is registered without single logout (which would POST to the services).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATA_DIR_VARIABLE = "DJANGO_CAS_DATA_DIR"

try:
    DATA_DIR = Path(os.environ[DATA_DIR_VARIABLE])
except KeyError:
    raise ImproperlyConfigured(
        f"{DATA_DIR_VARIABLE} must name the directory for the test CAS's SQLite database"
    ) from None

SECRET_KEY = os.environ.get("DJANGO_CAS_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tests.servers.django_cas.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [str(Path(__file__).resolve().parent / "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "cas.sqlite3"),
        # waitress serves on several threads; a writer waits for another instead of failing at once.
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# A test deployment: a fast hasher keeps each login cheap (Django's default costs ~0.5 s a password).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# English pages whatever the client's Accept-Language (no LocaleMiddleware).
LANGUAGE_CODE = "en-us"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
STATIC_URL = "/static/"

# django-cas-server: users authenticate against Django's users; attributes come from its own
# UserAttributes table (see auth.py). No PyPI version check, no info boxes.
CAS_AUTH_CLASS = "tests.servers.django_cas.auth.StoredAttributesAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_INFO_MESSAGES_ORDER: list[str] = []
CAS_SHOW_POWERED = False
# The launcher's --house-login: the deployment's own login page (templates/house/login.html).
if os.environ.get("DJANGO_CAS_HOUSE_LOGIN") == "1":
    CAS_LOGIN_TEMPLATE = "house/login.html"

# Warnings of django-cas-server (refused services, failed logins, validation errors) and server errors
# go to standard error, which the test session keeps and shows if the server dies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "cas_server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "waitress": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
