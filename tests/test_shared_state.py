"""Several app servers answer alike: nothing one keeps in its own memory
changes an answer. Conditional GETs read the database's versions (not a
per-process cache), sessions and login lockouts live in the database, rate
counters in the shared cache (tests/test_throttling.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from django.conf import settings

from tests.processes import environment

# One app server: it answers a GET (with an If-None-Match, when given) and prints status and ETag.
SERVER = """
import json, sys, django
django.setup()
from django.test import Client
from records.models import Place
if sys.argv[1] == "write":
    Place.objects.filter(slug="shared").update(name="Shared, renamed")
response = Client().get("/api/v1/places/shared/", HTTP_IF_NONE_MATCH=sys.argv[2])
print(json.dumps([response.status_code, response.get("ETag")]))
"""
PREPARE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from records.models import Place
Place.objects.create(slug="shared", name="Shared", kind="city")
"""


def test_two_app_servers_agree_on_etags_and_see_each_others_writes(tmp_path):
    env = environment(
        DJANGO_SETTINGS_MODULE="config.settings",  # production defaults: the database cache, no locmem
        DJANGO_SECRET_KEY="test-only-not-secret",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    )

    def server(*args: str) -> list:
        done = subprocess.run(
            [sys.executable, "-c", SERVER, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert prepared.returncode == 0, prepared.stderr[-2000:]

    status, etag = server("read", "")
    assert status == 200
    assert server("read", etag) == [304, etag]  # another process: the same ETag, so a 304
    status, changed = server("write", etag)  # a third writes (a bulk update: no signal) and reads
    assert status == 200
    assert changed != etag
    assert server("read", etag)[0] == 200  # and the others see it


def test_sessions_and_login_lockouts_live_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
