"""What serving requests needs that management commands do not.

Checked when the WSGI or ASGI application loads (gunicorn, runserver), so that
a server without them refuses to start instead of failing on its first
request, and by `manage.py check --deploy`. Schema and data commands (migrate,
loaddata, build_fixtures) never load the application and run without them.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def serving_problems() -> list[str]:
    problems = []
    try:
        settings.SECRET_KEY  # noqa: B018 (reading it is the check: an empty key raises)
    except ImproperlyConfigured:
        problems.append("DJANGO_SECRET_KEY is not set: a server signs sessions and CSRF tokens with it.")
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is empty: every request would be refused.")
    return problems


def require_serving_settings() -> None:
    problems = serving_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def check_serving_settings(app_configs, **kwargs) -> list[checks.Error]:
    return [checks.Error(problem, id="records.E001") for problem in serving_problems()]
