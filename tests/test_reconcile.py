"""The reconciliation service (/api/v1/reconcile/, W3C reconciliation API 0.2)
as OpenRefine uses it: the manifest, recorded batches posted as a form
(tests/material/reconcile_batches.json: the requests and what their answers
must show), the refused ones (reconcile_errors.json), preview and suggest.

The data: the seeds, the 2017 results, and the test material that carries the
seeds' story on (003, 004: Asim Arun joins the BJP and is fielded from
Kannauj (SC); 005: Yogi Adityanath is fielded from Gorakhpur Urban)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.conftest import dump_records, settle_module_data

MATERIAL = Path(__file__).parent / "material"
BATCHES = json.loads((MATERIAL / "reconcile_batches.json").read_text())["batches"]
REFUSED = json.loads((MATERIAL / "reconcile_errors.json").read_text())["refused"]
URL = "/api/v1/reconcile/"


@pytest.fixture(scope="module")
def stories(results_2017, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for name in ("003_story_joined", "004_story_fielded", "005_story_gorakhpur"):
            call_command("ingest_document", str(MATERIAL / f"{name}.txt"), verbosity=0)
        settle_module_data()
        yield
        transaction.set_rollback(True)


def post_batch(client, queries, expect: int = 200) -> dict:
    body = queries if isinstance(queries, str) else json.dumps(queries)
    # A form, as OpenRefine posts it.
    response = client.post(URL, urlencode({"queries": body}), content_type="application/x-www-form-urlencoded")
    assert response.status_code == expect, response.content[:500]
    return response.json()


def test_the_manifest_names_the_services_types_and_urls(client, db):
    manifest = client.get(URL).json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["defaultTypes"] == [{"id": "person", "name": "Person"}]
    assert manifest["view"]["url"] == "http://testserver/api/v1/{{id}}/"
    assert manifest["preview"]["url"] == "http://testserver/api/v1/reconcile/preview/?id={{id}}"
    entity = manifest["suggest"]["entity"]
    assert entity["service_url"] + entity["service_path"] == "http://testserver/api/v1/reconcile/suggest/entity/"
    assert manifest["batchSize"] == 50


@pytest.mark.parametrize("batch", BATCHES, ids=[b["name"] for b in BATCHES])
def test_a_recorded_batch_gets_the_answers_it_expects(client, stories, batch):
    answers = post_batch(client, batch["queries"])
    assert set(answers) == set(batch["queries"])
    for key, expected in batch["expect"].items():
        result = answers[key]["result"]
        ids = [c["id"] for c in result]
        assert len(result) <= batch["queries"][key].get("limit", 5)
        assert [c["score"] for c in result] == sorted((c["score"] for c in result), reverse=True), key
        assert all(0 <= c["score"] <= 100 for c in result)
        matched = [c["id"] for c in result if c["match"]]
        assert matched == ([expected["match"]] if expected["match"] else []), (key, result)
        if "first" in expected:
            assert ids[0] == expected["first"], (key, result)
        if "score_at_least" in expected:
            assert result[0]["score"] >= expected["score_at_least"], (key, result[0])
        assert set(expected.get("among", [])) <= set(ids), (key, ids)


def test_the_evidence_of_a_match_is_its_features(client, stories):
    query = BATCHES[0]["queries"]["q0"]  # ADITYANATH, BJP, Gorakhpur Urban
    best = post_batch(client, {"q0": query})["q0"]["result"][0]
    assert {f["id"] for f in best["features"]} == {"same name", "same party", "same constituency"}
    assert "Gorakhpur Urban" in best["description"]


def test_a_property_that_disagrees_costs_the_match(client, stories):
    """The same name, a constituency where the person never stood: a lower score, no match."""
    asked = {"query": "Asim Arun", "properties": [{"pid": "constituency", "v": "Gorakhpur Rural"}]}
    found = post_batch(client, {"q0": asked, "q1": {"query": "Asim Arun"}})
    elsewhere, plain = found["q0"]["result"][0], found["q1"]["result"][0]
    assert elsewhere["id"] == plain["id"] == "persons/asim-arun"
    assert (elsewhere["match"], plain["match"]) == (False, True)
    assert elsewhere["score"] < plain["score"]


def test_a_reconciled_value_may_be_given_by_its_id(client, stories):
    asked = {"query": "Adityanath", "properties": [{"pid": "party", "v": {"id": "parties/bjp", "name": "BJP"}}]}
    best = post_batch(client, {"q0": asked})["q0"]["result"][0]
    assert "same party" in {f["id"] for f in best["features"]}


def test_queries_may_come_by_get_too(client, stories):
    answers = client.get(URL, {"queries": json.dumps({"q0": {"query": "BJP", "type": "party"}})}).json()
    assert answers["q0"]["result"][0]["id"] == "parties/bjp"


@pytest.mark.parametrize("refused", REFUSED, ids=[r["why"] for r in REFUSED])
def test_a_bad_batch_is_refused_naming_what_is_wrong_and_writes_nothing(client, seeded, refused):
    before = dump_records()
    body = post_batch(client, refused["queries"], expect=400)
    assert body["code"] == "invalid"
    assert set(refused["names"]) <= set(body["errors"]), body
    assert dump_records() == before


@override_settings(RECONCILE_MAX_QUERIES=3)
def test_a_batch_over_the_size_limit_is_refused(client, db):
    body = post_batch(client, {f"q{i}": {"query": "Asim"} for i in range(4)}, expect=400)
    assert "at most 3" in body["errors"]["queries"][0]
    assert client.get(URL).json()["batchSize"] == 3


def test_the_preview_is_a_card_with_the_persons_party_and_posts(client, stories):
    response = client.get(f"{URL}preview/", {"id": "persons/asim-arun"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Asim Arun" in html
    assert "Commissioner of Police" in html
    assert "Bharatiya Janata Party" in html
    assert "<script" not in html
    assert "http" not in html.replace("http-equiv", "")


def test_the_preview_escapes_what_records_hold(client, seeded):
    from records.models import Person

    Person.objects.create(slug="markup", name='<img src=x onerror="alert(1)">')
    html = client.get(f"{URL}preview/", {"id": "persons/markup"}).content.decode()
    assert "<img" not in html
    assert "&lt;img src=x" in html


@pytest.mark.parametrize(("params", "status"), [({"id": "persons/nobody"}, 404), ({"id": "nonsense"}, 404), ({}, 400)])
def test_a_preview_of_no_record_is_an_error(client, seeded, params, status):
    response = client.get(f"{URL}preview/", params)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_suggest_entities_types_and_properties(client, stories):
    def suggest(kind, **params):
        return [s["id"] for s in client.get(f"{URL}suggest/{kind}/", params).json()["result"]]

    assert suggest("entity", prefix="Aseem")[0] == "persons/asim-arun"
    assert suggest("entity", prefix="Bharatiya Janata", type="party")[0] == "parties/bjp"
    assert suggest("type", prefix="con") == ["constituency"]
    assert suggest("property", prefix="y") == ["year"]
    assert suggest("property", prefix="p", type="party") == []
    page = suggest("entity", prefix="Kumar")
    assert len(page) == 10
    assert set(suggest("entity", prefix="Kumar", cursor=10)).isdisjoint(page)
    assert client.get(f"{URL}suggest/entity/", {"prefix": ""}).status_code == 400
    assert client.get(f"{URL}suggest/entity/", {"prefix": "x", "cursor": "-1"}).status_code == 400
