"""Living records: the seeds' story followed into a served database.

Two documents written for these tests (tests/material/, marked as test
material, never loaded as sources of the product) carry the story on: Asim
Arun joins the BJP (2022-01-17: "on Sunday") and is fielded from Kannauj (SC)
(2022-01-21). They are ingested into a database that already holds the seeds,
the 2017 results and a curator's edit; then an official 2022 result arrives.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction

from records.models import Candidacy, ClaimLink, Person, Posting, Source
from tests.api import get_json
from tests.conftest import dump_records, settle_module_data
from tests.test_import_results import kannauj, run, write_csv

MATERIAL = Path(__file__).parent / "material"
JOINED = MATERIAL / "003_story_joined.txt"
FIELDED = MATERIAL / "004_story_fielded.txt"
CURATED_NOTE = "Checked against the Election Commission's form 20 by a curator."


def ingest(document: Path, annotation: Path | None = None) -> None:
    call_command("ingest_document", str(document), *([str(annotation)] if annotation else []), verbosity=0)


@pytest.fixture(scope="module")
def story(results_2017, django_db_blocker):
    """Seeds + 2017 results + a curator's edit, then the two later documents."""
    with django_db_blocker.unblock(), transaction.atomic():
        winner = Candidacy.objects.filter(election__slug="up-2017", won=True).order_by("id").first()
        person = winner.person
        person.social_group = "curated"
        person.save()
        ingest(JOINED)
        ingest(FIELDED)
        settle_module_data()
        yield {"person_id": person.pk}
        transaction.set_rollback(True)


def keyed(items: list[dict]) -> dict[str, dict]:
    return {item["key"]: item for item in items}


def memberships(client, **params) -> dict[str, dict]:
    return keyed(get_json(client, "/api/v1/postings/", person="asim-arun", organisation="bjp", **params)["results"])


def test_the_documents_join_the_served_records_and_keep_what_was_there(story):
    assert Person.objects.get(pk=story["person_id"]).social_group == "curated"
    assert Candidacy.objects.filter(election__slug="up-2017", contest__isnull=False).count() == 4853
    assert Person.objects.filter(name="Asim Arun").count() == 1  # matched by name, not made again
    assert Source.objects.filter(slug__in=["003_story_joined", "004_story_fielded"]).count() == 2
    joined = Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")
    assert (joined.status, joined.start_earliest.isoformat()) == ("confirmed", "2022-01-16")  # "on Sunday"


def test_the_expected_membership_is_kept_and_marked_fulfilled(client, story):
    today = memberships(client)
    assert set(today) == {"bjp-member", "bjp-member-joined"}
    expected = today["bjp-member"]
    assert expected["status"] == "expected"  # never rewritten
    assert {c["source_slug"] for c in expected["citations"]} == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}
    assert expected["superseded_by"] == {
        "kind": "fulfils",
        "claim": {"type": "posting", "id": today["bjp-member-joined"]["id"]},
        "since": "2022-01-17",
    }
    assert today["bjp-member-joined"]["superseded_by"] is None


def test_as_of_the_seeds_day_answers_what_the_seeds_said(client, story):
    then = memberships(client, as_of="2022-01-10")
    assert set(then) == {"bjp-member"}
    assert then["bjp-member"]["status"] == "expected"
    assert then["bjp-member"]["superseded_by"] is None
    assert then["bjp-member"]["links"] == []
    person = get_json(client, "/api/v1/persons/asim-arun/", as_of="2022-01-10")
    assert {c["key"]: c["status"] for c in person["candidacies"]} == {
        "up-2022": "expected",
        "up-2022-home-district": "speculated",
    }
    assert all(c["superseded_by"] is None for c in person["candidacies"])
    sources = {c["source_slug"] for p in person["postings"] for c in p["citations"]}
    assert sources == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}


def test_as_of_the_day_after_joining_answers_the_joined_picture(client, story):
    then = memberships(client, as_of="2022-01-17")
    assert {key: m["status"] for key, m in then.items()} == {"bjp-member": "expected", "bjp-member-joined": "confirmed"}
    assert then["bjp-member"]["superseded_by"]["kind"] == "fulfils"
    candidacies = keyed(get_json(client, "/api/v1/candidacies/", person="asim-arun", as_of="2022-01-17")["results"])
    assert set(candidacies) == {"up-2022", "up-2022-home-district"}  # not yet fielded
    assert all(c["superseded_by"] is None for c in candidacies.values())


def test_without_as_of_the_candidacy_claims_are_fulfilled_by_the_party_candidacy(client, story):
    candidacies = keyed(get_json(client, "/api/v1/candidacies/", person="asim-arun")["results"])
    fielded = candidacies["up-2022-kannauj-sc"]
    assert (fielded["status"], fielded["party"]["slug"], fielded["place"]["name"]) == (
        "confirmed",
        "bjp",
        "Kannauj (SC)",
    )
    for key in ("up-2022", "up-2022-home-district"):
        assert candidacies[key]["superseded_by"] == {
            "kind": "fulfils",
            "claim": {"type": "candidacy", "id": fielded["id"]},
            "since": "2022-01-21",
        }


def test_according_to_one_source(client, story):
    said = memberships(client, according_to="003_story_joined")
    assert set(said) == {"bjp-member-joined"}
    assert [c["source_slug"] for c in said["bjp-member-joined"]["citations"]] == ["003_story_joined"]
    assert get_json(client, "/api/v1/persons/asim-arun/", according_to="003_story_joined")["name"] == "Asim Arun"
    assert get_json(client, "/api/v1/persons/arun-ram/", expect=404, according_to="003_story_joined")


@pytest.mark.parametrize(
    ("params", "name"),
    [({"as_of": "2022-02-30"}, "as_of"), ({"as_of": "yesterday"}, "as_of"), ({"according_to": "nope"}, "according_to")],
)
def test_a_bad_point_of_view_is_a_400_naming_it(client, story, params, name):
    for url in ("/api/v1/postings/", "/api/v1/persons/asim-arun/", "/api/v1/claim-links/"):
        assert name in get_json(client, url, expect=400, **params)["errors"]


def test_ingesting_again_changes_nothing(story):
    before = dump_records()
    ingest(JOINED)
    ingest(FIELDED)
    assert dump_records() == before


def _material_copy(tmp_path: Path, name: str, text: str, annotation: str) -> Path:
    document = tmp_path / f"{name}.txt"
    document.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (tmp_path / f"{name}.yaml").write_text(annotation.replace("SHA", digest), encoding="utf-8")
    return document


NEXT = (
    " date 2022-01-25 TEST MATERIAL, not a published article.\n\nAsim Arun, the BJP candidate, filed his nomination.\n"
)
PERSON = 'persons:\n  - {id: asim-arun, name: Asim Arun, cite: "Asim Arun, the BJP candidate"}\n'
CONFLICTS = {
    "the same claim key with another status": (
        PERSON + "postings:\n  - {key: bjp-member-joined, person: asim-arun, role: member, status: expected, "
        'cite: "the BJP candidate"}\n',
        r"\.yaml: postings\[0\] 'bjp-member-joined' \(line \d+\): status: the database has 'confirmed'",
    ),
    "a link to an unknown claim": (
        PERSON + "postings:\n  - {key: nomination, person: asim-arun, role: candidate, status: confirmed, "
        'cite: "filed his nomination", links: [{kind: confirms, claim: "posting:no-such-key"}]}\n',
        r"unknown reference: no claim 'posting:no-such-key' of this person",
    ),
    "a quote not in the document": (
        PERSON + "postings:\n  - {key: nomination, person: asim-arun, role: candidate, status: confirmed, "
        'cite: "withdrew his nomination"}\n',
        r"does not occur verbatim in the source",
    ),
    "a loop of supersedes": (
        PERSON + "postings:\n  - {key: bjp-member, person: asim-arun, role: member, status: expected, "
        'cite: "the BJP candidate", links: [{kind: supersedes, claim: "posting:bjp-member-joined"}]}\n',
        r"would close a loop",
    ),
}


@pytest.mark.parametrize("case", list(CONFLICTS))
def test_a_conflict_is_reported_with_its_place_and_nothing_is_written(story, tmp_path, case):
    annotation, message = CONFLICTS[case]
    document = _material_copy(
        tmp_path, "005_next", NEXT, "source: {sha256: SHA, not_stated: [title, publisher, url]}\n" + annotation
    )
    before = dump_records()
    with pytest.raises(CommandError, match=message):
        ingest(document)
    assert dump_records() == before


def kannauj_2022() -> list[dict]:
    """Kannauj's 2022 contest, under the number it has in the 2017 results."""
    return [{**row, "constituency_number": 198} for row in kannauj()]


def test_the_official_result_fulfils_the_claims_without_duplicating_the_person(client, story, tmp_path):
    run(write_csv(tmp_path, kannauj_2022(), "up-2022.csv"))
    people = Person.objects.filter(name="Asim Arun")
    assert people.count() == 1
    official = Candidacy.objects.get(person=people.get(), contest__isnull=False)
    links = {
        (link.target.key, link.kind)
        for link in ClaimLink.objects.filter(claim_id=official.pk, claim_type__model="candidacy")
    }
    assert links == {
        ("up-2022", "fulfils"),
        ("up-2022-home-district", "fulfils"),
        ("up-2022-kannauj-sc", "confirms"),
    }
    before = ClaimLink.objects.count()
    run(write_csv(tmp_path, kannauj_2022(), "up-2022.csv"))  # the same file again: nothing new
    assert ClaimLink.objects.count() == before
    detail = keyed(get_json(client, "/api/v1/persons/asim-arun/")["candidacies"])
    confirmed_by = [link["claim"] for link in detail["up-2022-kannauj-sc"]["links"] if link["kind"] == "confirms"]
    assert confirmed_by == [{"type": "candidacy", "id": official.pk}]


def test_load_seed_data_on_the_served_database_keeps_everything(story):
    before = dump_records()
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert dump_records() == before


def test_a_third_seed_loads_into_the_served_database(story, settings, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    text = " date 2022-01-26 TEST MATERIAL, not a published article.\n\nArun Ram, a former DGP, spoke.\n"
    _material_copy(
        seeds,
        "009_test",
        text,
        "source: {sha256: SHA, not_stated: [title, publisher, url]}\n"
        'persons:\n  - {id: arun-ram, name: Arun Ram, cite: "Arun Ram, a former DGP"}\n',
    )
    settings.SEEDS_DIR = seeds
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    assert Source.objects.filter(slug="009_test").exists()
    assert Person.objects.filter(name="Arun Ram").count() == 1
    assert Person.objects.get(pk=story["person_id"]).social_group == "curated"


def test_disputed_claims_of_any_kind_are_found_by_the_disputed_filter(client, story):
    fielded = Candidacy.objects.get(key="up-2022-kannauj-sc")
    claimed = Candidacy.objects.get(key="up-2022-home-district")
    candidacy = ContentType.objects.get_for_model(Candidacy)
    ClaimLink.objects.create(
        claim_type=candidacy, claim_id=fielded.pk, kind="contradicts", target_type=candidacy, target_id=claimed.pk
    )
    disputed = keyed(get_json(client, "/api/v1/candidacies/", person="asim-arun", disputed="true")["results"])
    assert set(disputed) == {"up-2022-kannauj-sc", "up-2022-home-district"}  # either side
    others = keyed(get_json(client, "/api/v1/candidacies/", person="asim-arun", disputed="false")["results"])
    assert set(others) == {"up-2022"}
    assert get_json(client, "/api/v1/postings/", person="asim-arun", disputed="true")["results"] == []
    events = get_json(client, "/api/v1/events/", person="asim-arun", disputed="true")["results"]
    assert {e["key"] for e in events} == {"retirement-approved", "retirement-pending"}
    pairs = get_json(client, "/api/v1/claim-links/", kind="contradicts")["results"]
    by_type = {p["claim"]["type"]: (p["claim"]["id"], p["target"]["id"]) for p in pairs}
    assert len(pairs) == len(by_type) == 2  # the seeds' retirement events, and these candidacies
    assert by_type["candidacy"] == (fielded.pk, claimed.pk)
    disputes = get_json(client, "/api/v1/disputes/", person="asim-arun", type="candidacy")["results"]
    assert [(d["claim"]["key"], d["disputed_by"]["key"]) for d in disputes] == [
        ("up-2022-kannauj-sc", "up-2022-home-district")
    ]


def test_every_detail_that_answers_as_of_documents_it(client, story):
    """The schema documents the point of view on each detail that takes it, and each such detail refuses a bad one."""
    schema = get_json(client, "/api/schema/", format="json")
    documented = {
        path
        for path, operations in schema["paths"].items()
        if "get" in operations
        and "{id}" in path
        and not path.endswith(("/history/", "/claims/"))
        and {"as_of", "according_to"} <= {p["name"] for p in operations["get"].get("parameters", [])}
    }
    assert "/api/v1/persons/{id}/" in documented
    assert "/api/v1/candidacies/{id}/" in documented
    for path in documented:
        url = path.replace("{id}", "0")
        assert "as_of" in get_json(client, url, expect=400, as_of="2022-02-30")["errors"], path
