"""Helpers for the export_all / import_all tests: a curated database, its state."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from records.models import Person, PersonAlias, PersonMerge, Posting
from records.portability import _delete_all
from tests.conftest import dump_records


def curate():
    """A curator's edits, each leaving history (a change, a new record, a
    deletion), and a person merge; the curator has an API token."""
    curator = get_user_model().objects.create_user("curator", password="s3cret-password")
    Token.objects.create(user=curator)
    asim = Person.objects.get(slug="asim-arun")
    asim._history_user = curator
    asim.name = "Asim Arun (IPS)"
    asim.save()
    posting = Posting(person=asim, role="Minister of State", start="2022-03", status="reported")
    posting._history_user = curator
    posting.save()
    alias = PersonAlias.objects.filter(person=asim).first()
    alias._history_user = curator
    alias.delete()
    kept, removed = Person.objects.exclude(pk=asim.pk).order_by("pk")[:2]
    PersonMerge.objects.create(
        kept=kept, removed_id=removed.pk, removed_name=removed.name, merged_by=curator, snapshot={"moved": [1, 2]}
    )
    assert Person.history.filter(history_user=curator).count() == 1
    assert PersonAlias.history.filter(history_type="-").count() == 1
    return curator


def state() -> tuple[str, list]:
    """The records (dump_records() includes the history tables) and the users."""
    users = list(get_user_model().objects.order_by("pk").values_list("pk", "username"))
    return dump_records(), users


def empty_the_database():
    _delete_all("default")
    get_user_model().objects.all().delete()
    assert dump_records() == "[]"
