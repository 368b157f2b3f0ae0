"""Edit history: the API's /history/ of every resource, the admin's History
page (field by field, bounded queries) and "revert to this version", and the
review state in the admin (column, filter, bulk actions recorded in history)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from records.models import Election, Organisation, Party, Person, Place, Posting, ReviewStatus, Source
from records.roles import ensure_curator_group
from tests.api import VERSIONS, get_json
from tests.test_admin import form_data

API = "/api/v1"
ENDPOINTS = {
    "persons": Person,
    "postings": Posting,
    "parties": Party,
    "organisations": Organisation,
    "places": Place,
    "elections": Election,
    "sources": Source,
}


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user("ria", email="ria@example.org", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


SEEDS = "000_b84d1872df6a742e, 002_2c5037d3f0a176ad"  # the seed documents, as load_seed_data records them


def kanpur_posting() -> Posting:
    return Posting.objects.get(person__slug="asim-arun", role="Commissioner of Police")


def edit(record, user, reason="", **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user, record._change_reason = user, reason or None
    record.save()


# -- the API ------------------------------------------------------------------


def test_a_postings_history_lists_each_change_newest_first(seeded, client, curator):
    posting = kanpur_posting()
    old_end = posting.end
    edit(posting, curator, "a source gives the month", end="2022-01")
    edit(posting, None, status="reported")

    versions = get_json(client, f"{API}/postings/{posting.pk}/history/")["results"]

    assert [(v["type"], v["user"], v["reason"]) for v in versions] == [
        ("changed", None, None),
        ("changed", "ria", "a source gives the month"),
        ("created", None, f"recorded from {SEEDS}"),  # load_seed_data recorded it
    ]
    assert versions[0]["changes"] == [{"field": "status", "old": "confirmed", "new": "reported"}]
    assert versions[1]["changes"] == [{"field": "end", "old": old_end, "new": "2022-01"}]
    assert {"field": "role", "old": None, "new": "Commissioner of Police"} in versions[2]["changes"]
    assert versions[0]["date"] >= versions[1]["date"]
    assert "ria@example.org" not in str(versions)


def test_history_pages_follow_each_other_and_diff_across_the_page_break(seeded, client, curator):
    posting = kanpur_posting()
    for month in range(1, 8):
        edit(posting, curator, note=f"edit {month}")
    whole = get_json(client, f"{API}/postings/{posting.pk}/history/")["results"]
    paged, url = [], f"{API}/postings/{posting.pk}/history/?page_size=2"
    while url:
        body = get_json(client, url)
        paged += body["results"]
        url = body["next"]
    assert paged == whole
    assert len(whole) == 8
    assert whole[0]["changes"] == [{"field": "note", "old": "edit 6", "new": "edit 7"}]


def test_a_history_costs_the_same_with_one_or_many_versions(seeded, client, curator, django_assert_num_queries):
    posting = kanpur_posting()
    edit(posting, curator, note="first")
    # (the versions: tests.api) 1 the record's id, 2 the page of versions (users joined),
    # 3 the version before the page's oldest
    with django_assert_num_queries(VERSIONS + 3):
        get_json(client, f"{API}/postings/{posting.pk}/history/")
    for i in range(30):
        edit(posting, curator if i % 2 else None, note=f"edit {i}")
    with django_assert_num_queries(VERSIONS + 3):
        body = get_json(client, f"{API}/postings/{posting.pk}/history/", page_size=20)
    assert len(body["results"]) == 20


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_resource_has_a_history_by_id_or_slug(seeded, client, curator, endpoint):
    record = ENDPOINTS[endpoint].objects.order_by("pk").first()
    if endpoint == "sources":
        edit(record, curator, title="A new title")
        field, value = "title", "A new title"
    else:
        edit(record, curator, review_status=ReviewStatus.VERIFIED, verified_by=curator)
        field, value = "review_status", "verified"
    keys = [record.pk] + ([record.slug] if hasattr(record, "slug") else [])
    for key in keys:
        latest = get_json(client, f"{API}/{endpoint}/{key}/history/")["results"][0]
        assert {"field": field, "old": latest["changes"][0]["old"], "new": value} in latest["changes"]
        assert latest["user"] == "ria"


def test_a_deleted_records_history_stays_readable(seeded, client, curator):
    posting = kanpur_posting()
    posting_id = posting.pk
    posting._history_user = curator
    posting.delete()
    get_json(client, f"{API}/postings/{posting_id}/", expect=404)
    versions = get_json(client, f"{API}/postings/{posting_id}/history/")["results"]
    assert [v["type"] for v in versions] == ["deleted", "created"]
    assert versions[0]["user"] == "ria"


def test_a_deleted_records_history_is_found_by_any_slug_it_had(seeded, client):
    place = Place.objects.create(slug="gone-town", name="Gone Town", kind="city")
    place.slug = "gone-city"
    place.save()
    place_id = place.pk
    place.delete()
    for key in (place_id, "gone-city", "gone-town"):
        versions = get_json(client, f"{API}/places/{key}/history/")["results"]
        assert [v["type"] for v in versions] == ["deleted", "changed", "created"]
    get_json(client, f"{API}/places/gone-village/history/", expect=404)


def test_a_record_that_never_existed_has_no_history(seeded, client):
    assert get_json(client, f"{API}/postings/999999/history/", expect=404)["code"] == "not_found"
    assert get_json(client, f"{API}/persons/no-such-person/history/", expect=404)["code"] == "not_found"


def test_the_schema_documents_every_history_with_a_stable_operation_id(db, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = {op["operationId"]: op for path in schema["paths"].values() for op in path.values()}
    for plural in ("persons", "postings", "parties", "organisations", "places", "elections", "sources"):
        operation = operations[f"{plural}_history"]
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert page.endswith("/VersionPage")
        assert "404" in operation["responses"]


# -- the admin's History page ---------------------------------------------------


def history_url(record, *args) -> str:
    return reverse(f"admin:records_{record._meta.model_name}_history", args=[record.pk, *args])


def test_the_admin_history_page_shows_who_changed_what(seeded, curator_client, curator):
    posting = kanpur_posting()
    edit(posting, curator, "a source gives the month", end="2022-01")
    html = curator_client.get(history_url(posting)).content.decode()
    assert "<strong>End:</strong>" in html
    assert "2022-01" in html
    assert "a source gives the month" in html
    assert ">ria<" in html
    assert "Updated at" not in html  # bookkeeping and derived columns are not listed as changes


def test_the_admin_history_numbers_a_records_versions_from_one(seeded, curator_client, curator):
    """Not by row id (which counts every record's versions); no "None" for a missing user or reason."""
    posting = kanpur_posting()
    edit(posting, curator, "first edit", end="2022-01")
    edit(posting, curator, "", end="2022-01-10")
    html = curator_client.get(history_url(posting)).content.decode()
    versions = re.findall(r"version (\d+)\s*</a>", html)
    assert versions == ["3", "2", "1"]  # newest first: two edits on the loaded baseline
    assert ">None<" not in html.replace(" ", "")
    assert "—" in html  # the baseline: loaded, by no one, for no stated reason


# session, user, the posting, the curator's permissions (own and group's),
# the count of its versions, the page of versions (users and related records
# joined, with what their labels read).
POSTING_HISTORY_QUERIES = 7


def test_the_admin_history_page_costs_the_same_with_many_versions(
    seeded, curator_client, curator, django_assert_num_queries
):
    posting = kanpur_posting()
    organisations = list(Organisation.objects.order_by("pk")[:3])
    edit(posting, curator, organisation=organisations[0])
    url = history_url(posting)
    curator_client.get(url)
    with django_assert_num_queries(POSTING_HISTORY_QUERIES):
        assert curator_client.get(url).status_code == 200
    for i in range(30):
        edit(
            posting, curator, organisation=organisations[i % 3], previous=Posting.objects.exclude(pk=posting.pk)[i % 5]
        )
    with django_assert_num_queries(POSTING_HISTORY_QUERIES):
        html = curator_client.get(url).content.decode()
    assert html.count("<strong>Organisation:</strong>") >= 29


def test_reverting_a_posting_restores_its_fuzzy_dates(seeded, curator_client, curator):
    posting = kanpur_posting()
    original = (posting.start, posting.start_earliest, posting.end, posting.end_earliest, posting.end_latest)
    first = posting.history.get()  # recorded by load_seed_data
    assert first.history_change_reason == f"recorded from {SEEDS}"
    edit(posting, curator, start="2020", end="2023-05")
    baseline = Posting.history.filter(id=posting.pk, history_type="+").get()

    url = reverse("admin:records_posting_simple_history", args=[posting.pk, baseline.history_id])
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    assert curator_client.post(url, data).status_code == 302

    posting.refresh_from_db()
    assert (posting.start, posting.start_earliest, posting.end, posting.end_earliest, posting.end_latest) == original
    latest = posting.history.order_by("-history_id").first()
    # The baseline is the posting's first version, whatever its row id among every record's versions.
    assert (latest.history_user, latest.history_change_reason) == (curator, "reverted to version 1")


def test_reverting_a_person_restores_the_name_its_search_uses(seeded, curator_client, curator):
    asim = Person.objects.get(slug="asim-arun")
    edit(asim, curator, name="Asim Kumar Arun Renamed")
    baseline = Person.history.filter(id=asim.pk, history_type="+").get()
    url = reverse("admin:records_person_simple_history", args=[asim.pk, baseline.history_id])
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    assert curator_client.post(url, data).status_code == 302
    asim.refresh_from_db()
    assert (asim.name, asim.search_name) == ("Asim Arun", "asim arun")
    found = curator_client.get(reverse("admin:records_person_changelist"), {"q": "asim arun"})
    assert [p.pk for p in found.context["cl"].result_list] == [asim.pk]


# -- review state in the admin ----------------------------------------------------


def test_every_curated_list_has_a_review_column_and_filter(seeded, curator_client):
    for model in (Person, Posting, Party, Organisation, Place, Election):
        response = curator_client.get(reverse(f"admin:records_{model._meta.model_name}_changelist"))
        changelist = response.context["cl"]
        assert "review_status" in changelist.list_display, model
        assert any(spec.title == "review status" for spec in changelist.filter_specs), model
    sources = curator_client.get(reverse("admin:records_source_changelist")).context["cl"]
    assert "review_status" not in sources.list_display  # documents are not reviewed


def test_the_change_form_shows_who_verified_read_only(seeded, curator_client, curator):
    posting = kanpur_posting()
    url = reverse("admin:records_posting_change", args=[posting.pk])
    response = curator_client.get(url)
    form = response.context["adminform"].form
    assert "review_status" in form.fields
    assert "verified_by" not in form.fields
    assert "verified_at" not in form.fields
    data = form_data(response)
    data["review_status"] = "verified"
    assert curator_client.post(url, data).status_code == 302
    posting.refresh_from_db()
    assert (posting.review_status, posting.verified_by) == ("verified", curator)
    assert posting.verified_at is not None


def test_bulk_actions_mark_verified_and_draft_in_history(seeded, curator_client, curator):
    url = reverse("admin:records_posting_changelist")
    postings = list(Posting.objects.filter(person__slug="asim-arun").order_by("pk")[:3])
    ids = [p.pk for p in postings]
    response = curator_client.post(url, {"action": "mark_verified", "_selected_action": ids}, follow=True)
    assert "3 marked as verified" in response.content.decode()
    for posting in Posting.objects.filter(pk__in=ids):
        assert (posting.review_status, posting.verified_by) == ("verified", curator)
        latest = posting.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason) == (curator, "marked as verified")
    versions = get_json(curator_client, f"{API}/postings/{ids[0]}/history/")["results"]
    assert {"field": "review_status", "old": "draft", "new": "verified"} in versions[0]["changes"]

    curator_client.post(url, {"action": "mark_draft", "_selected_action": ids[:1]})
    draft = Posting.objects.get(pk=ids[0])
    assert (draft.review_status, draft.verified_by, draft.verified_at) == ("draft", None, None)
    assert draft.history.order_by("-history_id").first().history_change_reason == "marked as draft"
    filtered = curator_client.get(url, {"review_status__exact": "verified"}).context["cl"].result_list
    assert {p.pk for p in filtered} == set(ids[1:])
