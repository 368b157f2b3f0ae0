"""manage.py create_curator USERNAME: a staff account in the curator group.

Creates the account, or updates an existing one (staff, in the group; never a
superuser, and an existing superuser stays one). The password comes from an
environment variable, a prompt, or with --no-input is generated and printed
once. --token prints the account's API token (created if it has none).
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from rest_framework.authtoken.models import Token

from records.roles import ensure_curator_group


class Command(BaseCommand):
    help = "Create or update a curator: a staff account (not a superuser) in the curator group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default=None, help="The curator's email address.")
        password = parser.add_mutually_exclusive_group()
        password.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Set the password from this environment variable (kept out of shell history and ps).",
        )
        password.add_argument(
            "--no-input",
            action="store_true",
            help="Never prompt. A new account gets a generated password, printed once; "
            "an existing account keeps its password.",
        )
        parser.add_argument("--token", action="store_true", help="Print the curator's API token (created if needed).")

    def handle(self, *args, username, email, password_from_env, no_input, token, **options):
        User = get_user_model()
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(f"Invalid username {username!r}: {' '.join(error.messages)}") from None
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"Invalid email address {email!r}.") from None

        existing = User.objects.filter(username=username).first()
        password, generated = self.choose_password(existing, password_from_env, no_input)
        if password is not None:
            try:
                password_validation.validate_password(password, existing or User(username=username, email=email or ""))
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from None

        with transaction.atomic():
            user = existing or User(username=username)
            user.is_staff = True
            if email is not None:
                user.email = email
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(ensure_curator_group())
            key = Token.objects.get_or_create(user=user)[0].key if token else None

        verb = "Updated" if existing else "Created"
        note = " (it is also a superuser)" if user.is_superuser else ""
        self.stdout.write(f"{verb} curator {username!r}: staff, in the curator group{note}.")
        if generated:
            self.stdout.write(f"Password (shown once): {password}")
        if key:
            self.stdout.write(f"API token: {key}")

    def choose_password(self, existing, env_var, no_input) -> tuple[str | None, bool]:
        """(the password to set or None to keep the current one, whether it was generated)."""
        if env_var:
            value = os.environ.get(env_var)
            if not value:
                raise CommandError(f"The environment variable {env_var} is not set or empty.")
            return value, False
        if existing is not None:
            return None, False
        if no_input:
            return secrets.token_urlsafe(12), True
        if not sys.stdin.isatty():
            raise CommandError("No password given: use --password-from-env VAR, or --no-input to generate one.")
        first = getpass.getpass("Password: ")
        if not first or first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords are empty or do not match.")
        return first, False
