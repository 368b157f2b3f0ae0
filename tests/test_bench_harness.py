"""The benchmark's harness, without timings: its comparison finds what differs
between two responses and nothing else; the limit (bench/limit/) imports
nothing of the product but its models; the scenarios cover every read
operation and list parameter of the schema; and on a small corpus every
scenario gets the same data from the API and from the limit."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from bench import coverage, cursors, scenarios, stats
from bench.compare import differences
from bench.run import Measured
from bench.schema import Operation, operations
from records.corpus import CorpusSize, generate_corpus
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Constituency,
    ConstituencyAlias,
    ConstituencyIdentifier,
    Event,
    Organisation,
    OrganisationIdentifier,
    PartyResult,
    Person,
    PersonMerge,
    PersonRelation,
    PlaceIdentifier,
    PossibleMatch,
    Posting,
    Source,
)

LIMIT_PACKAGE = Path(__file__).resolve().parent.parent / "bench" / "limit"
API_CURSOR = cursors.encode({"o": "records.person:name,id", "v": ["Ram", 2], "r": 0})
PAGE = {
    "next": f"http://127.0.0.1:8000/api/v1/persons/?cursor={API_CURSOR}&page_size=2",
    "previous": None,
    "count": None,
    "results": [{"id": 1, "name": "Asim Arun", "share": 39.67}, {"id": 2, "name": "Ram", "share": None}],
}


def body(document) -> bytes:
    return json.dumps(document).encode()


def limit_version(document, after=("Ram", 2)):
    copy = json.loads(json.dumps(document))
    copy["next"] = "http://127.0.0.1:9000/limit/v1/persons/?page_size=2&after=" + json.dumps(list(after))
    return copy


def test_the_same_data_under_both_prefixes_has_no_differences():
    assert differences(body(PAGE), body(limit_version(PAGE))) == []


def test_a_changed_value_a_missing_key_a_missing_row_and_another_next_page_are_each_reported():
    changed = limit_version(PAGE, after=("Ram", 3))
    changed["results"][1]["name"] = "Shyam"
    del changed["results"][0]["share"]
    found = differences(body(PAGE), body(changed))
    assert "$.results[1].name: API 'Ram' != limit 'Shyam'" in found
    assert "$.results[0].share: only in the API" in found
    assert any(line.startswith("$.next") for line in found)
    shorter = limit_version(PAGE)
    shorter["results"].pop()
    assert differences(body(PAGE), body(shorter)) == ["$.results: 2 items in the API, 1 in the limit"]


def test_a_number_and_its_string_differ_and_ignored_keys_do_not():
    as_string = limit_version(PAGE)
    as_string["results"][0]["share"] = "39.67"
    assert differences(body(PAGE), body(as_string)) == ["$.results[0].share: API 39.67 != limit '39.67'"]
    assert differences(body(PAGE), body(as_string), ignore=frozenset({"share"})) == []


def test_a_deep_cursor_is_the_apis_own_with_other_values():
    first_page = {"next": f"http://x/api/v1/persons/?cursor={API_CURSOR}&page_size=1"}
    deep = cursors.decode(cursors.deep_cursor(first_page, ["Zia", 99]))
    assert deep == {"o": "records.person:name,id", "v": ["Zia", 99], "r": 0}


def test_a_list_too_short_for_a_next_link_gets_a_deep_cursor_of_its_order():
    empty = {"next": None, "previous": None, "count": None, "results": []}
    order = "records.event:-updated_at,-id"
    deep = cursors.decode(cursors.deep_cursor(empty, ["1970-01-01T00:00:00+00:00", 0], order))
    assert deep == {"o": order, "v": ["1970-01-01T00:00:00+00:00", 0], "r": 0}
    with pytest.raises(ValueError, match="no next link"):
        cursors.deep_cursor(empty, [None, 0])


def test_percentiles_spread_and_throughput():
    samples = [0.001 * i for i in range(1, 101)]  # 1 ms .. 100 ms
    assert stats.median(samples) == pytest.approx(0.0505)
    assert stats.nearest_rank(samples) == pytest.approx(0.099)
    assert stats.p99(samples) == pytest.approx(0.0994, abs=5e-4)  # Harrell-Davis: between the 99th and 100th
    assert stats.p99([0.002] * 50) == pytest.approx(0.002)
    low, high = stats.p99_ratio_spread(samples, samples)
    assert low == high == pytest.approx(1.0)
    assert stats.halves_p99_ratio(samples, samples) == pytest.approx((1.0, 1.0))
    assert stats.throughput([0.5, 0.5]) == pytest.approx(2.0)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return names


def test_the_limit_imports_nothing_of_the_product_but_its_models():
    found = set().union(*(_imports(path) for path in LIMIT_PACKAGE.glob("*.py")))
    product = {name for name in found if name.split(".")[0] in ("records", "config") and name != "records.models"}
    harness = {name for name in found if name.startswith("bench") and not name.startswith("bench.limit")}
    frameworks = {name for name in found if name.split(".")[0] in ("rest_framework", "django_filters")}
    assert not product, product
    assert not harness, harness
    assert not frameworks, frameworks
    assert "records.models" in found


def test_the_limits_server_has_djangos_default_middleware():
    from bench.limit import settings

    assert settings.MIDDLEWARE[1:] == [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]


def test_a_filter_or_operation_no_scenario_covers_is_reported():
    persons = Operation("persons_list", "/persons/", True, ("active_on", "new_filter"), ("name",))
    detail = Operation("persons_retrieve", "/persons/{id}/", False, (), ())
    covered = [SimpleNamespace(covers=frozenset({"persons_list", "persons_list?active_on", "persons_list?count"}))]
    assert coverage.uncovered([persons, detail], covered) == [
        "persons_list?new_filter",
        "persons_list?ordering=name",
        "persons_list?ordering=name deep",
        "persons_retrieve",
    ]


def test_a_miss_of_each_target_is_flagged():
    from bench.report import misses

    page = Measured(scenarios.Scenario("page", "op", "/"), api=[0.010] * 4, limit=[0.010] * 4)
    page.api_queries, page.limit_queries = [3, 3, 3, 3], [2, 2, 2, 2]
    slow = Measured(scenarios.Scenario("deep", "op", "/", first_page="page"), api=[0.06, 0.06, 0.06, 0.5])
    slow.limit, slow.api_queries, slow.limit_queries = [0.01] * 4, [3, 4, 3, 3], [2] * 4
    by_name = {"page": page, "deep": slow}
    assert misses(page, by_name) == ""
    assert misses(slow, by_name) == "MPSDQ"


@pytest.fixture
def api_and_limit(client):
    """The test client, with the API's URLs and the limit's (under /limit/v1/) both mounted."""
    from bench.limit.urls import urlpatterns as limit
    from config.urls import urlpatterns as api

    both = type("BothUrlconfs", (), {"urlpatterns": [*limit, *api]})  # hashable, as a urlconf must be
    with override_settings(ROOT_URLCONF=both, ALLOWED_HOSTS=["testserver"]):
        yield client


def _cite(source, record, start: int) -> None:
    Citation.objects.create(
        source=source, record=record, quote=source.text[start : start + 12], start=start, end=start + 12
    )


def _events_and_aliases(picks) -> None:
    """Events (dated and not, in units of the police force, with participants and
    versions that contradict each other) and constituency aliases, with citations."""
    person, source = picks.person, picks.source
    others = list(Person.objects.exclude(pk=person.pk).order_by("pk")[:3])
    unit = Organisation.objects.filter(parent=picks.police).order_by("pk").first()
    told = [
        ("retirement_applied", "2019-05", unit, "confirmed"),
        ("retirement_approved", "2020", unit, "reported"),
        ("retirement_pending", "", None, "reported"),
        ("meeting", "2021-03-04", picks.police, "confirmed"),
        ("training", "", unit, "expected"),
        ("statement", "2018/2019", None, "confirmed"),
    ]
    events = [
        Event.objects.create(person=person, kind=kind, title=f"{kind} {i}", date=date, organisation=org, status=status)
        for i, (kind, date, org, status) in enumerate(told)
    ]
    theirs = [
        Event.objects.create(person=other, kind="meeting", title=f"meeting of {other.pk}", date="2022-01")
        for other in others
    ]
    events[0].participants.add(others[0], others[1])
    events[3].participants.add(others[0])
    theirs[1].participants.add(others[0], person)
    _link(events[1], "contradicts", events[2], source)
    _link(events[4], "contradicts", events[1], source)  # the other way round: listed under both
    _link(theirs[0], "contradicts", theirs[2], source)  # theirs[2] told by no source: unknown to any as_of
    for i, event in enumerate([events[0], events[1], events[2], theirs[0]]):
        _cite(source, event, 3 * i)
    named = list(Constituency.objects.order_by("pk")[:2])
    picked = picks.constituency
    aliases = [
        ConstituencyAlias.objects.create(constituency=picked, name=f"{picked.name.upper()}-EAST"),
        ConstituencyAlias.objects.create(constituency=picked, name=f"Old {picked.name}", kind="former_name"),
        ConstituencyAlias.objects.create(constituency=named[0], name=f"{picked.name} Sadar", status="reported"),
        ConstituencyAlias.objects.create(constituency=named[1], name="Elsewhere"),
    ]
    for i, alias in enumerate(aliases[:3]):
        _cite(source, alias, 5 * i)


def _link(claim, kind: str, target, *sources) -> ClaimLink:
    link = ClaimLink.objects.create(
        claim_type=ContentType.objects.get_for_model(claim),
        claim_id=claim.pk,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )
    for i, source in enumerate(sources):
        _cite(source, link, 2 * i)
    return link


def _keys_links_and_gazetteer_citations(picks) -> None:
    """Claim keys and links between claims, which the generator writes neither of,
    cited by sources of different days (and one by none); and citations of the
    picked election, party, force and state, which it does not cite."""
    dated = Source.objects.filter(published_on__isnull=False).order_by("published_on", "pk")
    early, late, middle = dated.first(), dated.last(), picks.source
    postings = list(Posting.objects.filter(person=picks.person).order_by("pk")[:3])
    for i, posting in enumerate(postings):
        Posting.objects.filter(pk=posting.pk).update(key=f"posting-{i}")
    Candidacy.objects.filter(pk=picks.candidacy.pk).update(key="stood")
    Event.objects.filter(person=picks.person, kind="meeting").update(key="a-meeting")
    claimed = Candidacy.objects.filter(contest__isnull=True).order_by("pk").first()
    events = list(Event.objects.filter(person=picks.person).order_by("pk"))
    if len(postings) > 1:
        _link(postings[1], "supersedes", postings[0], late, early)
        _link(postings[0], "confirms", postings[1], middle)
    if len(postings) > 2:
        _link(postings[2], "retracts", postings[1])  # told by no source: no since, unknown to any as_of
        _link(postings[2], "contradicts", postings[0], middle)  # a dispute between postings
        _link(postings[1], "contradicts", events[0], late)  # a dispute between claims of two types
    if claimed is not None:
        _link(picks.candidacy, "fulfils", claimed, middle)
        _link(claimed, "contradicts", picks.candidacy, late)
    results = list(PartyResult.objects.filter(election=picks.election).order_by("pk")[:2])
    if len(results) == 2:
        _link(results[1], "confirms", results[0], early)
        _link(results[0], "supersedes", results[1], middle)
    _link(events[1], "supersedes", events[0], middle)
    for i, event in enumerate(Event.objects.filter(citations__isnull=True, person=picks.person).order_by("pk")):
        _cite(late, event, 3 * i)  # every side of a dispute told, the last ones late
    relations = list(PersonRelation.objects.order_by("pk")[:2])
    if len(relations) == 2:
        _link(relations[1], "retracts", relations[0], early, middle)
    for i, record in enumerate([picks.election, picks.party, picks.police, picks.state]):
        _cite(middle, record, 7 * i)


def _identifiers(picks) -> None:
    """Identifiers of the picked party, force, state and constituency (which the
    generator writes none of), cited by the picked source, one by none."""
    source = picks.source
    made = [
        OrganisationIdentifier.objects.create(organisation=picks.party, scheme="wikidata", value="Q10230"),
        OrganisationIdentifier.objects.create(organisation=picks.police, scheme="wikidata", value="Q7"),
        PlaceIdentifier.objects.create(place=picks.state, scheme="iso-3166-2", value="IN-UP"),
        PlaceIdentifier.objects.create(place=picks.state, scheme="lgd-state", value="9"),
        ConstituencyIdentifier.objects.create(constituency=picks.constituency, scheme="eci-ac", value="2008:UP:14"),
        ConstituencyIdentifier.objects.create(constituency=picks.constituency, scheme="eci-ac", value="1976:UP:12"),
    ]
    for i, identifier in enumerate(made[:-1]):
        _cite(source, identifier, 11 * i)


def _possible_matches(picks) -> None:
    """An open question about the picked person, and one decided whose incoming person was merged away."""
    others = list(Person.objects.exclude(pk=picks.person.pk).order_by("pk")[:2])
    evidence = [
        {"name": "same name", "weight": 4.0, "detail": "A ~ A"},
        {"name": "other party", "weight": -0.5, "detail": "latest BJP"},
    ]
    PossibleMatch.objects.create(incoming=others[0], existing=picks.person, score=3.5, evidence=evidence)
    PossibleMatch.objects.create(
        incoming_id=10**9, existing=others[1], score=8.5, status="accepted", decided_at=timezone.now(), note="bench"
    )


def _corpus_and_scenarios():
    """A small corpus, with the rows the generator does not write (a merge, possible
    matches, versions in a history, events and their disputes, constituency aliases,
    claim keys, links between claims, citations of the gazetteer, its identifiers), the schema's read
    operations and their scenarios."""
    generate_corpus(CorpusSize(people=400, postings=4000), seed=1)
    picks = scenarios.Picks()
    PersonMerge.objects.create(kept=picks.person, removed_id=10**9, removed_name="A duplicate", note="bench")
    _possible_matches(picks)
    picks.person.name = f"{picks.person.name} (renamed)"
    picks.person.save()
    picks.candidacy.ballot_name = f"{picks.candidacy.ballot_name} (corrected)"
    picks.candidacy.save()
    _events_and_aliases(picks)
    _keys_links_and_gazetteer_citations(picks)
    _identifiers(picks)
    ops = operations(SchemaGenerator().get_schema(request=None, public=True))
    return ops, scenarios.build(ops, scenarios.Picks())


@pytest.mark.django_db
def test_every_read_operation_filter_and_order_of_the_schema_has_a_scenario():
    ops, found = _corpus_and_scenarios()
    assert coverage.uncovered(ops, found) == []
    assert len(found) > 200


def content(response) -> bytes:
    """The body, streamed (the Popolo document) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_every_scenario_gets_the_same_data_from_the_api_and_the_limit(api_and_limit):
    _, found = _corpus_and_scenarios()
    different = {}
    for scenario in found:
        if scenario.deep_after is not None:
            first = scenarios.Scenario(scenario.name, scenario.operation, scenario.path, {**scenario.params})
            first.params["page_size"] = 1
            first_page = api_and_limit.get(first.api_url).json()
            scenario.api_cursor = cursors.deep_cursor(first_page, scenario.deep_after, scenario.cursor_order)
        api, limit = api_and_limit.get(scenario.api_url), api_and_limit.get(scenario.limit_url)
        assert api.status_code == limit.status_code == scenario.status, (
            scenario.name,
            content(api)[:300],
            content(limit)[:300],
        )
        if scenario.status != 200:
            continue
        found_differences = differences(content(api), content(limit), ignore=scenario.ignore)
        if found_differences:
            different[scenario.name] = found_differences[:3]
    assert different == {}


@pytest.mark.django_db
def test_where_the_corpus_has_none_both_sides_agree_on_empty_pages_and_missing_records(api_and_limit):
    """No events and so no disputes (as the generator writes them): every list
    page is empty, a deep page is one too, and a detail or history is a 404."""
    generate_corpus(CorpusSize(people=50, postings=200), seed=1)
    ops = operations(SchemaGenerator().get_schema(request=None, public=True))
    ops = [op for op in ops if op.resource in ("events", "disputes")]
    found = scenarios.build(ops, scenarios.Picks())
    assert coverage.uncovered(ops, found) == []
    for scenario in found:
        if scenario.deep_after is not None:
            first = scenarios.Scenario(scenario.name, scenario.operation, scenario.path, {"page_size": 1})
            first_page = api_and_limit.get(first.api_url).json()
            scenario.api_cursor = cursors.deep_cursor(first_page, scenario.deep_after, scenario.cursor_order)
        api, limit = api_and_limit.get(scenario.api_url), api_and_limit.get(scenario.limit_url)
        assert api.status_code == limit.status_code == scenario.status, (scenario.name, api.content[:300])
        if scenario.status == 200:
            assert api.json()["results"] == [], scenario.name
            assert differences(api.content, limit.content) == [], scenario.name


def test_both_engines_rerun_the_command_once_per_engine_with_the_other_arguments():
    from bench.__main__ import _without_engine

    assert _without_engine(["--engine", "both", "--people", "100"]) == ["--people", "100"]
    assert _without_engine(["--rounds", "3", "--engine=both", "--only", "x"]) == ["--rounds", "3", "--only", "x"]


@pytest.mark.parametrize("rounds", ["1", "0", "-3"])
def test_fewer_than_two_rounds_is_refused_before_any_corpus_is_built(rounds, capsys):
    """The p99's spread compares the two halves of the rounds: one round once
    crashed the report after the whole run."""
    from bench.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--rounds", rounds, "--people", "10"])
    assert exit_.value.code == 2
    assert "--rounds must be at least 2" in capsys.readouterr().err
