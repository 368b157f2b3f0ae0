"""The production settings for the server the replica tests start
(tests/test_read_replicas.py), but for static files: served from the apps, as
in the test settings, so that the admin's pages render without collectstatic."""

from config.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
