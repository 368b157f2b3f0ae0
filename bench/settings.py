"""The benchmark's server: the production settings, plus the limit views'
URLs (bench/urls.py) and a middleware that reports each request's SQL query
count and the worker's peak memory. Never used outside the benchmark."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE, REST_FRAMEWORK

DEBUG = False
# Plain HTTP on 127.0.0.1: no redirect to https (the limit views get none either).
SECURE_SSL_REDIRECT = False
ROOT_URLCONF = "bench.urls"
# Nothing is collected for the benchmark (it requests no static file): no
# STATIC_ROOT, so WhiteNoise does not warn that the folder is missing.
STATIC_ROOT = None
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
MIDDLEWARE = ["bench.middleware.measure", *MIDDLEWARE]
# The client is one address sending thousands of requests a minute: rate
# limits would answer 429. (Their cost is not what this benchmark measures.)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
# BENCH_FAST_READS=0 serves every read through the serializers, for a before/after.
RECORDS_FAST_READS = os.environ.get("BENCH_FAST_READS", "1") == "1"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
