"""The curation admin: every page renders, search finds people and parties by
any name, bad fuzzy dates are refused, evidence is shown, and no page makes a
query per row."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from records.admin.citations import CitationInline
from records.models import (
    Alliance,
    Candidacy,
    Citation,
    ClaimLink,
    Constituency,
    ConstituencyAlias,
    ConstituencyIdentifier,
    Contest,
    Election,
    ElectionPhase,
    Event,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Party,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
    PersonRelation,
    Place,
    PlaceIdentifier,
    PossibleMatch,
    Posting,
    Source,
)

RECORDS_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "records"]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:records_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """A change form's current values, posted back as a browser would."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None:
                data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def test_every_model_is_registered():
    # Historical rows are shown on each record's own history page.
    curated = {m for m in apps.get_app_config("records").get_models() if not m.__name__.startswith("Historical")}
    assert set(RECORDS_ADMINS) == curated


def test_every_cited_record_shows_its_citations():
    without = [model for model in RECORDS_ADMINS if CitationInline not in admin.site._registry[model].inlines]
    assert set(without) == {Source, Citation, PersonMerge, PossibleMatch}  # the four that are not cited records


def test_related_records_are_picked_by_autocomplete():
    """A plain <select> would load every person (or posting...) once per form row."""
    model_admins = [admin.site._registry[model] for model in RECORDS_ADMINS]
    model_admins += [inline(ma.model, admin.site) for ma in model_admins for inline in ma.inlines]
    plain_selects = []
    for model_admin in model_admins:
        shown = [name for entry in model_admin.fields for name in (entry if isinstance(entry, tuple) else (entry,))]
        for name in shown:
            field = model_admin.model._meta.get_field(name) if hasattr(model_admin.model, name) else None
            if field is None or not field.is_relation or name in model_admin.readonly_fields:
                continue
            # Content types are few (the kinds of records): a plain select lists them.
            if field.related_model is not ContentType and name not in model_admin.autocomplete_fields:
                plain_selects.append(f"{type(model_admin).__name__}.{name}")
    assert plain_selects == []


def make_one(model):
    """A record of a model the seeds hold none of (identifiers, official results)."""
    up, bjp = Place.objects.get(slug="uttar-pradesh"), Party.objects.get(slug="bjp")
    election = Election.objects.get(slug="up-2017")
    if model is PersonIdentifier:
        asim = Person.objects.get(slug="asim-arun")
        return PersonIdentifier.objects.create(person=asim, scheme="wikidata", value="Q1")
    if model is OrganisationIdentifier:
        return OrganisationIdentifier.objects.create(organisation=bjp, scheme="wikidata", value="Q10230")
    if model is PlaceIdentifier:
        return PlaceIdentifier.objects.create(place=up, scheme="iso-3166-2", value="IN-UP")
    if model is PersonMerge:
        return PersonMerge.objects.create(kept=Person.objects.get(slug="asim-arun"), removed_id=999, removed_name="A")
    if model is ClaimLink:
        later, earlier = Posting.objects.filter(person__slug="asim-arun").order_by("pk")[:2]
        posting = ContentType.objects.get_for_model(Posting)
        return ClaimLink.objects.create(
            claim_type=posting, claim_id=later.pk, kind="confirms", target_type=posting, target_id=earlier.pk
        )
    if model is PossibleMatch:
        asim, father = Person.objects.get(slug="asim-arun"), Person.objects.get(slug="arun-ram")
        return PossibleMatch.objects.create(incoming=father, existing=asim, score=4.0, evidence=[])
    constituency, _ = Constituency.objects.get_or_create(
        slug="up-901-test", defaults={"jurisdiction": up, "number": 901, "name": "Test"}
    )  # one for every model that needs it (a test may make several)
    if model is Constituency:
        return constituency
    if model is Contest:
        return Contest.objects.create(election=election, constituency=constituency, total_votes=10, nota_votes=1)
    if model is ConstituencyAlias:
        return ConstituencyAlias.objects.create(constituency=constituency, name="TEST")
    if model is ConstituencyIdentifier:
        return ConstituencyIdentifier.objects.create(constituency=constituency, scheme="eci-ac", value="2008:UP:901")
    alliance = Alliance.objects.create(election=election, name="NDA", slug="nda", leader=bjp)
    alliance.parties.add(bjp)
    return alliance


@pytest.mark.parametrize("model", RECORDS_ADMINS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, seeded, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # Merges are made by the merge action, possible matches by imports: never on an add page.
    assert admin_client.get(admin_url(model, "add")).status_code == (
        403 if model in (PersonMerge, PossibleMatch) else 200
    )
    obj = model._default_manager.order_by("pk").first() or make_one(model)
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("query", ["Asim Kumar Arun", "asim kumar arun", "ASIM KUMAR-ARUN", '"kumar arun"'])
def test_person_search_finds_any_other_name(admin_client, seeded, query):
    response = admin_client.get(admin_url(Person, "changelist"), {"q": query})
    assert [person.name for person in response.context["cl"].result_list] == ["Asim Arun"]


def test_person_autocomplete_finds_other_names(admin_client, seeded):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "records", "model_name": "posting", "field_name": "person", "term": "asim kumar arun"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Asim Arun"]


def test_party_search_finds_a_misspelling(admin_client, seeded):
    response = admin_client.get(admin_url(Party, "changelist"), {"q": "Bharatiya Janta Party"})
    assert [party.abbreviation for party in response.context["cl"].result_list] == ["BJP"]


def test_bad_fuzzy_date_is_refused_by_name_and_nothing_is_saved(admin_client, seeded):
    posting = Posting.objects.filter(person__slug="asim-arun").order_by("pk").first()
    url = admin_url(Posting, "change", posting.pk)
    data = form_data(admin_client.get(url))
    data.update(start="2021-13", role="a role that must not be saved")

    response = admin_client.post(url, data)

    assert response.status_code == 200  # re-rendered, not redirected
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["start"]
    assert "2021-13" in errors["start"][0]
    assert "2021-13" in response.content.decode()
    unchanged = Posting.objects.get(pk=posting.pk)
    assert (unchanged.role, unchanged.start, unchanged.updated_at) == (posting.role, posting.start, posting.updated_at)


def test_change_form_saves_its_own_values_back(admin_client, seeded):
    """The harness above posts a valid form: only the bad date made it fail."""
    posting = Posting.objects.filter(person__slug="asim-arun").order_by("pk").first()
    url = admin_url(Posting, "change", posting.pk)
    data = form_data(admin_client.get(url))
    data["start"] = "2021-03"

    assert admin_client.post(url, data).status_code == 302
    saved = Posting.objects.get(pk=posting.pk)
    assert (saved.start, str(saved.start_earliest), str(saved.start_latest)) == ("2021-03", "2021-03-01", "2021-03-31")


def test_citation_page_marks_the_quote_in_its_source(admin_client, seeded):
    citation = Citation.objects.select_related("source").order_by("pk").first()
    html = admin_client.get(admin_url(Citation, "change", citation.pk)).content.decode()
    assert f"<mark>{escape(citation.quote)}</mark>" in html
    assert f"published {citation.source.published_on}" in html


def test_evidence_is_escaped(admin_client, seeded):
    source = Source.objects.create(slug="hostile", sha256="0" * 64, text="Before <script>x()</script> <b>bold</b>.")
    person = Person.objects.get(slug="asim-arun")
    citation = Citation.objects.create(source=source, record=person, quote="<b>bold</b>", start=28, end=39)
    html = admin_client.get(admin_url(Citation, "change", citation.pk)).content.decode()
    assert "<mark>&lt;b&gt;bold&lt;/b&gt;</mark>" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "<script>x()" not in html


def test_citation_offsets_default_to_the_quotes_first_occurrence(admin_client, seeded):
    source = Source.objects.order_by("pk").first()
    person = Person.objects.get(slug="asim-arun")
    quote = "Arun is the son of Arun Ram"
    data = {
        "source": source.pk,
        "content_type": Citation._meta.get_field("content_type").related_model.objects.get_for_model(Person).pk,
        "object_id": person.pk,
        "field": "",
        "quote": quote,
        "start": "",
        "end": "",
        "said": "",
    }
    assert admin_client.post(admin_url(Citation, "add"), data).status_code == 302
    citation = Citation.objects.latest("pk")
    assert (citation.record, citation.quote) == (person, quote)
    assert source.text[citation.start : citation.end] == quote


def test_source_page_lists_the_records_citing_it(admin_client, seeded):
    source = Source.objects.order_by("pk").first()
    html = admin_client.get(admin_url(Source, "change", source.pk)).content.decode()
    asim = Person.objects.get(slug="asim-arun")
    up_2022 = Election.objects.get(slug="up-2022")
    assert f'<a href="{admin_url(Person, "change", asim.pk)}">Asim Arun</a>' in html
    assert f'<a href="{admin_url(Election, "change", up_2022.pk)}">{up_2022.name}</a>' in html
    for kind in ("people", "postings", "organisations", "elections"):
        assert f"<h4>{kind} (" in html


def test_source_text_and_hash_are_read_only(admin_client, seeded):
    source = Source.objects.order_by("pk").first()
    form = admin_client.get(admin_url(Source, "change", source.pk)).context["adminform"].form
    assert "text" not in form.fields
    assert "sha256" not in form.fields


def test_a_new_source_is_added_by_its_hash_without_text(admin_client, seeded):
    """Text comes only from seeds/; a dataset known by its URL needs its hash once."""
    url = admin_url(Source, "add")
    assert "text" not in admin_client.get(url).context["adminform"].form.fields
    data = {
        "slug": "eci-results",
        "kind": "dataset",
        "sha256": "a" * 64,
        "language": "en",
        "url": "https://eci.gov.in/",
    }
    assert admin_client.post(url, {**data, "sha256": "not a hash"}).status_code == 200
    assert admin_client.post(url, data).status_code == 302
    assert Source.objects.get(slug="eci-results").text == ""


# Query counts. Each page is requested once to warm the content-type cache
# (as in a running server), then measured; the bound is the measured count,
# and it must hold after 20 more rows of every kind are added.

# session, user, the person, then one query per inline: aliases, identifiers,
# relations, postings, events, candidacies, citations, plus the citations'
# sources (prefetched once). Related rows the inlines show are joined.
PERSON_CHANGE_QUERIES = 11
# session, user, the organisation and place filters' choices, the filtered and
# the full count, the page of postings (joined to person, organisation,
# place), and the date hierarchy's range and years.
POSTING_CHANGELIST_QUERIES = 9
# session, user, the election, its phases, results, claimed candidacies and
# citations, the citations' sources, and records.selectors.election_results:
# the count of its official contests (none here, so no tally: see
# test_admin_results.py), alliances and the claims.
ELECTION_CHANGE_QUERIES = 11
# session, user, the source (with its citation count), its citations, then one
# in_bulk per kind of record cited (12 kinds in the seeds: governments, and the link between the two
# contradicting retirement events, among them).
SOURCE_CHANGE_QUERIES = 16


@pytest.fixture
def add_twenty_more(seeded):
    """Adds 20 more rows of every kind, around Asim Arun, the 2022 UP election
    and the first source, so their pages and every changelist grow."""
    return add_twenty_more_rows


def add_twenty_more_rows():
    asim = Person.objects.get(slug="asim-arun")
    up_2022 = Election.objects.get(slug="up-2022")
    source = Source.objects.order_by("pk").first()
    state, police = Place.objects.get(slug="uttar-pradesh"), Organisation.objects.get(slug="up-police")
    parties = list(Party.objects.all())
    previous = None
    for i in range(20):
        place = Place.objects.create(slug=f"place-{i}", name=f"Place {i}", kind="district", parent=state)
        unit = Organisation.objects.create(slug=f"unit-{i}", name=f"Unit {i}", kind="police", parent=police)
        OrganisationAlias.objects.create(organisation=unit, name=f"Unit number {i}", kind="other")
        person = Person.objects.create(slug=f"person-{i}", name=f"Person {i}", native_place=place)
        PersonAlias.objects.create(person=person, name=f"P. {i}", kind="short_name")
        PersonIdentifier.objects.create(person=person, scheme="wikidata", value=f"Q{100 + i}")
        OrganisationIdentifier.objects.create(organisation=unit, scheme="wikidata", value=f"Q{200 + i}")
        PlaceIdentifier.objects.create(place=place, scheme="lgd-district", value=str(300 + i))
        PersonRelation.objects.create(subject=asim, object=person, kind="relative")
        previous = Posting.objects.create(
            person=asim, role=f"role {i}", organisation=unit, place=place, start=str(2000 + i), previous=previous
        )
        event = Event.objects.create(person=asim, kind="other", title=f"event {i}", organisation=unit)
        event.participants.add(person)
        party = parties[i % len(parties)]
        Candidacy.objects.create(person=person, election=up_2022, party=party, place=place)
        PossibleMatch.objects.create(incoming=person, existing=asim, score=4.0, evidence=[], source=source)
        PartyResult.objects.create(election=up_2022, party=party, seats_won=i)
        ElectionPhase.objects.create(election=up_2022, number=100 + i, poll_date=f"2022-02-{i + 1:02}")
        Source.objects.create(slug=f"source-{i}", sha256=f"{i:064x}", text=f"Document {i}.")
        for record in (asim, person, up_2022, previous, event, unit, place):
            Citation.objects.create(source=source, record=record, quote=source.text[:10], start=0, end=10)


def measure(client, url, bound, django_assert_max_num_queries):
    client.get(url)
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_person_change_form_queries(admin_client, add_twenty_more, django_assert_max_num_queries):
    url = admin_url(Person, "change", Person.objects.get(slug="asim-arun").pk)
    measure(admin_client, url, PERSON_CHANGE_QUERIES, django_assert_max_num_queries)
    add_twenty_more()
    html = measure(admin_client, url, PERSON_CHANGE_QUERIES, django_assert_max_num_queries).content.decode()
    assert "role 19" in html
    assert "event 19" in html


def test_posting_changelist_queries(admin_client, add_twenty_more, django_assert_max_num_queries):
    url = admin_url(Posting, "changelist")
    measure(admin_client, url, POSTING_CHANGELIST_QUERIES, django_assert_max_num_queries)
    add_twenty_more()
    response = measure(admin_client, url, POSTING_CHANGELIST_QUERIES, django_assert_max_num_queries)
    assert response.context["cl"].result_count == Posting.objects.count() > 40


def test_election_change_form_queries(admin_client, add_twenty_more, django_assert_max_num_queries):
    url = admin_url(Election, "change", Election.objects.get(slug="up-2022").pk)
    measure(admin_client, url, ELECTION_CHANGE_QUERIES, django_assert_max_num_queries)
    add_twenty_more()
    html = measure(admin_client, url, ELECTION_CHANGE_QUERIES, django_assert_max_num_queries).content.decode()
    assert 'value="119"' in html  # the last added phase


def test_source_change_form_queries(admin_client, add_twenty_more, django_assert_max_num_queries):
    url = admin_url(Source, "change", Source.objects.order_by("pk").first().pk)
    measure(admin_client, url, SOURCE_CHANGE_QUERIES, django_assert_max_num_queries)
    add_twenty_more()
    html = measure(admin_client, url, SOURCE_CHANGE_QUERIES, django_assert_max_num_queries).content.decode()
    assert "role 19" in html


def test_changelists_do_not_query_per_row(admin_client, add_twenty_more):
    """No changelist makes more queries with 20 more rows of each kind.

    (The citation list labels its records with one query per kind of record on
    the page, so its count follows the page's mix of kinds, never its length.)"""

    def queries_per_changelist():
        counts = {}
        for model in RECORDS_ADMINS:
            url = admin_url(model, "changelist")
            admin_client.get(url)
            with CaptureQueriesContext(connection) as queries:
                admin_client.get(url)
            counts[model._meta.model_name] = len(queries)
        return counts

    before = queries_per_changelist()
    add_twenty_more()
    after = queries_per_changelist()
    assert {name: count for name, count in after.items() if count > before[name]} == {}


@pytest.mark.parametrize(("start", "end"), [("2021-03", "2019"), ("2021-03-15", "2021-03-01")])
def test_an_end_before_the_start_is_a_form_error_not_a_crash(admin_client, seeded, start, end):
    """The bound columns the constraint reads are derived, not on the form;
    the form still names the field and saves nothing."""
    posting = Posting.objects.exclude(start="").order_by("pk").first()
    url = admin_url(Posting, "change", posting.pk)
    data = {**form_data(admin_client.get(url)), "start": start, "end": end}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == ["The end date cannot be before the start date."]
    posting.refresh_from_db()
    assert (posting.start, posting.end) != (start, end)


def test_an_event_page_lists_its_contradicting_versions_as_claim_links(admin_client, seeded):
    approved = Event.objects.get(key="retirement-approved")
    (link,) = ClaimLink.objects.filter(kind="contradicts")
    for event in (approved, Event.objects.get(key="retirement-pending")):  # either side
        html = admin_client.get(admin_url(Event, "change", event.pk)).content.decode()
        assert admin_url(ClaimLink, "change", link.pk) in html
    html = admin_client.get(admin_url(Event, "change", approved.pk)).content.decode()
    event_type = ContentType.objects.get_for_model(Event).pk
    add = f"{admin_url(ClaimLink, 'add')}?claim_type={event_type}&amp;claim_id={approved.pk}&amp;kind=contradicts"
    assert add in html
    assert 'name="contradicts"' not in html  # no longer a box of its own
    form = admin_client.get(add.replace("&amp;", "&")).context["adminform"].form
    assert (form["claim_type"].value(), form["claim_id"].value(), form["kind"].value()) == (
        str(event_type),
        str(approved.pk),
        "contradicts",
    )
