"""The curation admin with official results imported: the 2017 Uttar Pradesh
file (403 contests, 4,853 candidacies and people, ~300 parties). Pages show
what sources claim next to the official numbers, never render thousands of
rows, and make a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from records.models import (
    Alliance,
    Candidacy,
    Citation,
    Constituency,
    Contest,
    Election,
    Organisation,
    Party,
    PartyResult,
    Person,
    Place,
    Source,
)
from tests.test_admin import admin_url, form_data, measure

OFFICIAL_CANDIDACIES = 4853


@pytest.fixture
def imported(results_2017, db):
    """Each test's changes are rolled back on top of the shared import."""
    return Election.objects.get(slug="up-2017")


@pytest.fixture
def nda(imported):
    """BJP and its two allies of 2017: 312 + 9 + 4 = 325 seats."""
    bjp = Party.objects.get(slug="bjp")
    alliance = Alliance.objects.create(election=imported, name="NDA", slug="nda-up-2017", leader=bjp)
    alliance.parties.set(
        [bjp, Party.objects.get(name="Apna Dal (soneylal)"), Party.objects.get(name="Suheldev Bhartiya Samaj Party")]
    )
    return alliance


class TableCells(HTMLParser):
    """The text of each cell, row by row, of the table with the given id."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.depth and tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, table_id: str) -> list[list[str]]:
    parser = TableCells(table_id)
    parser.feed(html)
    assert parser.rows, f"no table #{table_id}"
    return parser.rows


def cross_check(html: str) -> dict[str, dict]:
    """The election page's cross-check: per party, its heading (claim, sources)
    and per field [claimed, official, verdict, note]."""
    claims: dict[str, dict] = {}
    for row in table(html, "cross-check")[1:]:  # after the column headings
        if len(row) == 1:
            heading = row[0]
            current = claims[heading.split(" (")[0]] = {"heading": heading}
        else:
            field, *values = row
            current[field] = values
    return claims


# -- the election's page ------------------------------------------------------

# session, user, the election; its inlines: phases, party results, claimed
# candidacies, citations and their sources; the official results: contest and
# candidacy counts, the tally (total votes, per-party seats and votes), its
# parties, the datasets the contests cite, alliances, the claims and the
# claims' citations (records.selectors.election_results, shared with the API).
ELECTION_PAGE_QUERIES = 16
# ...and the alliance's parties.
ELECTION_PAGE_WITH_ALLIANCE_QUERIES = 17


def test_election_page_checks_claims_against_the_official_results(
    admin_client, imported, django_assert_max_num_queries
):
    response = measure(
        admin_client, admin_url(Election, "change", imported.pk), ELECTION_PAGE_QUERIES, django_assert_max_num_queries
    )
    html = response.content.decode()

    bjp = cross_check(html)["Bharatiya Janata Party"]
    assert bjp["seats won"] == ["312", "312", "agrees", ""]
    assert bjp["vote share"] == ["39.67", "39.67", "agrees", ""]
    claimed, official, verdict, note = bjp["seats with allies"]
    assert (claimed, official, verdict) == ("325", "—", "cannot check")
    assert "no alliance" in note
    # The claim's source (slug, date, quote) and the official dataset's (slug, license).
    claim_source = Source.objects.get(slug="002_2c5037d3f0a176ad")
    dataset = Source.objects.get(kind=Source.Kind.DATASET)
    assert "002_2c5037d3f0a176ad, 2022-01-10:" in bjp["heading"]
    assert "“the BJP won a landslide victory winning 312 Assembly seats alone and 325 with allies”" in bjp["heading"]
    assert f"official: {dataset.slug} (license: {dataset.license})" in bjp["heading"]
    assert claim_source.published_on.isoformat() == "2022-01-10"

    # The summary links to the election's contests.
    assert f'<a href="{admin_url(Contest, "changelist")}?election__id__exact={imported.pk}">403 contests</a>' in html
    assert "4,853 candidacies" in html

    # Only claimed candidacies (in no contest) are inline, not the 4,853 official ones.
    (candidacies,) = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Candidacy]
    claims = Candidacy.objects.filter(election=imported, contest__isnull=True)
    assert sorted(form.instance.pk for form in candidacies.formset.forms) == sorted(c.pk for c in claims)
    assert len(response.content) < 300_000


def test_an_alliance_makes_seats_with_allies_checkable(admin_client, nda, django_assert_max_num_queries):
    election = nda.election
    html = measure(
        admin_client,
        admin_url(Election, "change", election.pk),
        ELECTION_PAGE_WITH_ALLIANCE_QUERIES,
        django_assert_max_num_queries,
    ).content.decode()
    assert cross_check(html)["Bharatiya Janata Party"]["seats with allies"] == ["325", "325", "agrees", "alliance: NDA"]

    # The alliance's page: its members' official seats and the leader's claim.
    # session, user, the alliance (election and leader joined), its parties
    # (the form's value, then their labels for the autocomplete), its
    # citations; the official seats: the tally (total votes, per-party seats),
    # the members, the leader's claims.
    html = measure(
        admin_client, admin_url(Alliance, "change", nda.pk), 10, django_assert_max_num_queries
    ).content.decode()
    seats = table(html, "alliance-seats")
    assert [row[:2] for row in seats[1:-1]] == [
        ["BJP", "312"],
        ["Apna Dal (soneylal)", "9"],
        ["Suheldev Bhartiya Samaj Party", "4"],
    ]
    assert seats[-1][:2] == ["together", "325"]
    assert "claimed: 325 seats with allies</a>: agrees" in html

    # The party results list: the same verdict, the tally computed once for
    # the election with results, not at all for one without.
    # session, user, the election and party filters' choices, the filtered and
    # full counts, the page; which elections have results; for up-2017 the
    # tally (two), alliances and their parties, and the claims.
    PartyResult.objects.create(election=Election.objects.get(slug="up-2022"), party=nda.leader, seats_won=255)
    response = measure(admin_client, admin_url(PartyResult, "changelist"), 13, django_assert_max_num_queries)
    bjp_result = PartyResult.objects.get(election=election, party__slug="bjp")
    (row,) = [r for r in response.context["cl"].result_list if r.pk == bjp_result.pk]
    assert row.official_check.agrees is True
    assert [c.agrees for c in row.official_check.checks] == [True, True, True]
    claims_2022 = [r for r in response.context["cl"].result_list if r.election.slug == "up-2022"]
    assert claims_2022
    assert all(r.official_check is None for r in claims_2022)  # no results imported: cannot check


# -- every page with the whole file imported ----------------------------------

# (page, bound): each bound is the measured count, with the file's 403
# contests, 4,853 candidacies and people and ~300 parties in the database.
PAGE_BUDGETS = {
    # session, user, the election filter's choices, the winner's-party choices
    # (seats per party), the filtered and full counts, the page (constituency
    # and election joined, winner's margin and party as subqueries), and the
    # page's winners with their people and parties.
    "contest changelist": 8,
    # session, user, the contest (constituency and election joined), its
    # candidates (people and parties joined), its citations and their sources,
    # and its winner for the result line.
    "contest change": 7,
    # session, user, the jurisdiction filter's choices, the filtered and full
    # counts, the page (jurisdiction and district joined).
    "constituency changelist": 6,
    # session, user, the constituency, its aliases, its identifiers, its contests
    # (elections joined), their winners (people and parties), its citations and their sources.
    "constituency change": 9,
    # session, user, the place filter's choices, the filtered and full counts,
    # the page (parent and place joined).
    "party changelist": 6,
    # session, user, the party, its other names, its identifiers, its citations
    # and their sources, and its candidacies summed up per election (none inline).
    "party change": 8,
    # the same page as an organisation, without the candidacy summary.
    "organisation change": 7,
    # session, user, the native place and imported-from filters' choices, the
    # filtered and full counts, the page and the page's other names.
    "person changelist": 8,
    # session, user, the person; the inlines: other names, identifiers,
    # relations, postings, events, candidacies (contests, constituencies and
    # elections joined), citations and their sources; the dataset imported from.
    "imported person change": 12,
    # session, user, the election, party and place filters' choices, the
    # filtered and full counts, the page (person, election, party, place,
    # contest and its constituency and election joined).
    "candidacy changelist": 8,
    # session, user, the source (with its citation count), its citations, then
    # the first records of each kind citing it, one query per kind (8 kinds:
    # people's and constituencies' identifiers among them).
    "dataset source change": 12,
}


def page_urls() -> dict[str, str]:
    nakur = Contest.objects.get(constituency__name="Nakur")
    bjp = Party.objects.get(slug="bjp")
    imported_person = Person.objects.filter(imported_from__isnull=False).order_by("pk").first()
    return {
        "contest changelist": admin_url(Contest, "changelist"),
        "contest change": admin_url(Contest, "change", nakur.pk),
        "constituency changelist": admin_url(Constituency, "changelist"),
        "constituency change": admin_url(Constituency, "change", nakur.constituency_id),
        "party changelist": admin_url(Party, "changelist"),
        "party change": admin_url(Party, "change", bjp.pk),
        "organisation change": admin_url(Organisation, "change", bjp.pk),
        "person changelist": admin_url(Person, "changelist"),
        "imported person change": admin_url(Person, "change", imported_person.pk),
        "candidacy changelist": admin_url(Candidacy, "changelist"),
        "dataset source change": admin_url(Source, "change", Source.objects.get(kind=Source.Kind.DATASET).pk),
    }


def test_pages_render_within_their_query_budgets(admin_client, imported, django_assert_max_num_queries):
    responses = {}
    for name, url in page_urls().items():
        admin_client.get(url)  # warms the content-type cache, as in a running server
        with django_assert_max_num_queries(PAGE_BUDGETS[name], info=name):
            responses[name] = admin_client.get(url)
        assert responses[name].status_code == 200, name

    contests = responses["contest changelist"].context["cl"]
    assert (contests.result_count, len(contests.result_list)) == (403, 50)
    nakur = next(c for c in contests.result_list if c.constituency.name == "Nakur")
    assert (nakur.winners[0].person.name, nakur.winners[0].party.slug, nakur.winner_margin) == (
        "Dr.dharam Singh Saini",
        "bjp",
        4057,
    )

    # Nakur's candidates by votes; NOTA is the contest's count, not a candidate.
    response = responses["contest change"]
    contest = response.context["original"]
    (inline,) = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Candidacy]
    candidates = [form.instance for form in inline.formset.forms]
    assert [c.votes for c in candidates] == sorted((c.votes for c in candidates), reverse=True)
    assert candidates[0].person.name == "Dr.dharam Singh Saini"
    assert [c.rank for c in candidates] == sorted(c.rank for c in candidates)  # ties share a rank
    assert candidates[0].rank == 1
    assert len(candidates) == contest.candidacies.count()
    assert not any("nota" in c.ballot_name.lower() for c in candidates)
    assert contest.nota_votes is not None
    assert response.context["adminform"].form["nota_votes"].value() == contest.nota_votes
    assert f"NOTA (none of the above): {contest.nota_votes:,}" in response.content.decode()

    (inline,) = [
        f for f in responses["constituency change"].context["inline_admin_formsets"] if f.formset.model is Contest
    ]
    assert [form.instance.election.slug for form in inline.formset.forms] == ["up-2017"]
    assert "Dr.dharam Singh Saini" in responses["constituency change"].content.decode()

    party_page = responses["party change"].content.decode()
    assert "384 candidacies</a>, 384 in official results, 312 won, 34,403,039 votes" in party_page
    assert not [f for f in responses["party change"].context["inline_admin_formsets"] if f.formset.model is Candidacy]

    (inline,) = [
        f for f in responses["imported person change"].context["inline_admin_formsets"] if f.formset.model is Candidacy
    ]
    (form,) = inline.formset.forms
    assert form.instance.contest_id is not None
    assert (
        f'href="{admin_url(Contest, "change", form.instance.contest_id)}"'
        in responses["imported person change"].content.decode()
    )

    candidacies = responses["candidacy changelist"].context["cl"]
    assert (candidacies.result_count, len(candidacies.result_list)) == (Candidacy.objects.count(), 50)
    official = admin_client.get(admin_url(Candidacy, "changelist"), {"official": "yes"}).context["cl"]
    assert official.result_count == OFFICIAL_CANDIDACIES


def test_query_counts_do_not_follow_the_number_of_rows(admin_client, imported, monkeypatch):
    """A changelist makes as many queries for 200 rows as for 5; a contest,
    party or person page as many for the largest as for the smallest."""

    def count(url):
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    for model in (Contest, Constituency, Candidacy, Person, Party, Organisation, PartyResult, Alliance):
        model_admin = admin.site._registry[model]
        monkeypatch.setattr(model_admin, "list_per_page", 5)
        few = count(admin_url(model, "changelist"))
        monkeypatch.setattr(model_admin, "list_per_page", 200)
        many = count(admin_url(model, "changelist"))
        assert many == few, model._meta.model_name

    by_candidates = Contest.objects.annotate(n=Count("candidacies")).order_by("n", "pk")
    smallest, largest = by_candidates.first(), by_candidates.last()
    assert largest.n > 2 * smallest.n
    assert count(admin_url(Contest, "change", largest.pk)) == count(admin_url(Contest, "change", smallest.pk))

    by_candidacies = Party.objects.annotate(n=Count("candidacies")).filter(n__gt=0).order_by("n", "pk")
    smallest, largest = by_candidacies.first(), by_candidacies.last()
    assert largest.n >= 384
    assert count(admin_url(Party, "change", largest.pk)) == count(admin_url(Party, "change", smallest.pk))


def test_contests_are_filtered_by_winning_party_searched_and_sorted_by_margin(admin_client, imported):
    url = admin_url(Contest, "changelist")

    def contests(**params):
        return admin_client.get(url, params).context["cl"]

    bjp = Party.objects.get(slug="bjp")
    assert contests(winner_party=bjp.pk).result_count == 312
    assert contests(winner_party=bjp.pk, election__id__exact=imported.pk).result_count == 312
    independents = Candidacy.objects.filter(contest__isnull=False, won=True, party__isnull=True).count()
    assert contests(winner_party="none").result_count == independents
    assert admin_client.get(url, {"winner_party": "bjp"}).url.endswith("?e=1")  # not an id: refused, not a 500

    choices = admin_client.get(url, {"election__id__exact": imported.pk}).content.decode()
    assert "Bharatiya Janata Party (312)</a>" in choices
    assert "Samajwadi Party (47)</a>" in choices

    for query in ("Nakur", "NAKUR", "nakur"):
        assert [c.constituency.name for c in contests(q=query).result_list] == ["Nakur"]

    margin = ["action_checkbox", *admin.site._registry[Contest].list_display].index("margin")
    closest = contests(o=str(margin)).result_list[0]
    widest = contests(o=f"-{margin}").result_list[0]
    margins = Candidacy.objects.filter(contest__isnull=False, won=True).values_list("margin", flat=True)
    assert (closest.winner_margin, widest.winner_margin) == (min(margins), max(margins))


# -- without the file: small cases ---------------------------------------------


def a_contest(election: Election) -> Contest:
    up = Place.objects.get(slug="uttar-pradesh")
    constituency = Constituency.objects.create(slug="up-901-test", jurisdiction=up, number=901, name="Test")
    return Contest.objects.create(election=election, constituency=constituency, total_votes=100, nota_votes=3)


def test_saving_an_election_page_leaves_its_official_candidacies_alone(admin_client, seeded):
    election = Election.objects.get(slug="up-2017")
    contest = a_contest(election)
    official = Candidacy.objects.create(
        person=Person.objects.get(slug="asim-arun"), election=election, contest=contest, votes=97, rank=1, won=True
    )
    url = admin_url(Election, "change", election.pk)
    response = admin_client.get(url)
    (inline,) = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Candidacy]
    assert official.pk not in [form.instance.pk for form in inline.formset.forms]

    assert admin_client.post(url, form_data(response)).status_code == 302
    official.refresh_from_db()
    assert (official.contest_id, official.votes, official.won) == (contest.pk, 97, True)

    # The person's page shows it (contest, votes, rank, won read-only) and saves back.
    url = admin_url(Person, "change", official.person_id)
    response = admin_client.get(url)
    (inline,) = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Candidacy]
    assert official.pk in [form.instance.pk for form in inline.formset.forms]
    assert f'href="{admin_url(Contest, "change", contest.pk)}"' in response.content.decode()
    assert admin_client.post(url, form_data(response)).status_code == 302
    official.refresh_from_db()
    assert (official.contest_id, official.votes, official.won) == (contest.pk, 97, True)


def test_an_election_without_results_says_so(admin_client, seeded):
    html = admin_client.get(admin_url(Election, "change", Election.objects.get(slug="up-2022").pk)).content.decode()
    assert "Nothing to check claims against: no official results imported for this election." in html


def test_a_candidacy_in_a_contest_belongs_to_its_election(admin_client, seeded):
    contest = a_contest(Election.objects.get(slug="up-2017"))
    url = admin_url(Candidacy, "add")
    data = form_data(admin_client.get(url))
    data.update(
        person=Person.objects.get(slug="asim-arun").pk,
        election=Election.objects.get(slug="up-2022").pk,
        contest=contest.pk,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["election"]
    assert admin_client.post(url, {**data, "election": contest.election_id}).status_code == 302
    assert Candidacy.objects.get(contest=contest).election_id == contest.election_id


def test_an_alliances_leader_is_one_of_its_parties(admin_client, seeded):
    bjp, sp = Party.objects.get(slug="bjp"), Party.objects.get(slug="sp")
    url = admin_url(Alliance, "add")
    data = form_data(admin_client.get(url))
    data.update(
        name="NDA", slug="nda", election=Election.objects.get(slug="up-2017").pk, leader=bjp.pk, parties=[sp.pk]
    )
    response = admin_client.post(url, data)
    assert list(response.context["adminform"].form.errors) == ["parties"]
    assert admin_client.post(url, {**data, "parties": [bjp.pk, sp.pk]}).status_code == 302
    assert set(Alliance.objects.get(slug="nda").parties.all()) == {bjp, sp}


def test_a_dataset_citation_shows_its_row(admin_client, seeded):
    source = Source.objects.create(slug="a-dataset", kind=Source.Kind.DATASET, sha256="b" * 64, license="MIT")
    person = Person.objects.get(slug="asim-arun")
    citation = Citation.objects.create(source=source, record=person, locator="constituencies[0].candidates[2]")
    row = "Row <code>constituencies[0].candidates[2]</code> of"
    for url in (admin_url(Person, "change", person.pk), admin_url(Citation, "change", citation.pk)):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert row in response.content.decode()
    listed = admin_client.get(admin_url(Citation, "changelist"), {"source__id__exact": source.pk})
    assert "row <code>constituencies[0].candidates[2]</code>" in listed.content.decode()
