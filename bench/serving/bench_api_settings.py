"""The API's server in the benchmark: the production settings of the checkout
being served (config.settings, its throttle classes and rate-limit cache
included), plus the probe that reports queries and memory. Rates and HTTPS
come from the documented environment variables (bench/servers.py sets them)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
MIDDLEWARE = ["bench_measure.measure", *MIDDLEWARE]
# Nothing static is requested: no STATIC_ROOT, so WhiteNoise does not warn that it is missing.
STATIC_ROOT = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
