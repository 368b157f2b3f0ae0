"""/api/v1/possible-matches/: the questions an import raised, with their
evidence, filtered by status and person; a curator accepts (the person merge)
or rejects; bad input is a 4xx with a clear message and writes nothing; each
read costs a fixed number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from records.curation.merge import merge_people, undo_merge
from records.models import Person, PersonMerge, PossibleMatch, Source
from records.roles import ensure_curator_group
from tests.api import VERSIONS, get_json
from tests.conftest import dump_records

API = "/api/v1"
EVIDENCE = [
    {"name": "spelling variant", "weight": 3.0, "detail": "Anil Doharey ~ Anil Dohare"},
    {"name": "same constituency", "weight": 3.0, "detail": "stood in Kannauj (2017)"},
]


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user("ria", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    return user


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def post(client, url: str, user=None, **body):
    return client.post(url, body, content_type="application/json", **(auth(user) if user else {}))


@pytest.fixture
def matches(seeded):
    """Three questions about Anil Dohare's records: two open, one rejected."""
    source = Source.objects.order_by("pk").first()
    known = Person.objects.create(slug="anil-dohare", name="Anil Dohare")
    new = [Person.objects.create(slug=f"anil-doharey-{i}", name="Anil Doharey") for i in range(3)]
    made = [
        PossibleMatch.objects.create(incoming=person, existing=known, score=6.0, evidence=EVIDENCE, source=source)
        for person in new
    ]
    made[2].status, made[2].decided_at, made[2].note = "rejected", timezone.now(), "brothers"
    made[2].save()
    return known, new, made


def test_the_list_shows_each_question_with_its_people_evidence_and_decision(matches, client):
    known, new, made = matches
    body = get_json(client, f"{API}/possible-matches/")
    assert [row["id"] for row in body["results"]] == [m.pk for m in reversed(made)]  # newest first
    first = body["results"][-1]
    assert first["incoming"] == {"id": new[0].pk, "slug": new[0].slug, "name": "Anil Doharey"}
    assert first["existing"]["id"] == known.pk
    assert first["evidence"] == EVIDENCE
    assert (first["score"], first["status"], first["decided_by"], first["merge"], first["merge_undone"]) == (
        6.0,
        "open",
        None,
        None,
        False,
    )
    assert get_json(client, f"{API}/possible-matches/{made[0].pk}/") == first


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, [1, 0]),
        ({"status": "rejected"}, [2]),
        ({"person": "anil-doharey-1"}, [1]),
        ({"person": "anil-dohare"}, [2, 1, 0]),  # either side
        ({"person_id": "{known}", "status": "open"}, [1, 0]),
    ],
)
def test_filters_by_status_and_by_either_person(matches, client, params, expected):
    known, _, made = matches
    params = {k: v.format(known=known.pk) for k, v in params.items()}
    rows = get_json(client, f"{API}/possible-matches/", **params)["results"]
    assert [row["id"] for row in rows] == [made[i].pk for i in expected]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"status": "maybe"}, "status"),
        ({"person": "nobody-at-all"}, "person"),
        ({"person_id": "0"}, "person_id"),
        ({"score": "5"}, "score"),  # no such filter: a 400, not the unfiltered list
    ],
)
def test_bad_list_parameters_are_a_400_naming_them(matches, client, params, error):
    body = get_json(client, f"{API}/possible-matches/", expect=400, **params)
    assert error in body["errors"]


def test_an_unknown_match_is_a_404(seeded, client, curator):
    assert client.get(f"{API}/possible-matches/999999/").status_code == 404
    assert client.get(f"{API}/possible-matches/abc/").status_code == 404
    assert post(client, f"{API}/possible-matches/999999/accept/", curator).status_code == 404


def test_deciding_needs_the_merge_permissions(matches, client):
    _, _, made = matches
    url = f"{API}/possible-matches/{made[0].pk}/accept/"
    assert post(client, url).status_code == 401
    visitor = get_user_model().objects.create_user("visitor")
    response = post(client, url, visitor)
    assert response.status_code == 403
    assert post(client, f"{API}/possible-matches/{made[0].pk}/reject/", visitor).status_code == 403
    assert PossibleMatch.objects.get(pk=made[0].pk).status == "open"


def test_accepting_merges_the_incoming_person_into_the_existing_one(matches, client, curator):
    known, new, made = matches
    response = post(client, f"{API}/possible-matches/{made[0].pk}/accept/", curator, note="one affidavit")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["note"]) == ("accepted", "ria", "one affidavit")
    assert body["incoming"] is None
    assert body["incoming_id"] == new[0].pk
    merge = PersonMerge.objects.get(pk=body["merge"])
    assert (merge.kept, merge.removed_id, merge.merged_by) == (known, new[0].pk, curator)
    assert client.get(f"{API}/persons/{new[0].pk}/").status_code == 301

    again = post(client, f"{API}/possible-matches/{made[0].pk}/accept/", curator)
    assert again.status_code == 409
    assert again.json()["detail"].startswith(f"Possible match #{made[0].pk} was already accepted by ria on ")

    undo_merge(merge, curator)
    assert get_json(client, f"{API}/possible-matches/{made[0].pk}/")["merge_undone"] is True


def test_rejecting_is_remembered_and_refuses_a_second_decision(matches, client, curator):
    _, _, made = matches
    response = post(client, f"{API}/possible-matches/{made[1].pk}/reject/", curator, note="father and son")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("rejected", "father and son")
    refused = post(client, f"{API}/possible-matches/{made[2].pk}/accept/", curator)
    assert refused.status_code == 409
    assert "was already rejected by the person matcher" in refused.json()["detail"]


def test_a_match_whose_person_was_merged_away_is_a_409_that_writes_nothing(matches, client, curator):
    known, _, made = matches
    other = Person.objects.create(slug="a-dohare", name="A. Dohare")
    merge_people(other, known, curator)
    before = dump_records()
    response = post(client, f"{API}/possible-matches/{made[0].pk}/accept/", curator)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Possible match #{made[0].pk} cannot be accepted: the existing person #{known.pk} was merged into "
        f"#{other.pk} (A. Dohare) since it was proposed. Compare #{other.pk} with the other person and merge "
        "them from the people list if they are one."
    )
    assert dump_records() == before


@pytest.mark.parametrize("body", [{"note": "x" * 2001}, {"note": ["a list"]}, {"note": None}])
def test_a_bad_body_is_a_400_that_writes_nothing(matches, client, curator, body):
    _, _, made = matches
    before = dump_records()
    response = client.post(
        f"{API}/possible-matches/{made[0].pk}/accept/", body, content_type="application/json", **auth(curator)
    )
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert dump_records() == before


def test_a_body_that_is_not_json_is_a_400(matches, client, curator):
    _, _, made = matches
    response = client.post(
        f"{API}/possible-matches/{made[0].pk}/reject/", "{not json", content_type="application/json", **auth(curator)
    )
    assert response.status_code == 400
    assert PossibleMatch.objects.get(pk=made[0].pk).status == "open"


# -- query budgets ---------------------------------------------------------------

# 1 the page of matches, their people, source, decider and merge joined; nothing per row.
LIST_BUDGET = 1
# 1 resolve the person (slug or id), 2 the page.
PERSON_FILTER_BUDGET = 2
# 1 the match, everything joined.
DETAIL_BUDGET = 1


@pytest.fixture
def many_matches(seeded, curator):
    source = Source.objects.order_by("pk").first()
    known = Person.objects.create(slug="known", name="Known Person")
    people = Person.objects.bulk_create([Person(slug=f"p-{i}", name=f"Person {i}") for i in range(30)])
    PossibleMatch.objects.bulk_create(
        PossibleMatch(
            incoming=person,
            existing=known,
            score=5.0,
            evidence=EVIDENCE,
            source=source,
            status="rejected",
            decided_by=curator,
            decided_at=timezone.now(),
        )
        for person in people
    )
    return known


@pytest.mark.parametrize("page_size", [1, 30])
def test_a_list_page_costs_the_same_whatever_its_size(many_matches, client, django_assert_num_queries, page_size):
    with django_assert_num_queries(VERSIONS + LIST_BUDGET):
        body = get_json(client, f"{API}/possible-matches/", page_size=page_size)
    assert len(body["results"]) == page_size
    assert all(row["incoming"] and row["existing"] and row["decided_by"] for row in body["results"])
    with django_assert_num_queries(VERSIONS + LIST_BUDGET + 1):  # count=true: one COUNT
        get_json(client, f"{API}/possible-matches/", page_size=page_size, count="true")
    with django_assert_num_queries(VERSIONS + PERSON_FILTER_BUDGET):
        body = get_json(client, f"{API}/possible-matches/", page_size=page_size, person="known", status="rejected")
    assert len(body["results"]) == page_size


def test_a_detail_is_one_query(many_matches, client, django_assert_num_queries):
    match = PossibleMatch.objects.order_by("pk").first()
    with django_assert_num_queries(VERSIONS + DETAIL_BUDGET):
        get_json(client, f"{API}/possible-matches/{match.pk}/")
    with django_assert_num_queries(VERSIONS + DETAIL_BUDGET):
        assert client.get(f"{API}/possible-matches/999999999/").status_code == 404
