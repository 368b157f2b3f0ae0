"""Popolo organizations (parties, legislatures, police units, services...)
and areas (places, and constituencies with their number as ``identifier``).

Extensions where Popolo has no field: an area's ``other_names`` (the same
objects as a person's) and a constituency's ``reservation`` ("SC", "ST")."""

from __future__ import annotations

from collections import defaultdict

from records.interchange.popolo import ids
from records.interchange.popolo.sources import sources_of
from records.knowledge import Knowledge, known
from records.models import Constituency, ConstituencyAlias, Organisation, OrganisationAlias, Place

ORGANISATION_COLUMNS = ("id", "slug", "name", "kind", "abbreviation", "parent__slug", "place__slug")
PLACE_COLUMNS = ("id", "slug", "name", "kind", "parent__slug", "other_names")
CONSTITUENCY_COLUMNS = ("id", "slug", "name", "number", "reservation", "district__slug", "jurisdiction__slug")
ORGANISATION_ALIAS_NOTES = dict(OrganisationAlias.Kind.choices)
CONSTITUENCY_ALIAS_NOTES = dict(ConstituencyAlias.Kind.choices)


def _aliases(model, fk: str, pks: list[int], knowledge: Knowledge, notes: dict) -> dict[int, list[dict]]:
    out = defaultdict(list)
    rows = model.objects.filter(known(model, knowledge), **{f"{fk}_id__in": pks}).order_by(f"{fk}_id", "id")
    for owner, name, kind in rows.values_list(f"{fk}_id", "name", "kind"):
        out[owner].append({"name": name, "note": notes.get(kind, kind)})
    return out


def organizations(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    pks = [row["id"] for row in rows]
    aliases = _aliases(OrganisationAlias, "organisation", pks, knowledge, ORGANISATION_ALIAS_NOTES)
    sources = sources_of(Organisation, pks, knowledge, sources_url)
    out = []
    for row in rows:
        abbreviation = [{"name": row["abbreviation"], "note": "abbreviation"}] if row["abbreviation"] else []
        out.append(
            {
                "id": ids.organisation(row["slug"]),
                "name": row["name"],
                "classification": row["kind"],
                "other_names": abbreviation + aliases[row["id"]],
                **({"parent_id": ids.organisation(row["parent__slug"])} if row["parent__slug"] else {}),
                **({"area_id": ids.place(row["place__slug"])} if row["place__slug"] else {}),
                "sources": sources[row["id"]],
            }
        )
    return out


def place_areas(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    sources = sources_of(Place, [row["id"] for row in rows], knowledge, sources_url)
    return [
        {
            "id": ids.place(row["slug"]),
            "name": row["name"],
            "classification": row["kind"],
            **({"parent_id": ids.place(row["parent__slug"])} if row["parent__slug"] else {}),
            "other_names": [{"name": name} for name in row["other_names"]],
            "sources": sources[row["id"]],
        }
        for row in rows
    ]


def constituency_areas(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    pks = [row["id"] for row in rows]
    aliases = _aliases(ConstituencyAlias, "constituency", pks, knowledge, CONSTITUENCY_ALIAS_NOTES)
    sources = sources_of(Constituency, pks, knowledge, sources_url)
    return [
        {
            "id": ids.constituency(row["slug"]),
            "name": row["name"],
            "identifier": str(row["number"]),
            "classification": "constituency",
            # The district where known, else the state (or other jurisdiction) it is numbered in.
            "parent_id": ids.place(row["district__slug"] or row["jurisdiction__slug"]),
            **({"reservation": row["reservation"]} if row["reservation"] else {}),
            "other_names": aliases[row["id"]],
            "sources": sources[row["id"]],
        }
        for row in rows
    ]
