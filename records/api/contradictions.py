"""The versions of an event that other sources tell: the events a
``contradicts`` claim link joins it to, either side (records/models/links.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from records.knowledge import EVERYTHING, Knowledge, known, known_side
from records.models import ClaimLink, Event


def _sort_columns(side: str) -> dict:
    """What Event's own order sorts ``side``'s event by: its person, then its earliest day."""
    event = Event.objects.filter(pk=OuterRef(f"{side}_id"))
    return {
        f"{side}_person": Subquery(event.values("person_id")[:1]),
        f"{side}_day": Subquery(event.values("date_earliest")[:1]),
    }


def contradicting_events(ids, knowledge: Knowledge = EVERYTHING) -> dict[int, list[int]]:
    """For each event of ``ids``, the ids of the events linked to it as
    contradicting (either side), in Event's order (person, date, undated last,
    id); a link or an event this point of view does not know is left out. One query."""
    ids = list(ids)
    if not ids:
        return {}
    event_type = ContentType.objects.get_for_model(Event).pk
    links = ClaimLink.objects.filter(
        Q(claim_id__in=ids) | Q(target_id__in=ids),
        kind=ClaimLink.Kind.CONTRADICTS,
        claim_type_id=event_type,
        target_type_id=event_type,
    )
    if knowledge:
        both_sides = known_side(knowledge, "claim") & known_side(knowledge, "target")
        links = links.filter(known(ClaimLink, knowledge), both_sides)
    rows = links.annotate(**_sort_columns("claim"), **_sort_columns("target")).values(
        "claim_id", "target_id", "claim_person", "claim_day", "target_person", "target_day"
    )
    wanted, found = set(ids), defaultdict(set)
    for row in rows:
        for mine, other in (("claim", "target"), ("target", "claim")):
            if row[f"{mine}_id"] in wanted:
                day = row[f"{other}_day"]
                found[row[f"{mine}_id"]].add((row[f"{other}_person"], day is None, day or date.min, row[f"{other}_id"]))
    return {pk: [version[-1] for version in sorted(versions)] for pk, versions in found.items()}
