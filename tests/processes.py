"""Running the project in a separate process, as a server or a command would
run: with the environment a test gives it, and none of the test run's own
DJANGO_, GUNICORN_ or REDIS_ variables."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

OWN_PREFIXES = ("DJANGO_", "GUNICORN_", "REDIS_")


def environment(**env: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(OWN_PREFIXES)} | env


def command(*args: str, timeout: int = 120, **env: str) -> subprocess.CompletedProcess:
    """`args` run in the project's folder; output captured as text."""
    return subprocess.run(
        args,
        cwd=settings.BASE_DIR,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    return command(sys.executable, "-c", code, **env)
