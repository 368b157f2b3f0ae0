"""A filter on an organisation or a place (its units, the places within it),
or on a party (people through its postings or candidacies), gives the same
answer whichever way SQLite reads the page: through the rows it names, or
walking the list's order when they are many (records/api/filtering.py,
``holds_many``; records/api/resources/persons.py, ``through_few``)."""

from __future__ import annotations

import pytest

from records import remembered
from records.api import filtering
from records.models import Organisation, Place
from tests.api import ids

API = "/api/v1"


def requests():
    """(list, its parameters) for every top organisation with units, every top place and every party."""
    for organisation in Organisation.objects.filter(parent__isnull=True, children__isnull=False).distinct():
        for order in ({}, {"ordering": "-end"}, {"ordering": "role"}):
            yield "postings", {"organisation": organisation.slug, "page_size": 2, **order}
        yield "persons", {"organisation": organisation.slug, "page_size": 2}
        yield "organisations", {"within": organisation.slug, "page_size": 2}
    for place in Place.objects.filter(parent__isnull=True):
        yield "postings", {"place": place.slug, "page_size": 3}
        yield "persons", {"place": place.slug, "page_size": 3}
    # People through a party's postings or candidacies: collected, or probed in name order.
    for party in Organisation.objects.filter(kind=Organisation.Kind.PARTY):
        yield "persons", {"party": party.slug, "page_size": 2}
        yield "persons", {"candidate_party": party.slug, "page_size": 2, "ordering": "-birth_date"}
        yield "places", {"within": place.slug, "page_size": 3, "ordering": "-name"}


def test_a_subtrees_list_is_the_same_read_either_way(seeded, client, monkeypatch):
    asked = 0
    for path, params in requests():
        for bound in ("LARGE_SUBTREE", "FEW_FOR_PEOPLE"):
            monkeypatch.setattr(filtering, bound, 10**9)
        remembered.forget()  # a list's plan is kept: made again, with the other bound
        through_the_subtree = ids(client, f"{API}/{path}/", **params)
        for bound in ("LARGE_SUBTREE", "FEW_FOR_PEOPLE"):
            monkeypatch.setattr(filtering, bound, 0)
        remembered.forget()
        walking_the_order = ids(client, f"{API}/{path}/", **params)
        assert through_the_subtree == walking_the_order, (path, params)
        asked += len(through_the_subtree) > 2
    assert asked >= 3


@pytest.mark.parametrize("large", [0, 10**9])
def test_an_unknown_subtree_is_still_refused(seeded, client, monkeypatch, large):
    monkeypatch.setattr(filtering, "LARGE_SUBTREE", large)
    response = client.get(f"{API}/postings/?organisation=no-such-force")
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
