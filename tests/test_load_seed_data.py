"""manage.py load_seed_data records the seed documents by natural keys: on an
empty database it gives exactly the reviewed fixtures; on a served one it keeps
what curators and imports did; loading again changes nothing."""

import json
import shutil

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from records.models import Citation, Person, Posting, Source
from records.seedbuilder.fixtures import FIXTURE_FILES
from tests.conftest import dump_records

pytestmark = pytest.mark.django_db


def fixture_rows() -> list[dict]:
    return [row for name in FIXTURE_FILES for row in json.loads((settings.FIXTURES_DIR / name).read_text())]


def _stored(model, obj, name):
    field = model._meta.get_field(name)
    if field.many_to_many:
        return sorted(related.pk for related in getattr(obj, name).all())
    if field.is_relation and field.related_model is ContentType:
        return list(ContentType.objects.get_for_id(getattr(obj, field.attname)).natural_key())
    if field.is_relation:
        return getattr(obj, field.attname)
    return json.loads(json.dumps(field.value_from_object(obj), default=str))


@pytest.mark.django_db(transaction=True, reset_sequences=True)  # a fresh database: ids from 1
def test_an_empty_database_gets_exactly_the_fixtures():
    """The same records, ids and values as fixtures/ (the build of every seed
    at once), but for the time they were written."""
    assert not Person.objects.exists()
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    rows = fixture_rows()
    records = [m for m in apps.get_app_config("records").get_models() if not m._meta.proxy]
    loaded = sum(m.objects.count() for m in records if not m.__name__.startswith("Historical"))
    assert loaded == len(rows)  # many-to-many links travel inside their owner's row
    differences = []
    for row in rows:
        model = apps.get_model(row["model"])
        if model is Citation:
            continue  # compared by content below: their ids follow the write order
        obj = model._base_manager.get(pk=row["pk"])
        for name, value in row["fields"].items():
            if name not in ("created_at", "updated_at") and str(_stored(model, obj, name)) != str(value):
                differences.append((row["model"], row["pk"], name, _stored(model, obj, name), value))
    assert differences == []
    columns = ("source", "content_type", "object_id", "field", "quote", "start", "end", "said")

    def content(fields):
        return tuple(str(fields[c]) for c in columns)

    expected = {content(r["fields"]) for r in rows if r["model"] == "records.citation"}
    stored = {content({c: _stored(Citation, c_obj, c) for c in columns}) for c_obj in Citation.objects.all()}
    assert stored == expected


def test_loading_twice_changes_nothing():
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    first = dump_records()
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert dump_records() == first


def test_it_refuses_without_seeds(settings, tmp_path):
    settings.SEEDS_DIR = tmp_path
    with pytest.raises(CommandError, match="No seed documents"):
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert not Person.objects.exists()


def test_a_curated_edit_survives_loading_again():
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    posting = Posting.objects.get(
        person__slug="asim-arun",
        key=Posting.objects.filter(person__slug="asim-arun").values_list("key", flat=True).first(),
    )
    Posting.objects.filter(pk=posting.pk).update(note="A curator's note")
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert Posting.objects.get(pk=posting.pk).note == "A curator's note"


def _seeds_copy(tmp_path, change=None):
    target = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    if change:
        last = sorted(target.glob("*.yaml"))[-1]
        last.write_text(change(last.read_text()))
    return target


BAD_ANNOTATIONS = {
    "a quote the document does not hold": lambda text: text.replace(
        'cite: "Kanpur police commissioner Asim Arun"', 'cite: "Kanpur police chief Asim Arun"', 1
    ),
    "an unknown reference": lambda text: text.replace("native_place: {value: kannauj", "native_place: {value: agra", 1),
    "a date its words do not allow": lambda text: text.replace("status: confirmed", "status: sometime", 1),
}


@pytest.mark.parametrize("bad", list(BAD_ANNOTATIONS))
def test_one_bad_annotation_loads_nothing(settings, tmp_path, bad):
    seeds = _seeds_copy(tmp_path, BAD_ANNOTATIONS[bad])
    assert (
        seeds.joinpath(sorted(p.name for p in seeds.glob("*.yaml"))[-1]).read_text()
        != (settings.SEEDS_DIR / sorted(p.name for p in seeds.glob("*.yaml"))[-1]).read_text()
    )
    settings.SEEDS_DIR = seeds
    before = dump_records()
    with pytest.raises(CommandError, match=r"nothing was loaded:\nseeds/002_\w+\.yaml: "):
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert dump_records() == before
    assert not Source.objects.exists()
