"""What the reconciliation service speaks of: its types, the properties a
query may constrain a type by, and the ids of the records it answers with.

An id is the record's path under /api/v1/ ("persons/asim-arun",
"parties/bjp"): unique across types, readable, and the service's ``view``
URL is simply the API's detail URL."""

from __future__ import annotations

from dataclasses import dataclass

from records.models import Constituency, Party, Person, Place


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    description: str
    resource: str  # the API's list under /api/v1/, the first part of an id
    model: type


TYPES = {
    kind.id: kind
    for kind in (
        Kind("person", "Person", "A political figure: a candidate, an office holder, an official.", "persons", Person),
        Kind("party", "Party", "A political party, by its name, abbreviation or other names.", "parties", Party),
        Kind(
            "constituency",
            "Constituency",
            'An electoral constituency, by its name; a reservation may follow it: "Kannauj (SC)".',
            "constituencies",
            Constituency,
        ),
        Kind("place", "Place", "A country, state, district, city or other place, by its names.", "places", Place),
    )
}
DEFAULT_TYPE = "person"
BY_RESOURCE = {kind.resource: kind for kind in TYPES.values()}


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str


PERSON_PROPERTIES = {
    prop.id: prop
    for prop in (
        Property(
            "party",
            "Party",
            "A party the person stood for or belongs to: its name, abbreviation (BJP) or another name, or the id "
            "of a reconciled party.",
        ),
        Property(
            "constituency",
            "Constituency",
            'Where the person stood: a constituency\'s name, with its reservation if any ("Kannauj (SC)"), or the '
            "id of a reconciled constituency.",
        ),
        Property("year", "Year", "A year in which the person stood in an election or held a post: 2017."),
    )
}
# The properties each type takes; a query giving another is refused.
PROPERTIES: dict[str, dict[str, Property]] = {"person": PERSON_PROPERTIES, "party": {}, "constituency": {}, "place": {}}


def record_id(kind: Kind, slug: str) -> str:
    return f"{kind.resource}/{slug}"


def parse_id(value: str) -> tuple[Kind, str] | None:
    """The type and slug an id names; None when it names none of them."""
    resource, _, slug = value.strip().strip("/").partition("/")
    kind = BY_RESOURCE.get(resource)
    if kind is None or not slug or "/" in slug:
        return None
    return kind, slug
