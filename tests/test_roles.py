"""Roles: the curator group (made by migrate and by setup_roles), the
create_curator command, and what a staff account without the group sees."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from records.roles import CURATOR_GROUP, ensure_curator_group


def run(*args, **kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def curator_codenames() -> set[str]:
    return set(Group.objects.get(name=CURATOR_GROUP).permissions.values_list("codename", flat=True))


def test_migrate_made_the_curator_group_with_every_records_permission(db):
    codenames = curator_codenames()
    for model in apps.get_app_config("records").get_models():
        name = model._meta.model_name
        if name.startswith("historical"):
            assert codenames & {f"{a}_{name}" for a in ("add", "change", "delete", "view")} == {f"view_{name}"}
        else:
            assert {f"{a}_{name}" for a in ("add", "change", "delete", "view")} <= codenames, name
    # Nothing outside the records app: no user admin, no tokens (a curator could mint one for anybody).
    outside = Group.objects.get(name=CURATOR_GROUP).permissions.exclude(content_type__app_label="records")
    assert list(outside) == []


def test_the_group_is_made_idempotently_and_repaired(db):
    group = ensure_curator_group()
    before = curator_codenames()
    group.permissions.remove(Permission.objects.get(codename="change_posting"))
    group.permissions.add(Permission.objects.get(codename="change_user"))
    assert "Group 'curator'" in run("setup_roles")
    run("setup_roles")
    assert curator_codenames() == before
    assert Group.objects.filter(name=CURATOR_GROUP).count() == 1


def test_create_curator_from_an_environment_variable(db, monkeypatch, client):
    monkeypatch.setenv("CURATOR_PW", "a long enough passphrase")
    out = run("create_curator", "ria", email="ria@example.org", password_from_env="CURATOR_PW")
    assert "Created curator 'ria'" in out
    assert "passphrase" not in out
    user = get_user_model().objects.get(username="ria")
    assert (user.is_staff, user.is_superuser, user.email) == (True, False, "ria@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [CURATOR_GROUP]
    assert user.has_perm("records.change_posting")
    assert not user.has_perm("auth.change_user")
    assert client.login(username="ria", password="a long enough passphrase")
    assert client.get(reverse("admin:records_posting_changelist")).status_code == 200


def test_create_curator_no_input_prints_a_generated_password_and_a_token(db, client):
    out = run("create_curator", "sam", no_input=True, token=True)
    password = out.split("Password (shown once): ")[1].split()[0]
    key = out.split("API token: ")[1].split()[0]
    assert client.login(username="sam", password=password)
    assert Token.objects.get(user__username="sam").key == key
    # Running it again updates the account: same password, same token, no new password printed.
    again = run("create_curator", "sam", no_input=True, token=True)
    assert "Updated curator 'sam'" in again
    assert "Password" not in again
    assert key in again
    assert client.login(username="sam", password=password)


def test_create_curator_keeps_an_existing_superuser_a_superuser(db):
    get_user_model().objects.create_superuser("boss", password="x")
    assert "also a superuser" in run("create_curator", "boss", no_input=True)
    boss = get_user_model().objects.get(username="boss")
    assert boss.is_superuser
    assert boss.groups.filter(name=CURATOR_GROUP).exists()


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["bad name!"], {"no_input": True}, "Invalid username"),
        (["ria"], {"no_input": True, "email": "not-an-email"}, "Invalid email"),
        (["ria"], {"password_from_env": "NO_SUCH_VARIABLE_HERE"}, "NO_SUCH_VARIABLE_HERE is not set"),
        (["ria"], {}, "No password given"),  # not a terminal, and nothing says where the password comes from
    ],
)
def test_create_curator_refuses_bad_input_clearly(db, args, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_curator", *args, **options)
    assert not get_user_model().objects.filter(username="ria").exists()


def test_create_curator_refuses_a_weak_password(db, monkeypatch, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
    monkeypatch.setenv("CURATOR_PW", "short")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_curator", "ria", password_from_env="CURATOR_PW")


def test_create_curator_exits_non_zero_from_the_shell(db):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "create_curator", "bad name!", "--no-input"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
    )
    assert result.returncode != 0
    assert "Invalid username" in result.stderr


def test_a_staff_account_without_the_group_sees_nothing(seeded, client):
    get_user_model().objects.create_user("visitor", password="pw", is_staff=True)
    client.login(username="visitor", password="pw")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert client.get(reverse("admin:records_person_changelist")).status_code == 403
    assert client.get(reverse("admin:records_posting_change", args=[1])).status_code == 403


def test_a_curator_sees_every_records_model_but_not_accounts(seeded, client):
    run("create_curator", "ria", no_input=True)
    client.force_login(get_user_model().objects.get(username="ria"))
    index = client.get(reverse("admin:index"))
    labels = {app["app_label"] for app in index.context["app_list"]}
    assert labels == {"records"}
    shown = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    models = apps.get_app_config("records").get_models()
    registered = {m.__name__ for m in models if not m.__name__.startswith("Historical")}
    assert shown == registered
