"""What a record's preview card shows (records/templates/reconcile/preview.html):
enough to tell it from a namesake, from a few indexed reads."""

from __future__ import annotations

from django.db.models import F

from records.models import Candidacy, Constituency, Party, Person, Place, Posting
from records.reconcile.vocabulary import parse_id

MOST_ROWS = 8  # posts or candidacies shown: the latest


def preview_context(record_id: str) -> dict | None:
    """The card's context for the record an id names; None when it names none."""
    parsed = parse_id(record_id)
    if parsed is None:
        return None
    kind, slug = parsed
    build = {"person": _person, "party": _party, "constituency": _constituency, "place": _place}[kind.id]
    card = build(slug)
    return None if card is None else {"type": kind.name, **card}


def _span(start: str, end: str) -> str:
    if not (start or end):
        return ""
    return f"{start or '?'} to {end or '?'}" if end else f"from {start}"


def _person(slug: str) -> dict | None:
    person = Person.objects.filter(slug=slug).values("id", "name", "birth_date").first()
    if person is None:
        return None
    # Latest first, undated last on both databases (PostgreSQL sorts NULL first when descending).
    posts = Posting.objects.filter(person_id=person["id"]).order_by(F("start_earliest").desc(nulls_last=True), "-id")
    rows = posts.values("role", "organisation__name", "organisation__kind", "place__name", "start", "end", "status")
    parties, lines = [], []
    for post in rows[: MOST_ROWS * 2]:
        if post["organisation__kind"] == "party" and post["organisation__name"] not in parties:
            parties.append(post["organisation__name"])
        where = ", ".join(filter(None, [post["organisation__name"], post["place__name"]]))
        what = " - ".join(filter(None, [post["role"] or "member", where]))
        lines.append(" ".join(filter(None, [what, _span(post["start"], post["end"]), f"({post['status']})"])))
    stood = Candidacy.objects.filter(person_id=person["id"]).order_by(
        F("election__start_earliest").desc(nulls_last=True), "-id"
    )
    candidacies = []
    for row in stood.values(
        "election__name", "party__name", "contest__constituency__name", "place__name", "status", "won"
    )[:MOST_ROWS]:
        where = row["contest__constituency__name"] or row["place__name"] or "no place given"
        outcome = "won" if row["won"] else "lost" if row["won"] is False else row["status"]
        candidacies.append(f"{row['election__name']}: {where}, {row['party__name'] or 'no party given'} ({outcome})")
        if row["party__name"] and row["party__name"] not in parties:
            parties.append(row["party__name"])
    facts = [("Born", person["birth_date"])] if person["birth_date"] else []
    facts += [("Party", ", ".join(parties))] if parties else []
    lists = [("Posts", lines[:MOST_ROWS]), ("Candidacies", candidacies)]
    return {"name": person["name"], "facts": facts, "lists": lists}


def _party(slug: str) -> dict | None:
    party = Party.objects.filter(slug=slug).values("id", "name", "abbreviation").first()
    if party is None:
        return None
    named = Party.objects.filter(pk=party["id"]).values_list("aliases__name", flat=True)
    aliases = list(named.order_by("aliases__name"))
    facts = [("Abbreviation", party["abbreviation"])] if party["abbreviation"] else []
    return {"name": party["name"], "facts": facts, "lists": [("Other names", [a for a in aliases if a])]}


def _constituency(slug: str) -> dict | None:
    found = Constituency.objects.filter(slug=slug)
    row = found.values("id", "name", "number", "jurisdiction__name", "district__name", "reservation").first()
    if row is None:
        return None
    aliases = [a for a in found.values_list("aliases__name", flat=True).order_by("aliases__name") if a]
    facts = [("Number", f"{row['number']} of {row['jurisdiction__name']}")]
    facts += [("District", row["district__name"])] if row["district__name"] else []
    if row["reservation"]:
        facts.append(("Reservation", Constituency.Reservation(row["reservation"]).label))
    return {"name": row["name"], "facts": facts, "lists": [("Other names", aliases)]}


def _place(slug: str) -> dict | None:
    row = Place.objects.filter(slug=slug).values("name", "kind", "parent__name", "other_names").first()
    if row is None:
        return None
    facts = [("Kind", Place.Kind(row["kind"]).label)]
    facts += [("In", row["parent__name"])] if row["parent__name"] else []
    return {"name": row["name"], "facts": facts, "lists": [("Other names", [str(n) for n in row["other_names"] or []])]}
