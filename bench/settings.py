"""Settings of bench.probe (the API alone, in process): the production
settings with throttling off, on 127.0.0.1. Never used outside the benchmark."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

DEBUG = False
SECURE_SSL_REDIRECT = False
STATIC_ROOT = None
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
