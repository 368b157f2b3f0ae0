"""manage.py load_seed_data fills an empty database; loading again changes nothing."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from records.models import Citation, Person
from records.seedbuilder.fixtures import FIXTURE_FILES
from tests.conftest import dump_records

pytestmark = pytest.mark.django_db


def fixture_rows() -> int:
    return sum(len(json.loads((settings.FIXTURES_DIR / name).read_text())) for name in FIXTURE_FILES)


def test_it_loads_every_fixture_row():
    assert not Person.objects.exists()
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    loaded = sum(m.objects.count() for m in apps.get_app_config("records").get_models() if not m._meta.proxy)
    assert loaded == fixture_rows()  # many-to-many links travel inside their owner's row
    assert Citation.objects.count() > 100


def test_loading_twice_changes_nothing():
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    first = dump_records()
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert dump_records() == first


def test_it_refuses_without_fixtures(settings, tmp_path):
    settings.FIXTURES_DIR = tmp_path
    with pytest.raises(CommandError, match="Missing fixture files"):
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert not Person.objects.exists()


def test_it_refuses_to_overwrite_a_different_record_holding_a_seed_key():
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    seed = Citation.objects.order_by("pk").last()
    other = Person.objects.exclude(pk=seed.object_id).first()
    Citation.objects.filter(pk=seed.pk).update(object_id=other.pk)  # as if an import had taken this key
    before = dump_records()
    with pytest.raises(CommandError, match=rf"Seed record records.citation {seed.pk} would overwrite"):
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert dump_records() == before


def _with_one_bad_row(fixtures, change):
    """A copy of fixtures/ whose last file's last row is changed: every other row
    would load (and the first file's first row now differs from the database)."""
    for name in FIXTURE_FILES:
        (fixtures / name).write_text((settings.FIXTURES_DIR / name).read_text())
    first = next(iter(FIXTURE_FILES))
    rows = json.loads((fixtures / first).read_text())
    rows[0]["fields"]["title"] = "A title the failed load must not leave behind"
    (fixtures / first).write_text(json.dumps(rows))
    last = list(FIXTURE_FILES)[-1]
    rows = json.loads((fixtures / last).read_text())
    change(rows[-1]["fields"])
    (fixtures / last).write_text(json.dumps(rows))


BAD_ROWS = {
    "a quote ending before it starts": lambda fields: fields.update(start=10, end=5),
    "a citation of no source": lambda fields: fields.update(source=10**6),
    "an unknown field": lambda fields: fields.update(shoe_size=9),
    "a value of the wrong type": lambda fields: fields.update(start="ten"),
}


@pytest.mark.parametrize("bad_row", list(BAD_ROWS))
@pytest.mark.parametrize("loaded_before", [False, True], ids=["empty", "seeded"])
def test_one_bad_row_loads_nothing(settings, tmp_path, bad_row, loaded_before):
    if loaded_before:
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
    before = dump_records()
    _with_one_bad_row(tmp_path, BAD_ROWS[bad_row])
    settings.FIXTURES_DIR = tmp_path

    with pytest.raises((CommandError, DatabaseError, DeserializationError)):
        call_command("load_seed_data", skip_migrate=True, verbosity=0)

    assert dump_records() == before
