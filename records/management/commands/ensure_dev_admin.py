"""manage.py ensure_dev_admin: a development superuser, so the admin can be opened at once.

Debug mode only. Creates "admin" with a random password, printed once, when
the database has no superuser; otherwise does nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "In debug mode, create a superuser 'admin' with a printed random password if there is none."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for development only (DJANGO_DEBUG=1).")
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; log in with it at http://127.0.0.1:8000/admin/.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.WARNING(f"Created superuser 'admin' with password {password} (shown once) for /admin/.")
        )
