"""Merging duplicate people and undoing it: the service keeps every posting,
alias and citation, history shows both, the removed id answers 301, the
undo puts the database back exactly; the API and the admin call the service."""

from __future__ import annotations

import datetime
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from records.curation.merge import MergeError, merge_people, undo_merge
from records.models import (
    Candidacy,
    Citation,
    Election,
    Event,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
    PersonRelation,
    Posting,
    Source,
)
from records.roles import ensure_curator_group
from tests.api import get_json
from tests.conftest import dump_records

API = "/api/v1"


def records_without_history() -> list[dict]:
    """dump_records() minus what a merge and its undo may leave behind: history rows and the merge itself."""
    return [
        row
        for row in json.loads(dump_records())
        if not row["model"].startswith("records.historical") and row["model"] != "records.personmerge"
    ]


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user("ria", email="ria@example.org", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    return user


def cite(record, n=1):
    source = Source.objects.order_by("pk").first()
    return [
        Citation.objects.create(source=source, record=record, quote=source.text[i : i + 9], start=i, end=i + 9)
        for i in range(n)
    ]


@pytest.fixture
def duplicate(seeded):
    """A second record of Asim Arun, holding one of every kind of row, some of
    them duplicates of what Asim's record already has."""
    asim = Person.objects.get(slug="asim-arun")
    father = Person.objects.get(slug="arun-ram")
    dup = Person.objects.create(slug="a-k-arun", name="A. K. Arun", gender="male")
    cite(dup, 2)
    cite(PersonAlias.objects.create(person=dup, name="Asim Kumar Arun", kind="full_name"))  # Asim has it: dropped
    cite(PersonAlias.objects.create(person=dup, name="AK Arun", kind="short_name"))  # moves
    cite(Posting.objects.create(person=dup, role="Superintendent of Police", start="2005"), 2)
    cite(PersonIdentifier.objects.create(person=dup, scheme="wikidata", value="Q-test"))
    cite(PersonRelation.objects.create(subject=father, object=dup, kind="parent"))  # Asim has it: dropped
    cite(PersonRelation.objects.create(subject=dup, object=asim, kind="sibling"))  # would be a self-relation
    cite(Candidacy.objects.create(person=dup, election=Election.objects.get(slug="up-2022")))
    cite(Event.objects.create(person=dup, kind="other", title="Spoke at a rally"))
    cite(Posting.objects.create(person=father, role="Personal security officer", serves=dup))  # moves to Asim
    Event.objects.get(key="meeting-brij-lal").participants.add(dup)  # Asim is not a participant
    Event.objects.get(key="retirement-applied").participants.add(
        dup, asim
    )  # both already: the duplicate's seat is dropped
    return dup


def holdings(person_id: int) -> dict[str, int]:
    return {
        "postings": Posting.objects.filter(person_id=person_id).count(),
        "aliases": PersonAlias.objects.filter(person_id=person_id).count(),
        "identifiers": PersonIdentifier.objects.filter(person_id=person_id).count(),
        "candidacies": Candidacy.objects.filter(person_id=person_id).count(),
        "events": Event.objects.filter(person_id=person_id).count(),
        "participations": Event.objects.filter(participants=person_id).count(),
        "served": Posting.objects.filter(serves_id=person_id).count(),
        "relations": PersonRelation.objects.filter(subject_id=person_id).count()
        + PersonRelation.objects.filter(object_id=person_id).count(),
    }


# -- the service ------------------------------------------------------------------


def test_a_merge_moves_everything_and_an_undo_puts_the_database_back(duplicate, curator):
    asim = Person.objects.get(slug="asim-arun")
    before = records_without_history()
    asim_had, dup_had = holdings(asim.pk), holdings(duplicate.pk)
    citations_before = set(Citation.objects.values_list("pk", flat=True))
    self_relation = PersonRelation.objects.get(subject=duplicate, object=asim)
    self_relation_citations = set(self_relation.citations.values_list("pk", flat=True))

    merge = merge_people(asim, duplicate, curator, note="same officer")

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert holdings(asim.pk) == {
        "postings": asim_had["postings"] + dup_had["postings"],
        # "AK Arun" moved, "Asim Kumar Arun" was a duplicate, "A. K. Arun" (the removed name) is new
        "aliases": asim_had["aliases"] + 2,
        "identifiers": asim_had["identifiers"] + 1,
        "candidacies": asim_had["candidacies"] + 1,
        "events": asim_had["events"] + 1,
        "participations": asim_had["participations"] + 1,
        "served": asim_had["served"] + 1,
        # the father relation was a duplicate; the sibling one (counted in Asim's before) would relate
        # Asim to himself, so it goes
        "relations": asim_had["relations"] - 1,
    }
    assert sorted(asim.aliases.values_list("name", flat=True)) == ["A. K. Arun", "AK Arun", "Asim Kumar Arun"]
    # Every citation survives, the dropped duplicates' on their twins, except those of the self-relation.
    assert set(Citation.objects.values_list("pk", flat=True)) == citations_before - self_relation_citations
    assert merge.snapshot["moved"]["citations"]  # the person's own citations moved to Asim

    undo_merge(merge, curator)

    assert records_without_history() == before
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undone_at is not None) == (curator, True)


@pytest.mark.parametrize("microsecond", [500, 123456])
def test_an_undo_restores_the_dropped_rows_timestamps_to_the_microsecond(duplicate, curator, microsecond):
    """The dropped rows come back from the merge's snapshot; their times must
    not lose microseconds (a time in a second's first millisecond once came
    back as another value)."""
    asim = Person.objects.get(slug="asim-arun")
    stamp = datetime.datetime(2021, 3, 4, 5, 6, 7, microsecond, tzinfo=datetime.UTC)
    dropped = PersonRelation.objects.filter(Q(subject=duplicate) | Q(object=duplicate))
    assert dropped.update(created_at=stamp, updated_at=stamp) == 2
    Person.objects.filter(pk=duplicate.pk).update(created_at=stamp, updated_at=stamp)
    relations_before = list(dropped.order_by("pk").values())
    person_before = Person.objects.filter(pk=duplicate.pk).values().get()

    undo_merge(merge_people(asim, duplicate, curator), curator)

    relation_ids = [row["id"] for row in relations_before]
    assert list(PersonRelation.objects.filter(pk__in=relation_ids).order_by("pk").values()) == relations_before
    assert Person.objects.filter(pk=duplicate.pk).values().get() == person_before


def test_history_shows_the_merge_and_the_undo_with_who_and_why(duplicate, curator):
    asim = Person.objects.get(slug="asim-arun")
    posting = Posting.objects.get(person=duplicate)
    merge = merge_people(asim, duplicate, curator)
    moved = posting.history.order_by("-history_id").first()
    assert (moved.person_id, moved.history_user, moved.history_change_reason) == (
        asim.pk,
        curator,
        f"merged #{duplicate.pk} into #{asim.pk}",
    )
    removed = Person.history.filter(id=duplicate.pk).order_by("-history_id").first()
    assert (removed.history_type, removed.history_user) == ("-", curator)

    undo_merge(merge, curator)
    back = posting.history.order_by("-history_id").first()
    assert (back.person_id, back.history_user) == (duplicate.pk, curator)
    assert back.history_change_reason == f"undid merge #{merge.pk} (#{duplicate.pk} into #{asim.pk})"
    assert Person.history.filter(id=duplicate.pk).order_by("-history_id").first().history_type == "+"


def test_refusals_say_why(duplicate, curator):
    asim = Person.objects.get(slug="asim-arun")
    with pytest.raises(MergeError, match="into themselves"):
        merge_people(asim, asim, curator)
    with pytest.raises(MergeError, match="no person #999999"):
        merge_people(asim, 999999, curator)
    merge = merge_people(asim, duplicate, curator)
    with pytest.raises(MergeError, match=f"already merged into #{asim.pk}"):
        merge_people(asim, duplicate.pk, curator)
    undo_merge(merge, curator)
    with pytest.raises(MergeError, match="already undone"):
        undo_merge(merge, curator)


def test_an_undo_that_would_collide_with_a_newer_record_is_refused_and_changes_nothing(duplicate, curator, client):
    """The merge frees the removed person's slug; a curator may give it to a
    new person. Undoing then must say what is in the way, not crash."""
    asim = Person.objects.get(slug="asim-arun")
    merge = merge_people(asim, duplicate, curator)
    Person.objects.create(slug="a-k-arun", name="Another A. K. Arun")
    before = dump_records()
    with pytest.raises(MergeError, match=r"'a-k-arun'.*given to another person"):
        undo_merge(merge, curator)
    response = client.post(f"{API}/person-merges/{merge.pk}/undo/", **token_header(curator))
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert dump_records() == before


def test_deleting_a_person_other_records_were_merged_into_is_a_409(duplicate, client, curator):
    """The merge keeps the redirect and the undo; deleting the kept person would lose both."""
    asim = Person.objects.get(slug="asim-arun")
    merge_people(asim, duplicate, curator)
    before = dump_records()
    response = client.delete(f"{API}/persons/{asim.pk}/", HTTP_IF_MATCH="*", **token_header(curator))
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert "person merge" in response.json()["detail"]
    assert dump_records() == before


@pytest.mark.parametrize("remove", [10**30, 2**63, -1, 0])
def test_a_merge_naming_an_impossible_id_is_a_400(seeded, client, curator, remove):
    url = f"{API}/persons/{Person.objects.get(slug='asim-arun').pk}/merge/"
    response = client.post(url, {"remove": remove}, content_type="application/json", **token_header(curator))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["remove"]


def test_merges_chain_and_undo_latest_first(duplicate, curator, client):
    asim = Person.objects.get(slug="asim-arun")
    third = Person.objects.create(slug="asim-arun-ips", name="Asim Arun IPS")
    Posting.objects.create(person=duplicate, role="chain check")
    before = records_without_history()
    first = merge_people(duplicate, third, curator)  # third -> duplicate
    second = merge_people(asim, duplicate, curator)  # duplicate (holding third's rows) -> asim
    # The first merge's redirect now ends at Asim.
    response = client.get(f"{API}/persons/{third.pk}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/persons/{asim.pk}/")

    with pytest.raises(MergeError, match=f"later merge\\(s\\) #{second.pk}"):
        undo_merge(first, curator)
    undo_merge(second, curator)
    undo_merge(first, curator)
    assert records_without_history() == before


def test_people_who_stood_in_the_same_contest_are_not_merged(seeded, curator):
    from tests.conftest import import_2017_results

    import_2017_results()
    a, b = Candidacy.objects.filter(contest__isnull=False).order_by("contest_id", "pk")[:2]
    assert a.contest_id == b.contest_id
    with pytest.raises(MergeError, match=f"Both people stood in contest #{a.contest_id}"):
        merge_people(a.person, b.person, curator)


# -- the API ----------------------------------------------------------------------


def token_header(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def test_merging_through_the_api_needs_a_curator(duplicate, client, curator):
    asim = Person.objects.get(slug="asim-arun")
    url = f"{API}/persons/{asim.pk}/merge/"
    body = {"remove": duplicate.pk, "note": "same officer"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    visitor = get_user_model().objects.create_user("visitor")
    assert client.post(url, body, content_type="application/json", **token_header(visitor)).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()

    response = client.post(url, body, content_type="application/json", **token_header(curator))

    assert response.status_code == 200, response.content
    result = response.json()
    assert result["person"]["id"] == asim.pk
    assert "AK Arun" in [alias["name"] for alias in result["person"]["aliases"]]
    assert result["merge"]["removed_id"] == duplicate.pk
    assert result["merge"]["merged_by"] == "ria"
    assert result["merge"]["note"] == "same officer"


def test_a_removed_person_answers_301_until_the_merge_is_undone(duplicate, client, curator):
    asim = Person.objects.get(slug="asim-arun")
    merge = merge_people(asim, duplicate, curator)
    for key in (duplicate.pk, duplicate.slug):
        response = client.get(f"{API}/persons/{key}/")
        assert response.status_code == 301
        assert response["Location"] == f"http://testserver/api/v1/persons/{asim.pk}/"
        assert response.json() == {
            "status": 301,
            "code": "merged",
            "detail": f"Person {key} was merged into #{asim.pk} (Asim Arun).",
            "location": f"http://testserver/api/v1/persons/{asim.pk}/",
        }
        # What the schema documents for it.
        schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
        documented = schema["paths"]["/api/v1/persons/{id}/"]["get"]["responses"]["301"]
        name = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert sorted(schema["components"]["schemas"][name]["required"]) == sorted(response.json())
    # Its history is still readable, ending with the deletion.
    assert get_json(client, f"{API}/persons/{duplicate.pk}/history/")["results"][0]["type"] == "deleted"
    merges = get_json(client, f"{API}/person-merges/")["results"]
    assert [(m["id"], m["active"]) for m in merges] == [(merge.pk, True)]

    url = f"{API}/person-merges/{merge.pk}/undo/"
    assert client.post(url).status_code == 401
    response = client.post(url, **token_header(curator))
    assert response.status_code == 200
    assert (response.json()["active"], response.json()["undone_by"]) == (False, "ria")
    assert get_json(client, f"{API}/persons/{duplicate.pk}/")["name"] == "A. K. Arun"
    assert client.post(url, **token_header(curator)).json()["code"] == "conflict"


def test_a_slug_given_again_answers_for_its_new_person_not_the_merge(duplicate, client, curator):
    """A merge frees the removed person's slug. Once another person holds it,
    that person's 404 (as of a day before any source tells of them) is a 404,
    not a 301 to the record the old holder was merged into."""
    asim = Person.objects.get(slug="asim-arun")
    merge_people(asim, duplicate, curator)
    assert client.get(f"{API}/persons/a-k-arun/?as_of=2000-01-01").status_code == 301
    newcomer = Person.objects.create(slug="a-k-arun", name="Another A. K. Arun")
    assert client.get(f"{API}/persons/a-k-arun/").json()["id"] == newcomer.pk
    response = client.get(f"{API}/persons/a-k-arun/?as_of=2000-01-01")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    # The removed id still leads to the kept person: ids are never given again.
    assert client.get(f"{API}/persons/{duplicate.pk}/").status_code == 301


def test_a_person_404_looks_its_slug_up_among_merges_in_one_query(duplicate, client, curator):
    merge_people(Person.objects.get(slug="asim-arun"), duplicate, curator)
    client.get(f"{API}/persons/nobody-of-that-name/")  # the throttle's first count and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/persons/nobody-of-that-name/")
    assert response.status_code == 404
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "records_personmerge"' in q["sql"]]
    assert len(reads) == 1
    assert '"removed_slug" =' in reads[0]
    assert "snapshot" not in reads[0]


def test_merges_made_before_the_slug_column_get_it_from_their_snapshot(duplicate, curator):
    merge = merge_people(Person.objects.get(slug="asim-arun"), duplicate, curator)
    PersonMerge.objects.filter(pk=merge.pk).update(removed_slug="")
    import_module("records.migrations.0034_personmerge_removed_slug").removed_slugs(apps, None)
    assert PersonMerge.objects.get(pk=merge.pk).removed_slug == "a-k-arun"


def test_the_merges_list_reads_each_page_in_one_query(duplicate, client, curator):
    """The merges page reads the columns it shows, the kept person and the
    curators' names joined: no query per merge (a deferred column would make one)."""
    asim = Person.objects.get(slug="asim-arun")
    merge = merge_people(asim, duplicate, curator, note="the same officer")
    undo_merge(merge, curator)
    merge_people(asim, Person.objects.get(pk=duplicate.pk), curator)
    with CaptureQueriesContext(connection) as captured:
        merges = get_json(client, f"{API}/person-merges/")["results"]
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len([sql for sql in reads if '"records_personmerge"' in sql]) == 1
    assert not [sql for sql in reads if '"records_personmerge"' not in sql and "data_version" not in sql]
    latest, undone = merges
    assert (latest["active"], latest["merged_by"], latest["undone_by"]) == (True, "ria", None)
    assert (undone["active"], undone["undone_by"], undone["note"]) == (False, "ria", "the same officer")
    assert undone["kept"] == {"id": asim.pk, "slug": asim.slug, "name": asim.name}
    assert undone["removed_id"] == duplicate.pk
    assert undone["removed_name"] == duplicate.name
    assert undone["undone_at"] is not None


def test_refused_merges_are_409_with_the_reason(seeded, client, curator):
    asim = Person.objects.get(slug="asim-arun")
    url = f"{API}/persons/{asim.pk}/merge/"
    response = client.post(url, {"remove": asim.pk}, content_type="application/json", **token_header(curator))
    assert response.status_code == 409
    assert response.json()["detail"] == "A person cannot be merged into themselves."
    response = client.post(url, {"remove": "x"}, content_type="application/json", **token_header(curator))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["remove"]


# -- the admin ----------------------------------------------------------------------


def test_the_admin_merges_two_selected_people_after_confirmation(duplicate, client, curator):
    client.force_login(curator)
    asim = Person.objects.get(slug="asim-arun")
    url = reverse("admin:records_person_changelist")
    selected = {"action": "merge_selected_people", "_selected_action": [asim.pk, duplicate.pk]}

    page = client.post(url, selected)
    assert page.status_code == 200
    assert "Why are they one person?" in page.content.decode()
    assert Person.objects.filter(pk=duplicate.pk).exists()  # nothing happens before confirming

    done = client.post(url, {**selected, "confirm": "yes", "keep": asim.pk, "note": "same officer"})
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:records_person_change", args=[asim.pk])
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.removed_id, merge.note, merge.merged_by) == (asim, duplicate.pk, "same officer", curator)

    one = client.post(url, {"action": "merge_selected_people", "_selected_action": [asim.pk]}, follow=True)
    assert "Select exactly two people" in one.content.decode()


def test_the_admin_undoes_a_merge_from_its_page(duplicate, client, curator):
    client.force_login(curator)
    before = records_without_history()
    merge = merge_people(Person.objects.get(slug="asim-arun"), duplicate, curator)
    change = client.get(reverse("admin:records_personmerge_change", args=[merge.pk])).content.decode()
    undo_url = reverse("admin:records_personmerge_undo", args=[merge.pk])
    assert f'href="{undo_url}"' in change
    assert "Undo merge" in client.get(undo_url).content.decode()
    assert client.post(undo_url).status_code == 302
    assert records_without_history() == before
    visitor = get_user_model().objects.create_user("visitor", is_staff=True)
    client.force_login(visitor)
    assert client.post(undo_url).status_code == 403


def test_the_merges_list_and_detail_answer_like_every_other_read(duplicate, client, curator):
    """Same JSON in the list, the detail and a merge's own answer; an unknown
    parameter is a 400 naming it; an unchanged list is a 304 until an undo."""
    asim = Person.objects.get(slug="asim-arun")
    url = f"{API}/persons/{asim.pk}/merge/"
    body = {"remove": duplicate.pk, "note": "one officer"}
    answer = client.post(url, body, content_type="application/json", **token_header(curator)).json()["merge"]
    assert get_json(client, f"{API}/person-merges/{answer['id']}/") == answer
    assert get_json(client, f"{API}/person-merges/")["results"] == [answer]

    refused = client.get(f"{API}/person-merges/", {"kept": asim.pk})
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["kept"])
    for missing in (answer["id"] + 1, "abc", 10**30):
        assert client.get(f"{API}/person-merges/{missing}/").status_code == 404

    first = client.get(f"{API}/person-merges/")
    assert client.get(f"{API}/person-merges/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    undone = client.post(f"{API}/person-merges/{answer['id']}/undo/", **token_header(curator)).json()
    assert (undone["active"], undone["undone_by"]) == (False, "ria")
    after = client.get(f"{API}/person-merges/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after.json()["results"] == [undone]
