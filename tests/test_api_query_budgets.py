"""Every read endpoint runs a fixed number of SQL queries, whatever the page size
or the number of related rows: an N+1 (a query per row, or per related row) shows
up as a count that grows between the small and the large measurement.

The data is the seeds plus a "world" built here: 100 people, each with an alias,
an identifier, a posting in a police unit and a party office (both with an
organisation and a place), a candidacy, an event with a participant and a
contradicting version, and relations; 100 parties with aliases, leaders and
results; 100 elections with a phase, a result and a candidacy; 100 places and
police units; identifiers on people, parties, units and places; every claim
and identifier cited. A few records ("many") get several related rows
of each kind, and a few ("bare") get none.

Every budget below is the answer's own queries; each request also makes one
before them, ``VERSIONS`` (tests/api.py): the versions that decide a conditional GET.

Django runs no query for a prefetch whose parent list is empty, so the budgets
below are for pages and records that have at least one related row of each kind;
the bare records' (smaller, also fixed) budgets are pinned separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import resolve

from records import remembered
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Government,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Party,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    PlaceIdentifier,
    Posting,
    Source,
)
from tests.api import VERSIONS
from tests.conftest import settle_module_data

API = "/api/v1"
N = 100  # records of each kind in the world; also the large page size
MANY = 5  # related rows of each kind on the "many" records

TEXT = (
    "Sources say the officer, who took charge of the district police last year, "
    "is expected to contest the assembly election for the party. "
) * 10


# -- the world ----------------------------------------------------------------


@dataclass
class World:
    source: Source  # cited by (nearly) every record: the "many" source
    lone_source: Source  # exactly one citation
    bare_source: Source  # no citation
    state: Place
    places: list[Place]
    police: Organisation
    units: list[Organisation]
    assembly: Organisation
    parties: list[Party]
    persons: list[Person]
    postings: list[Posting]
    elections: list[Election]
    bare: dict = field(default_factory=dict)
    seed_ids: dict = field(default_factory=dict)


def day(offset: int) -> str:
    """An exact fuzzy date, long before anything in the seeds (so these sort first)."""
    return (date(1800, 1, 1) + timedelta(days=offset)).isoformat()


class Citer:
    """Collects unsaved citations; quote == source.text[start:end]."""

    def __init__(self, source: Source):
        self.source = source
        self.rows: list[Citation] = []

    def __call__(self, record, n: int = 1, source: Source | None = None, field_name: str = "") -> None:
        source = source or self.source
        for i in range(n):
            start = (7 * (len(self.rows) + i)) % 300
            end = start + 20
            self.rows.append(
                Citation(
                    source=source,
                    record=record,
                    field=field_name,
                    quote=source.text[start:end],
                    start=start,
                    end=end,
                )
            )

    def save(self) -> None:
        Citation.objects.bulk_create(self.rows)


def build_world() -> World:
    source = Source.objects.create(
        slug="aaa-budget-source", published_on=date(1800, 1, 1), text=TEXT, sha256="a" * 64, title="Budget"
    )
    lone_source = Source.objects.create(
        slug="aaa-budget-lone", published_on=date(1800, 1, 2), text=TEXT, sha256="b" * 64
    )
    extra_sources = Source.objects.bulk_create(
        Source(slug=f"aaa-budget-source-{i:03d}", published_on=date(1800, 1, 3) + timedelta(days=i), sha256=f"{i:064x}")
        for i in range(N)
    )
    cite = Citer(source)

    # Gazetteer: a state with N districts; a police force with N units; an assembly; N parties.
    state = Place.objects.create(slug="aaa-state", name="Aaa State", kind="state")
    cite(state, MANY)  # the "many" place
    places = []
    for i in range(N):
        place = Place.objects.create(
            slug=f"aaa-place-{i:03d}", name=f"Aaa Place {i:03d}", kind="district", parent=state
        )
        cite(place)
        places.append(place)
    police = Organisation.objects.create(slug="aaa-police", name="Aaa Police", kind="police", abbreviation="AAAP")
    cite(police, MANY)
    org_aliases = [OrganisationAlias(organisation=police, name=f"Aaa Force {k}", kind="other") for k in range(MANY)]
    units = []
    for i in range(N):
        unit = Organisation.objects.create(
            slug=f"aaa-unit-{i:03d}", name=f"Aaa Unit {i:03d}", kind="police", parent=police, place=places[i]
        )
        cite(unit)
        org_aliases.append(OrganisationAlias(organisation=unit, name=f"AU{i:03d}", kind="abbreviation"))
        units.append(unit)
    assembly = Organisation.objects.create(slug="aaa-assembly", name="Aaa Assembly", kind="legislature", place=state)
    cite(assembly)
    org_aliases.append(OrganisationAlias(organisation=assembly, name="Aaa Vidhan Sabha", kind="other"))
    parties = []
    for i in range(N):
        party = Party.objects.create(slug=f"aaa-party-{i:03d}", name=f"Aaa Party {i:03d}", abbreviation=f"AP{i:03d}")
        cite(party, MANY if i == 0 else 1)
        org_aliases.append(OrganisationAlias(organisation=party, name=f"Aaa Party Alias {i:03d}", kind="short_name"))
        if i == 0:
            org_aliases += [
                OrganisationAlias(organisation=party, name=f"Aaa Party Zero {k}", kind="spelling_variant")
                for k in range(1, MANY)
            ]
        parties.append(party)
    for alias in OrganisationAlias.objects.bulk_create(org_aliases):
        cite(alias, 2 if alias.organisation_id in (police.pk, parties[0].pk) else 1)
    # Identifiers: one per unit, party and place; the "many" ones (the force, party 0, the state) get MANY.
    org_identifiers = [
        OrganisationIdentifier(organisation=o, scheme="wikidata", value=f"Q7{i:04d}")
        for i, o in enumerate([*units, *parties])
    ]
    org_identifiers += [
        OrganisationIdentifier(organisation=o, scheme="wikidata", value=f"Q6{k}{o.pk:04d}")
        for o in (police, parties[0])
        for k in range(1, MANY + 1)
    ]
    for identifier in OrganisationIdentifier.objects.bulk_create(org_identifiers):
        cite(identifier)
    place_identifiers = [
        PlaceIdentifier(place=p, scheme="lgd-district", value=str(i + 1)) for i, p in enumerate(places)
    ]
    place_identifiers += [PlaceIdentifier(place=state, scheme="lgd-state", value=str(k)) for k in range(1, MANY + 1)]
    for identifier in PlaceIdentifier.objects.bulk_create(place_identifiers):
        cite(identifier)

    # People: each with one row of each kind; person 0 gets MANY of each.
    persons = Person.objects.bulk_create(
        Person(
            slug=f"aaa-person-{i:03d}",
            name=f"Aaa Person {i:03d}",
            birth_date=f"{1940 + i % 40}",
            native_place=places[i],
            gender="female" if i % 2 else "male",
        )
        for i in range(N)
    )
    for i, person in enumerate(persons):
        cite(person, MANY if i == 0 else 1)

    aliases = [PersonAlias(person=p, name=f"A. P. {i:03d}", kind="short_name") for i, p in enumerate(persons)]
    aliases += [PersonAlias(person=persons[0], name=f"Aaa Zero {k}", kind="spelling_variant") for k in range(1, MANY)]
    for alias in PersonAlias.objects.bulk_create(aliases):
        cite(alias, 2 if alias.person_id == persons[0].pk else 1)

    identifiers = [PersonIdentifier(person=p, scheme="wikidata", value=f"Q9{i:03d}") for i, p in enumerate(persons)]
    identifiers += [PersonIdentifier(person=persons[0], scheme="wikidata", value=f"Q8{k:03d}") for k in range(1, MANY)]
    for identifier in PersonIdentifier.objects.bulk_create(identifiers):
        cite(identifier)

    # Each person is the sibling of the next (so the subject of one relation and
    # the object of one); person 0 is also the parent of 1..4 and spouse of 95..99.
    relations = [PersonRelation(subject=p, object=persons[(i + 1) % N], kind="sibling") for i, p in enumerate(persons)]
    relations += [PersonRelation(subject=persons[0], object=persons[k], kind="parent") for k in range(1, MANY)]
    relations += [PersonRelation(subject=persons[N - k], object=persons[0], kind="spouse") for k in range(1, MANY)]
    for relation in PersonRelation.objects.bulk_create(relations):
        cite(relation, 2 if persons[0].pk in (relation.subject_id, relation.object_id) else 1)

    # Postings: a police posting and a party office ("leader") per person, both
    # with an organisation and a place; person 0 has MANY of each.
    postings = []
    for i, p in enumerate(persons):
        postings.append(
            Posting(
                person=p,
                role="superintendent of police",
                rank="SP",
                organisation=units[i],
                place=places[i],
                start=day(i),
                end=day(i + 400),
            )
        )
        postings.append(
            Posting(person=p, role="leader", organisation=parties[i], place=places[i], start=day(i + 1000), end="")
        )
    for k in range(1, MANY):
        postings.append(
            Posting(person=persons[0], role="inspector", organisation=units[k], place=places[k], start=day(2000 + k))
        )
        postings.append(
            Posting(person=persons[0], role="member", organisation=parties[k], place=places[k], start=day(2100 + k))
        )
    # Party 0 has MANY leaders.
    for k in range(1, MANY):
        postings.append(Posting(person=persons[k], role="Leader", organisation=parties[0], start=day(2200 + k)))
    postings = Posting.objects.bulk_create(postings)
    for posting in postings:
        cite(posting, 2 if posting.person_id == persons[0].pk else 1)

    # Elections: one phase, one party result and one candidacy each; election 0 has MANY.
    elections = Election.objects.bulk_create(
        Election(
            slug=f"aaa-election-{i:03d}",
            name=f"Aaa Election {i:03d}",
            jurisdiction=state,
            body=assembly,
            seats=100,
            start=day(i),
            end=day(i + 30),
            announced=day(0),
            counting=day(i + 40),
        )
        for i in range(N)
    )
    for i, election in enumerate(elections):
        cite(election, MANY if i == 0 else 1)
    phases = [ElectionPhase(election=e, number=1, poll_date=day(i)) for i, e in enumerate(elections)]
    phases += [ElectionPhase(election=elections[0], number=k + 1, poll_date=day(k)) for k in range(1, MANY)]
    for phase in ElectionPhase.objects.bulk_create(phases):
        cite(phase)
    results = [
        PartyResult(election=e, party=parties[i], seats_won=10, seats_with_allies=12, vote_share=Decimal("12.50"))
        for i, e in enumerate(elections)
    ]
    # Election 0 has results of parties 0..4; party 0 has results in elections 0..4.
    results += [PartyResult(election=elections[0], party=parties[k], seats_won=k) for k in range(1, MANY)]
    results += [PartyResult(election=elections[k], party=parties[0], seats_won=k) for k in range(1, MANY)]
    for result in PartyResult.objects.bulk_create(results):
        cite(result)
    # Party i governs place i; party 0 governs places 1..4 too, and parties 0..4 the state.
    governments = [Government(party=parties[i], place=places[i], start=day(i)) for i in range(N)]
    governments += [Government(party=parties[0], place=places[k], start=day(3000 + k)) for k in range(1, MANY)]
    governments += [Government(party=parties[k], place=state, start=day(3100 + k)) for k in range(MANY)]
    for government in Government.objects.bulk_create(governments):
        cite(government)
    candidacies = [
        Candidacy(person=p, election=elections[i], party=parties[i], place=places[i]) for i, p in enumerate(persons)
    ]
    candidacies += [Candidacy(person=persons[k], election=elections[0], party=parties[k]) for k in range(1, MANY)]
    candidacies += [Candidacy(person=persons[0], election=elections[k], place=places[k]) for k in range(1, MANY)]
    for candidacy in Candidacy.objects.bulk_create(candidacies):
        cite(candidacy)

    # Events: one per person, with the next person as participant; events come
    # in contradicting pairs (0-1, 2-3...). Person 0 has MANY events, each with
    # MANY participants, all contradicting each other.
    events = [
        Event(person=p, kind="meeting", title=f"Meeting {i:03d}", organisation=units[i], date=day(i))
        for i, p in enumerate(persons)
    ]
    events += [
        Event(person=persons[0], kind="statement", title=f"Statement {k}", date=day(3000 + k)) for k in range(1, MANY)
    ]
    events = Event.objects.bulk_create(events)
    for event in events:
        cite(event, 2 if event.person_id == persons[0].pk else 1)
    participants = Event.participants.through
    rows, pairs = [], {}
    for i in range(N):
        rows.append(participants(event=events[i], person=persons[(i + 1) % N]))
        pairs.setdefault(frozenset((events[i].pk, events[i ^ 1].pk)), (events[i], events[i ^ 1]))
    zero = [events[0], *events[N:]]
    for event in zero[1:]:
        rows += [participants(event=event, person=persons[k]) for k in range(1, MANY + 1)]
    for a in zero:
        for b in zero:
            if a is not b:
                pairs.setdefault(frozenset((a.pk, b.pk)), (a, b))
    participants.objects.bulk_create(rows)
    event_type = ContentType.objects.get_for_model(Event)
    ClaimLink.objects.bulk_create(
        ClaimLink(claim_type=event_type, claim_id=a.pk, kind="contradicts", target_type=event_type, target_id=b.pk)
        for a, b in pairs.values()
    )

    cite(places[99], source=lone_source)  # the lone source's one citation

    # Bare records: nothing related at all.
    bare = {
        "persons": Person.objects.create(slug="zzz-bare", name="Zzz Bare"),
        "parties": Party.objects.create(slug="zzz-bare-party", name="Zzz Bare Party"),
        "organisations": Organisation.objects.create(slug="zzz-bare-org", name="Zzz Bare Org", kind="other"),
        "places": Place.objects.create(slug="zzz-bare-place", name="Zzz Bare Place", kind="city"),
        "elections": None,
        "sources": extra_sources[0],
    }
    bare["elections"] = Election.objects.create(slug="zzz-bare-election", name="Zzz Bare", jurisdiction=state)
    nobody = Person.objects.create(slug="zzz-nobody", name="Zzz Nobody")
    bare["postings"] = Posting.objects.create(person=nobody, role="nobody")
    cite.save()
    return World(
        source=source,
        lone_source=lone_source,
        bare_source=extra_sources[0],
        state=state,
        places=places,
        police=police,
        units=units,
        assembly=assembly,
        parties=parties,
        persons=persons,
        postings=postings,
        elections=elections,
        bare=bare,
    )


def warm_content_types() -> None:
    """GenericRelation prefetches look their ContentType up in a process-wide
    cache; fill it so that no budget depends on which test ran first."""
    ContentType.objects.get_for_models(*apps.get_app_config("records").get_models())


ENDPOINT_MODELS = {
    "persons": Person,
    "postings": Posting,
    "parties": Party,
    "organisations": Organisation,
    "places": Place,
    "elections": Election,
    "sources": Source,
}


@pytest.fixture(scope="module")
def module_world(seed_data, django_db_blocker):
    """The seeds (as the `seeded` fixture loads them) and the world, built once
    for this module inside a transaction that is rolled back at its end; each
    test runs in its own savepoint within it and reads only."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_ids = {name: list(model.objects.values_list("id", flat=True)) for name, model in ENDPOINT_MODELS.items()}
        built = build_world()
        built.seed_ids = seed_ids
        settle_module_data()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db) -> World:
    warm_content_types()
    return module_world


def get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


# -- list endpoints -----------------------------------------------------------

LIST_BUDGETS = {
    # 1 people page (native place joined), 2 their postings, 3 their candidacies (the rows' context)
    "persons": 3,
    # 1 postings page (person, organisation, place joined), 2 their citations (source joined),
    # 3 their links to other claims
    "postings": 3,
    # 1 parties page, 2 their aliases, 3 the citations of the parties and their aliases
    "parties": 3,
    # 1 organisations page (place joined), 2 their aliases, 3 the citations of both
    "organisations": 3,
    # 1 places page, 2 their citations
    "places": 2,
    # 1 elections page (jurisdiction, body joined), 2 their citations
    "elections": 2,
    # 1 sources page (text deferred)
    "sources": 1,
}

# What every row of a full page of each list must carry, so that the page
# exercises every prefetch (a prefetch over no rows runs no query).
LIST_RELATED = {
    "persons": ["native_place"],
    "postings": ["person", "organisation", "place", "citations"],
    "parties": ["aliases", "citations"],
    "organisations": ["aliases", "citations"],
    "places": ["citations"],
    "elections": ["jurisdiction", "body", "citations"],
    "sources": [],
}


@pytest.mark.parametrize("endpoint", LIST_BUDGETS)
@pytest.mark.parametrize("page_size", [1, N])
def test_a_list_page_costs_the_same_whatever_its_size(world, client, django_assert_num_queries, endpoint, page_size):
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS[endpoint]):
        body = get(client, f"{API}/{endpoint}/", page_size=page_size)
    assert len(body["results"]) == page_size
    for row in body["results"]:
        for name in LIST_RELATED[endpoint]:
            assert row[name], (endpoint, row["id"], name)
    if endpoint in ("parties", "organisations"):
        assert all(alias["citations"] for row in body["results"] for alias in row["aliases"])


@pytest.mark.parametrize("endpoint", LIST_BUDGETS)
@pytest.mark.parametrize("page_size", [1, N])
def test_count_true_adds_exactly_one_count_query(world, client, django_assert_num_queries, endpoint, page_size):
    # The list's budget, plus 1 SELECT COUNT(*) over the filtered rows.
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS[endpoint] + 1) as captured:
        body = get(client, f"{API}/{endpoint}/", page_size=page_size, count="true")
    assert body["count"] > N
    assert sum("COUNT(" in q["sql"].upper() for q in captured.captured_queries) == 1


@pytest.mark.parametrize("page_size", [1, N])
def test_a_second_page_costs_what_the_first_costs(world, client, django_assert_num_queries, page_size):
    first = get(client, f"{API}/postings/", page_size=page_size)
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS["postings"]):
        second = client.get(first["next"]).json()
    assert len(second["results"]) == page_size


# Filters that name a related record resolve it (one query each, so that an
# unknown key is a 400); other filters only add conditions to the page query.
FILTER_BUDGETS = [
    # 1 resolve the organisation slug, 2 postings page (subtree as a subquery), 3 citations, 4 links
    ("postings", {"organisation": "aaa-police"}, 4),
    # 1 resolve the organisation id, 2 postings page, 3 citations, 4 links
    ("postings", {"organisation_id": "{police}"}, 4),
    # 1 resolve the organisation, 2 resolve the place, 3 postings page, 4 citations, 5 links
    ("postings", {"organisation": "aaa-police", "place": "aaa-state"}, 5),
    # 1 resolve the person, 2 postings page, 3 citations, 4 links
    ("postings", {"person": "aaa-person-000"}, 4),
    # no related record: 1 postings page, 2 citations, 3 links
    ("postings", {"role": "police", "status": "confirmed", "started_after": "1800-01-01"}, 3),
    # knowledge time (EXISTS over citations): 1 postings page, 2 citations, 3 links
    ("postings", {"as_of": "1800-01-10"}, 3),
    # 1 resolve the party (slug or abbreviation), 2 people page (postings as a subquery), 3-4 context
    ("persons", {"party": "aaa-party-000"}, 4),
    # 1 resolve the organisation, 2 resolve the place, 3 people page, 4-5 context
    ("persons", {"organisation": "AAAP", "place": "aaa-state", "role": "police"}, 5),
    # no related record: 1 people page, 2-3 context (postings, candidacies)
    ("persons", {"q": "aaa person", "ordering": "-birth_date"}, 3),
    # no related record: 1 parties page, 2 aliases, 3 citations (parties and aliases)
    ("parties", {"q": "aaa party", "ordering": "abbreviation"}, 3),
    # a ranked search (no ordering: best match first, the score part of the page query): the same reads
    ("persons", {"q": "aaa persn"}, 3),
    ("parties", {"q": "aaa party"}, 3),
    # 1 organisations page, 2 aliases, 3 citations (organisations and aliases); "unt" is Unit by its sound
    ("organisations", {"q": "aaa unt"}, 3),
    # 1 places page, 2 citations
    ("places", {"q": "aaa"}, 2),
    # 1 resolve the organisation, 2 organisations page, 3 aliases, 4 citations (organisations and aliases)
    ("organisations", {"within": "aaa-police"}, 4),
    # 1 resolve the place, 2 places page, 3 citations
    ("places", {"within": "aaa-state"}, 3),
    # 1 resolve the jurisdiction, 2 resolve the body, 3 elections page, 4 citations
    ("elections", {"jurisdiction": "aaa-state", "body": "aaa-assembly"}, 4),
    # no related record (EXISTS subquery): 1 elections page, 2 citations
    ("elections", {"has_results": "true", "year": "1800"}, 2),
    # 1 resolve the person, 2 sources page (citing records as subqueries)
    ("sources", {"mentions": "aaa-person-000"}, 2),
    # 1 resolve the source (once: the page's nested records and citations take the filters' point of view),
    # 2 postings page, 3 citations, 4 links
    ("postings", {"according_to": "aaa-budget-source"}, 4),
    # 1 resolve the source, 2 people page, 3-4 context
    ("persons", {"according_to": "aaa-budget-source", "as_of": "1800-01-10"}, 4),
]


# Lists whose default order's first column may be NULL (records/api/keyset.py,
# fetch_after): a page reads the rows with a value, then, if they run out before
# the page (and the one row that tells whether another follows) is full, the NULL tail.
NULLABLE_FIRST_KEY = {
    ("postings", None): (Posting, "start_sort"),
    ("elections", None): (Election, "start_earliest"),
    ("sources", None): (Source, "published_on"),
    ("persons", "birth_date"): (Person, "birth_date_earliest"),
}


def reads_the_tail(client, endpoint: str, params: dict, first_page: dict) -> int:
    """1 if a first page needed the second, NULL-tail query, else 0."""
    ordering = params.get("ordering", "").lstrip("-") or None
    if (endpoint, ordering) not in NULLABLE_FIRST_KEY:
        return 0
    model, column = NULLABLE_FIRST_KEY[(endpoint, ordering)]
    ids = [row["id"] for row in first_page["results"]]
    if first_page["next"] is not None:
        ids.append(client.get(first_page["next"]).json()["results"][0]["id"])
    valued = model.objects.filter(pk__in=ids, **{f"{column}__isnull": False}).count()
    return int(first_page["next"] is None or valued < len(ids))


def subtree_counts(endpoint: str, params: dict) -> int:
    """SQLite counts the rows in each subtree a filter names (an organisation and
    its units, a place and the places within it), up to a bound, to choose how
    to read the page (records/api/filtering.py, holds_many): one query each. The
    persons list counts a party's postings or candidacies too, to choose how to
    find their people (records/api/resources/persons.py, through_few)."""
    if connection.vendor != "sqlite":
        return 0
    filters = resolve(f"{API}/{endpoint}/").func.cls.filterset_class.base_filters
    subtrees = sum(getattr(filters[name], "subtree", False) and "__" not in filters[name].field_name for name in params)
    parties = {"party", "party_id", "candidate_party", "candidate_party_id"}
    return subtrees + (len(parties & set(params)) if endpoint == "persons" else 0)


def resolved_records(endpoint: str, params: dict) -> int:
    """The queries that resolve the records a list's filters name (a relation
    filter's record, ``according_to``'s source): one each, made with its plan."""
    filters = resolve(f"{API}/{endpoint}/").func.cls.filterset_class.base_filters
    return sum(hasattr(filters[name], "record_queryset") or name == "according_to" for name in params)


def sparse_source_counts(params: dict) -> int:
    """SQLite counts a source's citations of the list's kind, up to a bound, to
    choose how to read the page (records/knowledge.py, cited_by_few): one query."""
    return int(connection.vendor == "sqlite" and "according_to" in params)


@pytest.mark.parametrize(
    ("endpoint", "params", "budget"),
    [pytest.param(*case, id=f"{case[0]}?{'&'.join(case[1])}") for case in FILTER_BUDGETS],
)
@pytest.mark.parametrize("page_size", [1, N])
def test_filters_that_name_a_record_add_one_query_each(
    world, client, django_assert_num_queries, endpoint, params, budget, page_size
):
    params = {k: v.format(police=world.police.pk) for k, v in params.items()}
    body = get(client, f"{API}/{endpoint}/", page_size=page_size, **params)
    budget += reads_the_tail(client, endpoint, params, body)
    plan_counts = subtree_counts(endpoint, params) + sparse_source_counts(params)
    remembered.forget()  # counted as a first request
    with django_assert_num_queries(VERSIONS + budget + plan_counts):
        body = get(client, f"{API}/{endpoint}/", page_size=page_size, **params)
    if page_size == 1:
        assert len(body["results"]) == 1
    elif endpoint != "sources":  # the mentioned person is cited from one source only
        assert len(body["results"]) > 1
    # Asked again, nothing changed: the list's plan is kept (records/remembered.py), the
    # records its filters name resolved in it: the page and what it nests are read again ...
    kept = budget - resolved_records(endpoint, params)
    with django_assert_num_queries(VERSIONS + kept):
        again = get(client, f"{API}/{endpoint}/", page_size=page_size, **params)
    assert again == body
    # ... and count=true adds its one COUNT on top, once for the plan.
    with django_assert_num_queries(VERSIONS + kept + 1):
        counted = get(client, f"{API}/{endpoint}/", page_size=page_size, count="true", **params)
    assert counted["count"] >= len(body["results"])
    with django_assert_num_queries(VERSIONS + kept):
        assert get(client, f"{API}/{endpoint}/", page_size=page_size, count="true", **params) == counted


# -- detail endpoints ---------------------------------------------------------

DETAIL_BUDGETS = {
    # Read specs (records/api/resources/) read every citation of a detail in one query:
    # 1 person (native place joined), 2 aliases, 3 identifiers, 4 relations as subject (other
    # person joined), 5 relations as object (other person joined), 6 postings (organisation, place
    # joined), 7 party memberships, 8 candidacies (election, party, place, contest with its
    # constituency and district joined), 9 events (organisation joined), 10 event participants,
    # 11 contradicting links, 12 the events they join (to order them), 13 the citations of the person,
    # aliases, identifiers, relations, postings, candidacies and events, 14 the links of its claims. The
    # context comes from the postings and candidacies read.
    "persons": 14,
    # 1 posting (person, organisation, place joined), 2 its citations, 3 its links
    "postings": 3,
    # 1 party, 2 aliases, 3 identifiers, 4 leader postings (person joined), 5 results (election
    # joined), 6 governments (place joined), 7 the citations of all of them, 8 the results' links
    "parties": 8,
    # 1 organisation (place joined), 2 aliases, 3 identifiers, 4 the citations of all three
    "organisations": 4,
    # 1 place, 2 identifiers, 3 governments (party joined), 4 the citations of all three
    "places": 4,
    # 1 election (jurisdiction, body joined), 2 phases, 3 results (party joined),
    # 4 candidacies (person, party, place joined), 5 how many contests (records.selectors),
    # 6 alliances, 7 the claims (party joined): both read by the claim checks (result_checks),
    # 8 the citations of all of them, 9 the links of the results and candidacies.
    # No contests here, so no tally: tests/test_api_results.py measures an election with them.
    "elections": 9,
    # 1 source (with its text), 2 its citations (content type joined)
    "sources": 2,
}

# A record with no related rows: the lists nested under an empty list do not run.
BARE_BUDGETS = {
    # 1 person, 2 aliases, 3 identifiers, 4 relations as subject, 5 relations as object,
    # 6 postings, 7 memberships, 8 candidacies, 9 events, 10 citations (no claim: no links)
    "persons": 10,
    # 1 posting, 2 citations, 3 links (a posting is a claim)
    "postings": 3,
    # 1 party, 2 aliases, 3 identifiers, 4 leader postings, 5 results, 6 governments, 7 citations
    "parties": 7,
    # 1 organisation, 2 aliases, 3 identifiers, 4 citations
    "organisations": 4,
    # 1 place, 2 identifiers, 3 governments, 4 citations
    "places": 4,
    # 1 election, 2 phases, 3 results, 4 candidacies, 5 contests?, 6 alliances, 7 claims, 8 citations
    "elections": 8,
    # 1 source, 2 citations
    "sources": 2,
}


def one_and_many(world: World, endpoint: str):
    """(key of a record with one related row of each kind, key of one with many)."""
    return {
        "persons": (world.persons[50].slug, world.persons[0].slug),
        "postings": (world.postings[100].pk, world.postings[0].pk),
        "parties": (world.parties[50].slug, world.parties[0].slug),
        "organisations": (world.units[50].slug, world.police.slug),
        "places": (world.places[50].slug, world.state.slug),
        "elections": (world.elections[50].slug, world.elections[0].slug),
        "sources": (world.lone_source.slug, world.source.slug),
    }[endpoint]


# Collections in each detail response that must be non-empty for the record
# with one related row of each kind (lists of lists: nested collections).
DETAIL_SECTIONS = {
    "persons": [
        "aliases",
        "aliases.citations",
        "identifiers",
        "identifiers.citations",
        "relations",
        "relations.citations",
        "postings",
        "postings.citations",
        "memberships",
        "memberships.citations",
        "candidacies",
        "candidacies.citations",
        "events",
        "events.participants",
        "events.contradicts",
        "events.citations",
        "citations",
    ],
    "postings": ["citations"],
    "parties": [
        "aliases",
        "aliases.citations",
        "identifiers",
        "identifiers.citations",
        "leaders",
        "leaders.citations",
        "results",
        "results.citations",
        "governs",
        "governs.citations",
        "citations",
    ],
    "organisations": ["aliases", "aliases.citations", "identifiers", "identifiers.citations", "citations"],
    "places": ["identifiers", "identifiers.citations", "governed_by", "governed_by.citations", "citations"],
    "elections": [
        "phases",
        "phases.citations",
        "results",
        "results.citations",
        "candidacies",
        "candidacies.citations",
        "citations",
    ],
    "sources": ["claims"],
}


def section_sizes(body: dict, endpoint: str) -> dict[str, int]:
    sizes = {}
    for path in DETAIL_SECTIONS[endpoint]:
        outer, _, inner = path.partition(".")
        rows = body[outer]
        sizes[path] = sum(len(row[inner]) for row in rows) if inner else len(rows)
    return sizes


@pytest.mark.parametrize("endpoint", DETAIL_BUDGETS)
def test_a_detail_costs_the_same_with_one_or_many_related_rows(world, client, django_assert_num_queries, endpoint):
    one, many = one_and_many(world, endpoint)

    with django_assert_num_queries(VERSIONS + DETAIL_BUDGETS[endpoint]):
        body = get(client, f"{API}/{endpoint}/{one}/")
    sizes = section_sizes(body, endpoint)
    expected = dict.fromkeys(sizes, 1)  # exactly one related row of each kind...
    if endpoint == "persons":  # ... one relation as subject and one as object
        expected.update({"relations": 2, "relations.citations": 2})
    assert sizes == expected

    with django_assert_num_queries(VERSIONS + DETAIL_BUDGETS[endpoint]):
        body = get(client, f"{API}/{endpoint}/{many}/")
    sizes = section_sizes(body, endpoint)
    assert min(sizes.values()) >= 2, sizes  # several of each kind


@pytest.mark.parametrize("endpoint", [name for name in DETAIL_BUDGETS if name != "postings"])  # postings: no slug
def test_a_detail_costs_the_same_by_id_or_by_slug(world, client, django_assert_num_queries, endpoint):
    one, _ = one_and_many(world, endpoint)
    record_id = get(client, f"{API}/{endpoint}/{one}/")["id"]
    with django_assert_num_queries(VERSIONS + DETAIL_BUDGETS[endpoint]):
        body = get(client, f"{API}/{endpoint}/{record_id}/")
    assert body["id"] == record_id


@pytest.mark.parametrize("endpoint", BARE_BUDGETS)
def test_a_record_with_nothing_related_skips_the_nested_prefetches(world, client, django_assert_num_queries, endpoint):
    key = world.bare[endpoint].pk
    with django_assert_num_queries(VERSIONS + BARE_BUDGETS[endpoint]):
        body = get(client, f"{API}/{endpoint}/{key}/")
    if endpoint != "postings":
        assert not any(section_sizes(body, endpoint).values())


@pytest.mark.parametrize("endpoint", DETAIL_BUDGETS)
def test_an_unknown_record_is_one_query(world, client, django_assert_num_queries, endpoint):
    # 1 the record lookup (no prefetch runs for no row);
    # persons: 2 whether the id was merged into another person (a 301 then)
    with django_assert_num_queries(VERSIONS + (2 if endpoint == "persons" else 1)):
        response = client.get(f"{API}/{endpoint}/999999999/")
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", DETAIL_BUDGETS)
def test_the_seed_records_stay_within_the_budgets(world, client, django_assert_max_num_queries, endpoint):
    """The seed records have fewer related rows (some prefetches have nothing to
    do), so they may cost less, never more."""
    assert world.seed_ids[endpoint]
    for record_id in world.seed_ids[endpoint]:
        with django_assert_max_num_queries(VERSIONS + DETAIL_BUDGETS[endpoint]):
            get(client, f"{API}/{endpoint}/{record_id}/")
