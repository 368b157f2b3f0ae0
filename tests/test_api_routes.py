"""The API's routes, grouped by resource (records/api/urls.py): every route
the router makes is reached as it was, with the same name and arguments, and
what no route names still falls through to the API's 404."""

from __future__ import annotations

import re

import pytest
from django.urls import Resolver404, resolve, reverse
from django.urls.resolvers import URLPattern

from records.api.urls import grouped, router

SAMPLES = ("asim-arun-7", "7", "json", ".json")


def sample(group: re.Match) -> str:
    return next(value for value in SAMPLES if re.fullmatch(group[2], value))


def example_path(regex: str) -> str:
    """A path the route's regex matches, its named groups filled with samples."""
    path = re.sub(r"\(\?P<(\w+)>([^)]*)\)", sample, regex)
    path = path.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    return path.replace("\\.", ".").replace("/?", "/")


ROUTES = [url for url in router.urls if isinstance(url, URLPattern)]


@pytest.mark.parametrize("route", ROUTES, ids=[url.pattern.regex.pattern for url in ROUTES])
def test_every_route_is_reached_with_its_name_and_arguments(route):
    path = example_path(route.pattern.regex.pattern)
    expected = route.resolve(path)
    assert expected is not None, path  # the sample path matches the route itself
    found = resolve(f"/api/v1/{path}")
    assert (found.url_name, found.kwargs, found.func) == (route.name, expected.kwargs, route.callback)


def test_names_reverse_to_the_same_paths():
    assert reverse("person-list") == "/api/v1/persons/"
    assert reverse("person-detail", kwargs={"pk": "x"}) == "/api/v1/persons/x/"
    assert reverse("claimlink-list", kwargs={"format": "json"}) == "/api/v1/claim-links.json"
    assert reverse("possible-match-detail", kwargs={"pk": "3"}) == "/api/v1/possible-matches/3/"


@pytest.mark.parametrize("path", ["personsx/", "persons-x/", "persons/a/b/", "claim-links/x/history/", "persons.j-s/"])
def test_what_no_route_names_falls_through_as_before(path):
    try:
        found = resolve(f"/api/v1/{path}")
    except Resolver404:
        return
    assert found.func.__name__ == "no_such_endpoint"


def test_each_resource_is_one_group_per_separator_and_only_the_root_stays_flat():
    routes = grouped(router.urls)
    groups = [url for url in routes if not isinstance(url, URLPattern)]
    prefixes = [str(group.pattern) for group in groups]
    assert len(prefixes) == len(set(prefixes))
    assert "^persons/" in prefixes
    assert "^persons\\." in prefixes
    flat = [url for url in routes if isinstance(url, URLPattern)]
    assert {url.name for url in flat} == {"api-root"}
    assert len(flat) + sum(len(group.url_patterns) for group in groups) == len(ROUTES)
