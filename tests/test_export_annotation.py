"""A source's annotation exported from the database (records/seedbuilder/export/)
records, with the source's text, the same records and citations again."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction

from records.ingest import ingest
from records.models import Citation, ClaimLink, Posting, Source
from records.seedbuilder.export import ExportFailed, export_annotation

MATERIAL = Path(__file__).parent / "material"
SEEDS = sorted(settings.SEEDS_DIR.glob("*.txt"))
# The story as it is recorded: the seeds together (they refer to each other), then each later report.
BATCHES = [
    SEEDS,
    *[[MATERIAL / f"{name}.txt"] for name in ("003_story_joined", "004_story_fielded", "005_story_gorakhpur")],
]
DOCUMENTS = [path.stem for batch in BATCHES for path in batch]


def record_story(tmp_path: Path, annotations: dict[str, str] | None = None) -> None:
    """Every document of BATCHES, each with its own annotation or the one given for it."""
    for batch in BATCHES:
        pairs = []
        for text in batch:
            annotation = text.with_suffix(".yaml")
            if annotations and text.stem in annotations:
                annotation = tmp_path / f"{text.stem}.yaml"
                annotation.write_text(annotations[text.stem], encoding="utf-8")
            pairs.append((text, annotation))
        ingest(pairs, folder="seeds" if batch is SEEDS else "material")


def records_by_content() -> dict[str, list[dict]]:
    """Every row of the records app (history aside) without its ids and timestamps:
    a reference is the rank of the row it names in its table, so two databases
    compare equal when they hold the same records made in the same order."""
    tables = [
        model
        for model in apps.get_app_config("records").get_models()
        if not model._meta.proxy and not model.__name__.startswith("Historical")
    ]
    ranks = {
        model: {pk: n for n, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True))}
        for model in tables
    }

    def rank(model, pk):
        return None if pk is None else ranks[model._meta.concrete_model][pk]

    def content_rank(type_id, pk):
        model = ContentType.objects.get_for_id(type_id).model_class()
        return [model.__name__, rank(model, pk)]

    dump = {}
    for model in tables:
        rows = []
        for row in model._base_manager.order_by("pk"):
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue
                value = field.value_from_object(row)
                if field.is_relation and field.related_model._meta.concrete_model in ranks:
                    value = rank(field.related_model, value)
                values[field.name] = value if isinstance(value, int | str | bool | list | dict | None) else str(value)
            if model is Citation:
                values["object_id"] = content_rank(row.content_type_id, row.object_id)
            if model is ClaimLink:
                values["claim_id"] = content_rank(row.claim_type_id, row.claim_id)
                values["target_id"] = content_rank(row.target_type_id, row.target_id)
            for field in model._meta.many_to_many:
                others = field.value_from_object(row)
                values[field.name] = sorted(rank(field.related_model, other.pk) for other in others)
            rows.append(values)
        dump[model.__name__] = rows
    return dump


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker, tmp_path_factory):
    """The story recorded from the documents' own annotations: its records, and each document's export."""
    with django_db_blocker.unblock(), transaction.atomic():
        record_story(tmp_path_factory.mktemp("annotations"))
        exports = {source.slug: export_annotation(source) for source in Source.objects.filter(slug__in=DOCUMENTS)}
        recorded = records_by_content()
        transaction.set_rollback(True)  # each test records the story again, on an empty database
    return recorded, exports


@pytest.mark.parametrize("document", DOCUMENTS)
def test_recording_a_documents_export_gives_the_same_records_and_citations(story, db, tmp_path, document):
    recorded, exports = story
    record_story(tmp_path, {document: exports[document]})
    again = records_by_content()
    for table, rows in recorded.items():
        assert again[table] == rows, table


def test_the_command_writes_the_document_and_its_annotation_ready_to_record(db, tmp_path):
    record_story(tmp_path)
    joined = Source.objects.get(slug="003_story_joined")
    call_command("export_annotation", "003_story_joined", directory=tmp_path / "out", verbosity=0)
    assert (tmp_path / "out" / "003_story_joined.txt").read_bytes() == joined.text.encode("utf-8")
    annotation = yaml.safe_load((tmp_path / "out" / "003_story_joined.yaml").read_text(encoding="utf-8"))
    assert annotation["source"]["sha256"] == joined.sha256
    [posting] = annotation["postings"]
    assert (posting["key"], posting["start"], posting["status"]) == ("bjp-member-joined", "on Sunday", "confirmed")
    assert posting["links"] == [
        {
            "kind": "fulfils",
            "claim": "posting:bjp-member",
            # The link took the claim's quote, with the words its date was read from.
            "cite": [
                {
                    "quote": "Asim Arun joined the Bharatiya Janata Party (BJP) on Sunday",
                    "field": "start",
                    "said": "on Sunday",
                }
            ],
        }
    ]
    with pytest.raises(CommandError, match="No source 'nothing-like-it'"):
        call_command("export_annotation", "nothing-like-it")


def test_a_record_the_source_does_not_quote_is_named_and_nothing_is_written(db, tmp_path):
    ingest([(text, text.with_suffix(".yaml")) for text in SEEDS], folder="seeds")
    later = Source.objects.get(slug="002_2c5037d3f0a176ad")
    posting = Posting.objects.get(person__slug="asim-arun", key="spg-sp")  # in the SPG, which 002 never names
    quote = "Asim Arun"
    start = later.text.index(quote)
    Citation.objects.create(source=later, record=posting, quote=quote, start=start, end=start + len(quote))
    with pytest.raises(ExportFailed) as failed:
        export_annotation(later)
    assert failed.value.problems == [
        "posting spg-sp refers to organisation 'spg', which this source has no quote for: cite it from this "
        "source, or the annotation cannot name it"
    ]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("export_annotation", later.slug, directory=tmp_path / "out")
    assert not (tmp_path / "out").exists()
