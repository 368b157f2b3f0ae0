"""The fast read path (records/api/fast/) gives exactly the JSON of the
serializer path it replaces, on the seed data with the 2017 results and on a
small synthetic corpus: every person and election detail, and list pages
(filtered, ordered, paged) of people and postings. That the JSON matches the
schema is checked by tests/test_api_schema.py, which reads the same endpoints."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import override_settings

from records.corpus import CorpusSize, generate_corpus
from records.models import Election, Organisation, Person, PersonAlias, Posting
from tests.api import get_json

API = "/api/v1"


def both_paths(client, url: str, **params) -> tuple[dict, dict]:
    fast = get_json(client, url, **params)
    with override_settings(RECORDS_FAST_READS=False):
        slow = get_json(client, url, **params)
    return fast, slow


def assert_same_pages(client, url: str, **params) -> int:
    """Follows `next` on both paths; returns how many rows were compared."""
    fast, slow = both_paths(client, url, **params)
    seen = 0
    while True:
        assert fast == slow
        seen += len(fast["results"])
        if not fast["next"]:
            return seen
        fast, slow = both_paths(client, fast["next"])


def list_cases() -> list[tuple[str, dict]]:
    police = Organisation.objects.filter(kind="police", parent__isnull=True).order_by("pk").first()
    held = (  # a day some posting in that force was certainly held
        Posting.objects.filter(organisation__path__startswith=police.path, end_earliest__gte=F("start_latest"))
        .order_by("pk")
        .first()
    )
    day = held.start_latest.isoformat()
    alias = PersonAlias.objects.order_by("pk").first()
    return [
        ("persons", {"page_size": 37}),
        ("persons", {"ordering": "-birth_date", "page_size": 50}),
        ("persons", {"q": alias.name[:6]}),
        ("persons", {"organisation": police.slug, "active_on": day}),
        ("postings", {"page_size": 200, "count": "true"}),
        ("postings", {"organisation": police.slug, "active_on": day, "date_match": "possibly"}),
        ("postings", {"ordering": "-end", "status": ["reported", "expected"]}),
    ]


def assert_fast_path_matches(client) -> None:
    # Every curated person (the imported candidates of 2017 are thousands: a sample of them).
    curated = Person.objects.filter(imported_from__isnull=True).values_list("pk", flat=True)
    imported = Person.objects.filter(imported_from__isnull=False).order_by("pk").values_list("pk", flat=True)
    for pk in [*curated, *imported[:: max(1, len(imported) // 25)]]:
        fast, slow = both_paths(client, f"{API}/persons/{pk}/")
        assert fast == slow, pk
    for slug in Election.objects.values_list("slug", flat=True):
        fast, slow = both_paths(client, f"{API}/elections/{slug}/")
        assert fast == slow, slug
    for endpoint, params in list_cases():
        assert assert_same_pages(client, f"{API}/{endpoint}/", **params) > 0, (endpoint, params)


def test_the_fast_path_gives_the_serializers_json_on_the_seeds_and_2017_results(client, results_2017):
    assert_fast_path_matches(client)


@pytest.mark.django_db
def test_the_fast_path_gives_the_serializers_json_on_a_synthetic_corpus(client):
    generate_corpus(CorpusSize(people=150, postings=900), seed=3)
    assert_fast_path_matches(client)


@pytest.mark.django_db
def test_unknown_records_are_404_on_the_fast_path(client):
    generate_corpus(CorpusSize(people=5, postings=5), seed=1)
    get_json(client, f"{API}/persons/999999/", expect=404)
    get_json(client, f"{API}/persons/no-such-person/", expect=404)
    get_json(client, f"{API}/elections/no-such-election/", expect=404)
