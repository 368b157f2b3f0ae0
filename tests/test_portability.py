"""manage.py export_all / import_all round trip on the seeds, the 2017 results
and a curator's edits: a full export (edit history, merges and the users they
name included, never passwords or tokens) restores an identical database, into
an empty database or with --replace; a non-empty database is refused without
--replace. (Corrupt and truncated files: test_portability_refusals.py.)"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from rest_framework.authtoken.models import Token

from records.models import Person
from tests.portability import curate, empty_the_database, state


@pytest.fixture(scope="module")
def exported(results_2017, django_db_blocker, tmp_path_factory):
    """Curated once for the module (rolled back with results_2017), exported plain and gzipped."""
    folder = tmp_path_factory.mktemp("export")
    with django_db_blocker.unblock(), transaction.atomic():
        curator = curate()
        for name in ("export.jsonl", "export.jsonl.gz"):
            call_command("export_all", str(folder / name), verbosity=0)
        yield {"folder": folder, "state": state(), "curator": curator, "token": Token.objects.get(user=curator).key}
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", ["export.jsonl", "export.jsonl.gz"])
def test_an_export_restores_an_identical_database(db, exported, name):
    empty_the_database()

    call_command("import_all", str(exported["folder"] / name), verbosity=0)

    assert state() == exported["state"]
    # New rows get ids after the imported ones (sequences follow on PostgreSQL).
    new = Person.objects.create(slug="someone-new", name="Someone New")
    assert new.pk > max(Person.objects.exclude(pk=new.pk).values_list("pk", flat=True))
    # Restored accounts keep their ids; the next account (a curator made after a restore) still gets one.
    call_command("create_curator", "after-restore", no_input=True, verbosity=0)
    assert get_user_model().objects.filter(username="after-restore").exists()


def test_replace_over_a_changed_database_gives_the_exported_one(db, exported):
    Person.objects.filter(slug="asim-arun").update(name="Changed after the export")
    Person.objects.create(slug="added-after", name="Added After")

    call_command("import_all", str(exported["folder"] / "export.jsonl"), replace=True, verbosity=0)

    assert state() == exported["state"]


def test_the_export_holds_users_by_name_and_no_secret(db, exported):
    text = (exported["folder"] / "export.jsonl").read_text()
    assert exported["token"] not in text
    assert exported["curator"].password not in text
    assert "password" not in text
    users = [json.loads(line)["user"] for line in text.splitlines() if line.startswith('{"user"')]
    assert users == [{"id": exported["curator"].pk, "username": "curator"}]


def test_a_non_empty_database_is_refused_without_replace(db, exported):
    with pytest.raises(CommandError, match="already holds records"):
        call_command("import_all", str(exported["folder"] / "export.jsonl"), verbosity=0)
    assert state() == exported["state"]


@pytest.mark.django_db(transaction=True)
def test_an_export_outside_any_transaction_reads_one_snapshot(tmp_path):
    """As the command runs in production: its own transaction (REPEATABLE READ
    on PostgreSQL, which must be the transaction's first statement)."""
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    call_command("export_all", str(tmp_path / "export.jsonl"), verbosity=0)
    end = json.loads((tmp_path / "export.jsonl").read_text().splitlines()[-1])["end"]
    assert end["rows"]["records.person"] == Person.objects.count() > 0
