"""A list keeps the plan of each question it is asked (its filters, order and
point of view: every parameter but the paging ones) while the tables its
answer is read from are unchanged (records/api/resources/base.py, page_plan;
records/api/keyset.py, PagePlan): the next pages and the same page asked
again skip the filters and the compiling, and still answer what a fresh plan
answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from records import remembered
from records.api import history
from records.api.resources import sources
from records.api.resources.base import ReadViewSet
from records.dataversions import Version
from records.models import Citation, Organisation, Person, Place, Posting, Source
from tests.api import get_json

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def force():
    """A police force with a unit, twelve postings (some without a start: the NULL tail)."""
    state = Place.objects.create(slug="plan-state", name="Plan State", kind="state")
    police = Organisation.objects.create(slug="plan-police", name="Plan Police", kind="police", place=state)
    unit = Organisation.objects.create(slug="plan-unit", name="Plan Unit", kind="police", parent=police)
    people = [Person.objects.create(slug=f"plan-person-{i}", name=f"Plan Person {i}") for i in range(4)]
    starts = ["2001", "", "2003-05", "1999", "", "2010", "2001", "2004", "", "2002", "2020-02-02", "1998"]
    for i, start in enumerate(starts):
        Posting.objects.create(
            person=people[i % 4],
            role="inspector" if i % 3 else "superintendent",
            organisation=unit if i % 2 else police,
            start=start,
            status="confirmed" if i % 5 else "expected",
        )
    return police


@pytest.fixture
def builds(monkeypatch):
    """How many times a list's filters ran (a plan made), by list."""
    made: list[str] = []
    original = ReadViewSet.filter_queryset

    def counting(self, queryset):
        if self.action == "list":
            made.append(type(self).__name__)
        return original(self, queryset)

    monkeypatch.setattr(ReadViewSet, "filter_queryset", counting)
    return made


def walk(client, url: str, **params) -> list[dict]:
    """Every page from the first, following `next`."""
    pages = [get_json(client, url, **params)]
    while pages[-1]["next"]:
        pages.append(get_json(client, pages[-1]["next"]))
    return pages


def ids(page: dict) -> list[int]:
    return [row["id"] for row in page["results"]]


def expected_ids(queryset, *, descending: bool = False) -> list[int]:
    """Postings by start, NULLs last, then id: the documented order, worked out in Python."""
    rows = list(queryset.values_list("id", "start_sort"))
    valued = sorted((r for r in rows if r[1] is not None), key=lambda r: (r[1], r[0]), reverse=descending)
    tail = sorted((r for r in rows if r[1] is None), key=lambda r: r[0], reverse=descending)
    return [r[0] for r in [*valued, *tail]]


@pytest.mark.parametrize("ordering", ["start", "-start"])
def test_a_walk_there_and_back_makes_one_plan_and_every_page_is_right(force, client, builds, ordering):
    url = f"{API}/postings/"
    forward = walk(client, url, organisation=force.slug, ordering=ordering, page_size=2)
    assert len(forward) == 6
    subtree = Posting.objects.filter(organisation__in=[force, *force.children.all()])
    assert [i for page in forward for i in ids(page)] == expected_ids(subtree, descending=ordering == "-start")
    backward = [forward[-1]]
    while backward[-1]["previous"]:
        backward.append(get_json(client, backward[-1]["previous"]))
    assert [ids(page) for page in backward] == [ids(page) for page in reversed(forward)]
    assert builds == ["PostingViewSet"]  # every page, both ways, the NULL tail too, from one plan


def test_the_same_page_asked_again_is_the_same_answer(force, client, builds):
    first = get_json(client, f"{API}/postings/", organisation=force.slug, page_size=5, count="true")
    again = get_json(client, f"{API}/postings/", organisation=force.slug, page_size=5, count="true")
    assert again == first
    assert first["count"] == 12
    # The paging parameters are not part of the question: another page size shares the plan.
    bigger = get_json(client, f"{API}/postings/", organisation=force.slug, page_size=7)
    assert ids(bigger)[:5] == ids(first)
    assert builds == ["PostingViewSet"]


def test_a_write_to_a_table_the_answer_is_read_from_makes_a_new_plan(force, client, builds):
    """The organisation filter reads the force's units once, into the page's SQL:
    a kept plan would miss a unit created since."""
    before = ids(get_json(client, f"{API}/postings/", organisation=force.slug, page_size=200))
    assert len(before) == 12
    new_unit = Organisation.objects.create(slug="plan-new-unit", name="Plan New Unit", kind="police", parent=force)
    posting = Posting.objects.create(person=Person.objects.first(), role="constable", organisation=new_unit)
    after = ids(get_json(client, f"{API}/postings/", organisation=force.slug, page_size=200))
    assert after == [*before, posting.pk]  # no start: last
    posting.start = "1900"  # from the NULL tail to the first page
    posting.save()
    assert ids(get_json(client, f"{API}/postings/", organisation=force.slug, page_size=200)) == [posting.pk, *before]
    assert len(builds) == 3


def test_each_question_has_its_own_plan(force, client, builds):
    url = f"{API}/postings/"
    confirmed = ids(get_json(client, url, organisation=force.slug, status="confirmed"))
    both = ids(get_json(client, url, organisation=force.slug, status=["confirmed", "expected"]))
    expected = ids(get_json(client, url, organisation=force.slug, status="expected"))
    assert sorted(confirmed + expected) == sorted(both)
    assert confirmed
    assert expected
    assert len(builds) == 3
    # The order the parameters come in is not part of the question.
    swapped = get_json(client, f"{url}?status=confirmed&organisation={force.slug}")
    assert ids(swapped) == confirmed
    assert len(builds) == 3
    # Nor is it the same question on another list.
    assert get_json(client, f"{API}/persons/", organisation=force.slug)["results"]
    assert builds[-1] == "PersonViewSet"


def test_a_refused_question_is_refused_again(force, client, builds):
    for _ in range(2):
        response = client.get(f"{API}/postings/", {"organisation": "no-such-force"})
        assert response.status_code == 400
        assert "organisation" in response.json()["errors"]
    assert len(builds) == 2  # not kept: each time asked, and refused
    for _ in range(2):  # a page parameter refused with a kept plan: the plan is not the page
        assert client.get(f"{API}/postings/", {"organisation": force.slug, "page_size": "0"}).status_code == 400
    assert client.get(f"{API}/postings/", {"organisation": force.slug}).status_code == 200


def test_a_kept_plan_answers_from_its_point_of_view(force, client):
    """``as_of`` chooses the records and their citations: a page of a kept plan keeps both."""
    posting = Posting.objects.filter(organisation=force).first()
    text = "Plan Police posted an inspector."
    source = Source.objects.create(slug="plan-news", text=text, sha256="e" * 64, published_on=date(2022, 1, 10))
    Citation.objects.create(source=source, record=posting, quote="Plan Police", start=0, end=11)
    answers = {}
    for _ in range(2):
        for day in ("2022-01-09", "2022-01-10"):
            body = get_json(client, f"{API}/postings/", organisation=force.slug, as_of=day)
            answers.setdefault(day, body)
            assert body == answers[day]
    assert ids(answers["2022-01-09"]) == []
    (known,) = answers["2022-01-10"]["results"]
    assert known["id"] == posting.pk
    assert [c["source_slug"] for c in known["citations"]] == ["plan-news"]


def test_a_plan_is_kept_only_with_every_tables_version(seeded):
    made = []

    def make():
        made.append(1)
        return object()

    key = ("a list", "a question")
    assert remembered.plan(key, None, make) is not remembered.plan(key, None, make)
    assert len(made) == 2  # no versions: nothing tells a change, nothing kept
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    versions = {"records_posting": Version("records_posting", 7, moment)}
    kept = remembered.plan(key, versions, make)
    assert remembered.plan(key, versions, make) is kept
    later = {"records_posting": Version("records_posting", 8, moment)}
    assert remembered.plan(key, later, make) is not kept  # a write since
    assert len(made) == 4


@pytest.fixture
def detail_builds(monkeypatch):
    """How many times a detail's query was made (its plan), by viewset."""
    made: list[str] = []
    original = ReadViewSet.get_queryset

    def counting(self):
        if self.action == "retrieve":
            made.append(type(self).__name__)
        return original(self)

    monkeypatch.setattr(ReadViewSet, "get_queryset", counting)
    return made


def test_every_record_of_a_kind_is_read_by_one_plan(force, client, detail_builds):
    """The URL's id or slug is a slot of the detail's SQL: another record, the same plan."""
    people = list(Person.objects.filter(slug__startswith="plan-person-").order_by("pk"))
    for person in people:
        by_slug = get_json(client, f"{API}/persons/{person.slug}/")
        by_id = get_json(client, f"{API}/persons/{person.pk}/")
        assert by_slug == by_id
        assert (by_slug["id"], by_slug["name"]) == (person.pk, person.name)
    assert detail_builds == ["PersonViewSet", "PersonViewSet"]  # one by slug, one by id
    assert client.get(f"{API}/persons/no-such-person/").status_code == 404
    assert client.get(f"{API}/postings/{Posting.objects.first().pk}/").status_code == 200
    assert detail_builds[-1] == "PostingViewSet"
    assert client.get(f"{API}/postings/not-an-id/").status_code == 404  # postings have no slugs: no query at all
    assert len(detail_builds) == 3


def test_a_detail_plan_keeps_its_point_of_view(force, client):
    posting = Posting.objects.filter(organisation=force).first()
    text = "Plan Police posted an inspector."
    source = Source.objects.create(slug="plan-news", text=text, sha256="e" * 64, published_on=date(2022, 1, 10))
    Citation.objects.create(source=source, record=posting, quote="Plan Police", start=0, end=11)
    url = f"{API}/postings/{posting.pk}/"
    for _ in range(2):
        assert client.get(url, {"as_of": "2022-01-09"}).status_code == 404
        known = get_json(client, url, as_of="2022-01-10")
        assert [c["source_slug"] for c in known["citations"]] == ["plan-news"]
        assert get_json(client, url) == known  # everything known today: that source too


def test_every_records_history_is_read_by_one_plan(force, client, monkeypatch):
    """A record's id is a slot of its history's SQL: two people's versions, page by page, one plan."""
    made = []
    original = history.history_plan
    monkeypatch.setattr(history, "history_plan", lambda model: made.append(model) or original(model))
    people = list(Person.objects.filter(slug__startswith="plan-person-").order_by("pk")[:2])
    for round_ in range(3):
        for person in people:
            person.name = f"{person.name} {round_}"
            person.save()
    for person in people:
        expected = list(person.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True))
        assert len(expected) == 4
        pages = walk(client, f"{API}/persons/{person.slug}/history/", page_size=1)
        assert [i for page in pages for i in [v["history_id"] for v in page["results"]]] == expected
        renamed = [change for page in pages[:3] for change in page["results"][0]["changes"]]
        assert [change["field"] for change in renamed] == ["name", "name", "name"]
    assert made == [Person]


RECORDS = [
    "persons", "postings", "parties", "organisations", "places", "elections", "constituencies", "contests",
    "sources", "events", "candidacies", "disputes", "claim-links", "possible-matches", "person-merges",
]  # fmt: skip


@pytest.mark.parametrize("path", RECORDS)
@pytest.mark.parametrize("key", [str(2**63 - 1), str(2**63), "9" * 30])
def test_an_id_past_what_a_column_holds_names_no_record(seeded, client, path, key):
    """A slot's value goes to the database as given: an id no column can hold
    is refused before it (a 404), as a literal filter's is."""
    assert client.get(f"{API}/{path}/{key}/").status_code == 404
    assert client.get(f"{API}/{path}/{key}/history/").status_code == 404  # lists without histories too


def test_a_sources_claims_are_paged_by_one_plan_until_its_citations_change(force, client, monkeypatch):
    """The claims of a source: its lookup and SQL are made once for every page
    while sources and citations are unchanged; a new citation makes a new plan."""
    lookups = []
    original = sources.get_object_or_404
    monkeypatch.setattr(sources, "get_object_or_404", lambda *args: lookups.append(args) or original(*args))
    text = "Plan Police posted an inspector and a superintendent, then a constable."
    source = Source.objects.create(slug="plan-claims", text=text, sha256="f" * 64)
    cited = list(Posting.objects.filter(organisation=force).order_by("pk")[:5])
    for i, posting in enumerate(cited):
        Citation.objects.create(source=source, record=posting, quote=text[i : i + 4], start=i, end=i + 4)

    def claimed() -> list[int]:
        pages = walk(client, f"{API}/sources/{source.slug}/claims/", page_size=2)
        return [claim["record_id"] for page in pages for claim in page["results"]]

    assert claimed() == [p.pk for p in cited]
    assert claimed() == [p.pk for p in cited]
    assert len(lookups) == 1  # three pages, twice: one plan
    late = Posting.objects.filter(organisation=force).order_by("-pk").first()
    Citation.objects.create(source=source, record=late, quote=text[:3], start=0, end=3)
    assert claimed() == [cited[0].pk, late.pk, *[p.pk for p in cited[1:]]]  # in the text's order
    assert len(lookups) == 2
    assert client.get(f"{API}/sources/no-such-source/claims/").status_code == 404


def test_a_worker_set_to_keep_no_plans_makes_one_each_time(force, client, builds, settings):
    settings.KEPT_PLANS = 0  # DJANGO_KEPT_PLANS=0
    for _ in range(3):
        assert ids(get_json(client, f"{API}/postings/", organisation=force.slug, page_size=200))
    assert builds == ["PostingViewSet"] * 3
