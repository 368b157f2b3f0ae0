"""Popolo persons: the name, other names (the aliases, each with its kind as
the note), identifiers, gender where a source states it, the birth date
(records/interchange/popolo/dates.py) and sources. Names are never split into
given and family names: the records do not hold that split."""

from __future__ import annotations

from collections import defaultdict

from records.interchange.popolo import ids
from records.interchange.popolo.dates import date_fields
from records.interchange.popolo.sources import sources_of
from records.knowledge import Knowledge, known
from records.models import Person, PersonAlias, PersonIdentifier

COLUMNS = ("id", "slug", "name", "birth_date", "gender")
ALIAS_NOTES = dict(PersonAlias.Kind.choices)


def persons(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    """The Popolo persons of a batch of rows (COLUMNS): three queries."""
    pks = [row["id"] for row in rows]
    other_names, identifiers = defaultdict(list), defaultdict(list)
    aliases = PersonAlias.objects.filter(known(PersonAlias, knowledge), person_id__in=pks)
    for person_id, name, kind in aliases.order_by("person_id", "id").values_list("person_id", "name", "kind"):
        other_names[person_id].append({"name": name, "note": ALIAS_NOTES.get(kind, kind)})
    issued = PersonIdentifier.objects.filter(known(PersonIdentifier, knowledge), person_id__in=pks)
    for person_id, scheme, value in issued.order_by("person_id", "id").values_list("person_id", "scheme", "value"):
        identifiers[person_id].append({"identifier": value, "scheme": scheme})
    sources = sources_of(Person, pks, knowledge, sources_url)
    return [
        {
            "id": ids.person(row["slug"]),
            "name": row["name"],
            "other_names": other_names[row["id"]],
            "identifiers": identifiers[row["id"]],
            **({"gender": row["gender"]} if row["gender"] else {}),
            **date_fields("birth", row["birth_date"]),
            "sources": sources[row["id"]],
        }
        for row in rows
    ]
