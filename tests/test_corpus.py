"""The synthetic corpus (manage.py generate_corpus): deterministic for a seed,
sized as asked, every quote where its offsets say, every constraint held."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from records.corpus import CorpusNotEmpty, CorpusSize, generate_corpus
from records.fuzzydates import parse_fuzzy_date
from records.models import Citation, Person, PersonAlias, Posting, Source

SMALL = CorpusSize(people=60, postings=400)
TIMESTAMPS = {"created_at", "updated_at"}  # when the rows were written, not what they say


def records_models():
    return [m for m in apps.get_app_config("records").get_models() if not m._meta.proxy and m._meta.managed]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every records table, by content, timestamps aside."""
    out = {}
    for model in records_models():
        names = [f.attname for f in model._meta.concrete_fields if f.name not in TIMESTAMPS]
        out[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*names))
    return out


def wipe() -> None:
    for model in records_models():
        model._base_manager.all()._raw_delete(connection.alias)
        for field in model._meta.local_many_to_many:
            field.remote_field.through._base_manager.all()._raw_delete(connection.alias)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_corpus_and_another_seed_another():
    generate_corpus(SMALL, seed=7)
    first = snapshot()
    wipe()
    generate_corpus(SMALL, seed=7)
    assert snapshot() == first
    wipe()
    generate_corpus(SMALL, seed=8)
    assert snapshot()["records.Person"] != first["records.Person"]


@pytest.mark.django_db
def test_counts_match_the_parameters():
    written = generate_corpus(CorpusSize(people=45, postings=321), seed=1)
    assert Person.objects.count() == written["records.Person"] == 45
    assert Posting.objects.count() == written["records.Posting"] == 321
    for model in records_models():
        assert model._base_manager.count() == written.get(model._meta.label, 0), model


@pytest.mark.django_db
def test_every_quote_occurs_in_its_source_at_its_offsets():
    generate_corpus(SMALL, seed=2)
    texts = dict(Source.objects.values_list("pk", "text"))
    quotes = Citation.objects.exclude(start=None)
    assert quotes.count() > SMALL.postings  # every posting is cited, and more
    for citation in quotes:
        assert texts[citation.source_id][citation.start : citation.end] == citation.quote
    # Dataset rows are cited by locator, not by quote.
    assert not Citation.objects.filter(start=None, locator="").exists()


@pytest.mark.django_db
def test_every_record_passes_its_validation_and_constraints():
    generate_corpus(CorpusSize(people=25, postings=120), seed=3)
    for model in records_models():
        for record in model._base_manager.all():
            try:
                record.full_clean()
            except ValidationError as exc:
                pytest.fail(f"{model.__name__} {record.pk}: {exc}")


@pytest.mark.django_db
def test_the_corpus_has_the_shape_of_real_data():
    generate_corpus(SMALL, seed=4)
    precisions = {parse_fuzzy_date(value).precision for value in Posting.objects.values_list("start", flat=True)}
    assert {"day", "month", "year"} <= precisions
    assert len(precisions) >= 4
    assert Posting.objects.values("status").distinct().count() >= 4
    assert Posting.objects.filter(end="").exists()
    assert Posting.objects.exclude(end="").exists()
    assert PersonAlias.objects.filter(kind=PersonAlias.Kind.SPELLING_VARIANT).exists()
    assert Posting.objects.filter(organisation__kind="party").exists()
    assert Posting.objects.filter(organisation__parent__isnull=False).exists()  # police units under a force
    assert apps.get_model("records", "PersonRelation").objects.exists()
    election = apps.get_model("records", "Election").objects.filter(contests__isnull=False).first()
    assert election.phases.exists()
    assert election.results.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_that_holds_records():
    generate_corpus(CorpusSize(people=3, postings=3), seed=1)
    with pytest.raises(CorpusNotEmpty):
        generate_corpus(CorpusSize(people=3, postings=3), seed=2)
    with pytest.raises(CommandError, match="empty"):
        call_command("generate_corpus", people=3, no_progress=True, verbosity=0)


@pytest.mark.django_db
def test_the_fast_insert_writes_what_bulk_create_writes(monkeypatch):
    """The sink's COPY / executemany path against Django's own bulk_create."""
    generate_corpus(SMALL, seed=3)
    fast = snapshot()
    stamped = Posting.objects.filter(created_at__isnull=False, updated_at__isnull=False).count()
    assert stamped == SMALL.postings  # auto_now fields are filled as save() would
    wipe()
    monkeypatch.setattr(
        "records.corpus.sink.insert_rows", lambda model, rows: model.objects.bulk_create(rows, batch_size=500)
    )
    generate_corpus(SMALL, seed=3)
    assert snapshot() == fast
