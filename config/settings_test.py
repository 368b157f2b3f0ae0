"""Settings for the test suite: the real settings, made fast and self-contained."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from config.logging import logging_config
from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the apps (no collectstatic before tests): no
# STATIC_ROOT, so WhiteNoise does not warn that the uncollected folder is missing.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False

# Log lines as text: pytest shows them with a failing test.
LOGGING = logging_config(json_lines=False)

# Counters in this process (tests of the shared stores name theirs); no test is throttled by accident
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# No test is throttled by accident: a rate of None lets every request through.
# Tests of the limits set rates themselves (records/api/throttling.py reads them per request).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])}  # noqa: F405

# Login lockouts off: axes refuses `client.login()`, which authenticates without
# a request. The lockout test turns them on.
AXES_ENABLED = False

# Replicas named in the environment are copies of the test database, not databases of their own.
for _alias in DATABASE_REPLICAS:  # noqa: F405
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}  # noqa: F405
