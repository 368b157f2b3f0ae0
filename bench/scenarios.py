"""The fixed set of representative requests, resolved against the corpus:
each is an API URL and the limit view's URL for the same data."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from records.api.pagination import encode_cursor
from records.models import Candidacy, Election, Organisation, Person, PersonAlias

API, LIMIT = "/api/v1", "/limit/v1"
ACTIVE_ON = "2015-06-01"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str  # under /api/v1 and /limit/v1 alike
    params: dict

    @property
    def query(self) -> str:
        return f"?{urlencode(self.params)}" if self.params else ""

    @property
    def api_url(self) -> str:
        return f"{API}{self.path}{self.query}"

    @property
    def limit_url(self) -> str:
        return f"{LIMIT}{self.path}{self.query}"


def representative() -> list[Scenario]:
    """Picked from the data, not hard-coded, so that any size and seed work."""
    people = Person.objects.count()
    middle = Candidacy.objects.filter(contest__isnull=False).order_by("pk")
    candidate = middle[middle.count() // 2].person  # a person with a contest, and a career
    police = max(Organisation.objects.filter(kind="police", parent__isnull=True), key=lambda o: o.children.count())
    alias = PersonAlias.objects.filter(kind="spelling_variant").order_by("pk")[PersonAlias.objects.count() // 3]
    election = Election.objects.filter(contests__isnull=False, results__isnull=False).order_by("-pk").first()
    deep = Person.objects.order_by("name", "id").values("name", "id")[int(people * 0.9)]
    cursor = encode_cursor("records.person:name,id", [deep["name"], deep["id"]])
    return [
        Scenario("persons list (100)", "/persons/", {"page_size": 100}),
        Scenario("persons deep page (90%)", "/persons/", {"page_size": 100, "cursor": cursor}),
        Scenario("person detail", f"/persons/{candidate.slug}/", {}),
        Scenario(
            "postings active_on+organisation",
            "/postings/",
            {"active_on": ACTIVE_ON, "organisation": police.slug, "page_size": 100},
        ),
        Scenario("persons search by alias", "/persons/", {"q": alias.name, "page_size": 100}),
        Scenario("election detail + results", f"/elections/{election.slug}/", {}),
    ]
