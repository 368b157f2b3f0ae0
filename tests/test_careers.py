"""Career order: a person's postings as a career reads, not as a date column sorts.

The rules (records/careers.py): a posting comes after its `previous`; then by
the earliest day it can have started (or ended, or the day of a posting it
precedes); postings nothing places come last, in the order recorded. The
API offers it as `ordering=career`, the person detail and the admin use it,
and it stays right as postings are added, edited, moved and deleted.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from records.careers import career_order, latest_placed, renumber_careers
from records.models import Person, Posting
from tests.writes import API, account, delete, patch, token_client


def row(pk, previous=None, start=(None, None), end=(None, None)) -> dict:
    return {
        "id": pk,
        "previous_id": previous,
        "start_earliest": start[0],
        "start_latest": start[1],
        "end_earliest": end[0],
        "end_latest": end[1],
    }


def year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


# -- the order itself -----------------------------------------------------------


def test_a_linked_chain_of_undated_postings_is_placed_by_the_dated_posting_it_leads_to():
    rows = [
        row(1, start=year(1994)),  # joined the service
        row(2, end=(None, date(2021, 12, 31))),  # ended by 2021, start unknown
        row(3, previous=2, end=(None, date(2021, 12, 31))),
        row(4, previous=3, start=(date(2021, 3, 1), date(2021, 3, 31)), end=(date(2022, 1, 10), None)),
        row(5),  # undated, unlinked
        row(6),
        row(7, start=(date(2022, 1, 10), None)),
    ]
    assert career_order(rows) == [1, 2, 3, 4, 7, 5, 6]


def test_a_link_wins_over_dates_that_disagree_with_it():
    # The source says 2 came just before 1, although 1's dates are earlier.
    rows = [row(1, previous=2, start=year(2001)), row(2, start=year(2005))]
    assert career_order(rows) == [2, 1]


def test_a_posting_with_only_an_end_is_placed_before_later_starts():
    rows = [row(1, start=year(2019)), row(2, end=year(2010)), row(3)]
    assert career_order(rows) == [2, 1, 3]


def test_a_cycle_of_links_keeps_every_posting_and_starts_where_it_can_have_started_first():
    rows = [row(1, previous=3, start=year(2012)), row(2, previous=1, start=year(2015)), row(3, previous=2)]
    # 3 -> 1 -> 2 -> 3: broken at 1 (2012; 3 inherits 2012 from 1 but has a higher id).
    assert career_order(rows) == [1, 2, 3]


def test_a_previous_posting_of_someone_else_or_itself_does_not_hold_a_posting_back():
    rows = [row(1, previous=99, start=year(2010)), row(2, previous=2, start=year(2000))]
    assert career_order(rows) == [2, 1]


def test_a_very_long_chain_is_ordered_without_recursion():
    n = 20_000
    rows = [row(1)] + [row(i, previous=i - 1) for i in range(2, n + 1)]
    rows[-1] = row(n, previous=n - 1, start=year(2000))
    assert career_order(reversed(rows)) == list(range(1, n + 1))


def test_the_latest_post_is_the_last_one_a_date_places():
    rows = [row(1, start=year(1994)), row(2, start=year(2021)), row(3), row(4)]
    assert latest_placed(rows) == 2
    assert latest_placed([row(5), row(6)]) == 6  # nothing dated: the last recorded
    assert latest_placed([]) is None


days = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)))


@st.composite
def careers(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    rows = []
    for pk in range(1, n + 1):
        previous = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=n + 2)))
        rows.append(
            row(
                pk,
                previous,
                start=(draw(days), None) if draw(st.booleans()) else (None, None),
                end=(None, draw(days)),
            )
        )
    return rows


@settings(max_examples=300, deadline=None)
@given(careers())
def test_every_posting_comes_exactly_once_and_after_its_previous_unless_a_cycle_forbids(rows):
    order = career_order(rows)
    assert sorted(order) == [r["id"] for r in rows]
    position = {pk: i for i, pk in enumerate(order)}
    by_id = {r["id"]: r for r in rows}

    def in_cycle(pk):
        seen, current = set(), pk
        while current in by_id and current not in seen:
            seen.add(current)
            current = by_id[current]["previous_id"]
        return current == pk

    for r in rows:
        previous = r["previous_id"]
        if previous in by_id and previous != r["id"] and not in_cycle(r["id"]):
            assert position[previous] < position[r["id"]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates()), max_size=15))
def test_unlinked_postings_go_by_their_start_with_the_undated_last_in_recorded_order(starts):
    rows = [row(i + 1, start=(day, None)) for i, day in enumerate(starts)]
    dated = sorted((day, i + 1) for i, day in enumerate(starts) if day is not None)
    undated = [i + 1 for i, day in enumerate(starts) if day is None]
    assert career_order(rows) == [pk for _, pk in dated] + undated


# -- the API and the stored positions -------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def asim_postings() -> dict[str, int]:
    """Asim Arun's postings by a short name, from the seed data."""
    postings = Posting.objects.filter(person__slug="asim-arun").select_related("organisation", "place")
    names = {}
    for p in postings:
        if p.place is not None and p.organisation.slug == "up-police":
            names[p.place.name] = p.pk
        else:
            names[p.organisation.abbreviation or p.organisation.name] = p.pk
    return names


def test_asim_aruns_career_reads_in_order(seeded, client):
    posts = asim_postings()
    order = ids(client.get(f"{API}/postings/", {"person": "asim-arun", "ordering": "career", "page_size": 50}))
    assert len(order) == 14
    ips, ats, dial_112, kanpur = order[:4]
    assert Posting.objects.get(pk=ips).start == "1994"
    assert Posting.objects.get(pk=ats).organisation.slug == "up-ats"
    assert Posting.objects.get(pk=dial_112).previous_id == ats
    assert Posting.objects.get(pk=kanpur).previous_id == dial_112
    assert Posting.objects.get(pk=order[4]).organisation.kind == "party"  # BJP, from 2022-01-10
    # The nine undated, unlinked postings last, in the order the source lists them.
    assert order[5:] == sorted(order[5:])
    assert posts["Agra"] in order[5:]
    # Reversed: latest first.
    reverse = ids(client.get(f"{API}/postings/", {"person": "asim-arun", "ordering": "-career", "page_size": 50}))
    assert reverse == order[::-1]


def test_descending_end_is_not_ascending_end(seeded, client):
    params = {"person": "asim-arun", "page_size": 50}
    ascending = ids(client.get(f"{API}/postings/", {**params, "ordering": "end"}))
    descending = ids(client.get(f"{API}/postings/", {**params, "ordering": "-end"}))
    assert ascending != descending
    # Kanpur ended on or after 2022-01-10 (open): the latest end known, so first going down.
    kanpur = Posting.objects.get(person__slug="asim-arun", place__slug="kanpur")
    assert descending[0] == kanpur.pk
    # ATS and UP 112 ended by 2021: before Kanpur going up; the undated come last both ways.
    assert ascending.index(kanpur.pk) == 2
    undated = set(Posting.objects.filter(person__slug="asim-arun", end="").values_list("pk", flat=True))
    assert set(ascending[-len(undated) :]) == set(descending[-len(undated) :]) == undated


def test_career_order_over_everyone_goes_person_by_person(seeded, client):
    rows = client.get(f"{API}/postings/", {"ordering": "career", "page_size": 200}).json()["results"]
    people = [r["person"]["id"] for r in rows]
    assert people == sorted(people)
    for person_id in set(people):
        theirs = [r["id"] for r in rows if r["person"]["id"] == person_id]
        assert theirs == list(
            Posting.objects.filter(person_id=person_id).order_by("career_position").values_list("pk", flat=True)
        )


def test_the_person_detail_lists_postings_in_career_order(seeded, client):
    detail = client.get(f"{API}/persons/asim-arun/").json()
    listed = ids(client.get(f"{API}/postings/", {"person": "asim-arun", "ordering": "career", "page_size": 50}))
    posts, memberships = [p["id"] for p in detail["postings"]], [m["id"] for m in detail["memberships"]]
    assert len(posts) == 13
    assert len(memberships) == 1
    assert posts == [pk for pk in listed if pk in posts]
    assert detail["context"]["post"]["role"] == "Commissioner of Police"  # not an undated post listed last


@pytest.fixture
def curator_client(seeded):
    return token_client(account("career-curator", curator=True))


def career(slug: str) -> list[int]:
    return list(Posting.objects.filter(person__slug=slug).order_by("career_position").values_list("pk", flat=True))


def test_a_posting_added_edited_moved_and_deleted_through_the_api_keeps_careers_in_order(curator_client, client):
    before = career("asim-arun")
    kanpur = Posting.objects.get(person__slug="asim-arun", place__slug="kanpur")
    source = kanpur.citations.first().source
    # A new posting the source says came just before the ATS: it goes before it, undated as it is.
    ats = Posting.objects.get(person__slug="asim-arun", organisation__slug="up-ats")
    created = curator_client.post(
        f"{API}/postings/",
        {
            "person": "asim-arun",
            "role": "Inspector General",
            "organisation": "up-police",
            "status": "reported",
            "citations": [{"source": source.pk, "quote": source.text[:20], "start": 0, "end": 20}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    new = created.json()["id"]
    assert career("asim-arun") == [*before, new]  # undated and unlinked: last
    response = patch(curator_client, f"{API}/postings/{ats.pk}/", {"previous": new})
    assert response.status_code == 200, response.content
    order = career("asim-arun")
    assert order.index(new) == order.index(ats.pk) - 1
    assert ids(client.get(f"{API}/postings/", {"person": "asim-arun", "ordering": "career", "page_size": 50})) == order

    # Deleted: the ATS post loses its link and its place follows its own date again.
    assert delete(curator_client, f"{API}/postings/{new}/").status_code == 204
    assert career("asim-arun") == before


def test_moving_a_posting_to_another_person_renumbers_both_careers(seeded):
    ats = Posting.objects.get(person__slug="asim-arun", organisation__slug="up-ats")
    other = Person.objects.get(slug="brij-lal")
    others_before = career("brij-lal")
    ats.person = other
    ats.save()
    asim = career("asim-arun")
    # Without the ATS post, UP 112 leads his chain; it is placed by Kanpur's date (2021-03), after 1994.
    assert Posting.objects.get(pk=asim[1]).organisation.slug == "up-112"
    assert ats.pk not in asim
    assert sorted(career("brij-lal")) == sorted([*others_before, ats.pk])
    positions = Posting.objects.filter(person=other).values_list("career_position", flat=True)
    assert sorted(positions) == list(range(len(others_before) + 1))


def test_renumbering_fixes_positions_written_around_the_orm(seeded):
    person = Person.objects.get(slug="asim-arun")
    expected = career("asim-arun")
    Posting.objects.filter(person=person).update(career_position=0)
    assert renumber_careers([person.pk]) > 0
    assert career("asim-arun") == expected
    assert renumber_careers([person.pk]) == 0  # nothing left to change
