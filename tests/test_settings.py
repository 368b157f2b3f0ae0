"""Settings come from the environment and fail loudly where it matters."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings
try:
    settings.SECRET_KEY
except Exception as exc:
    print(type(exc).__name__, exc)
else:
    print("key set")
"""


def run(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_a_secret_key_outside_debug_nothing_can_sign():
    result = run(DATABASE_URL="sqlite:///:memory:")
    assert "ImproperlyConfigured The SECRET_KEY setting must not be empty." in result.stdout, result.stderr


def test_debug_mode_has_a_development_key_and_production_uses_its_own():
    assert "key set" in run(DJANGO_DEBUG="1", DATABASE_URL="sqlite:///:memory:").stdout
    assert "key set" in run(DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///:memory:").stdout


def test_a_malformed_boolean_stops_start_up_naming_the_variable():
    result = run(DJANGO_DEBUG="maybe", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr
