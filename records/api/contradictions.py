"""The versions of an event that other sources tell: the events a
``contradicts`` claim link joins it to, either side (records/models/links.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from records.knowledge import EVERYTHING, Knowledge, known
from records.models import ClaimLink, Event


def contradicting_events(ids, knowledge: Knowledge = EVERYTHING) -> dict[int, list[int]]:
    """For each event of ``ids``, the ids of the events linked to it as
    contradicting (either side), in Event's order (person, date, undated last,
    id); a link this point of view does not know, or one with a side no source
    it sees is cited for, is left out. One query for the links, and one for the
    events they join when there are any: two plain queries cost less than one
    that sorts by four correlated subqueries."""
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
        links = links.filter(known(ClaimLink, knowledge))
    wanted, others = set(ids), defaultdict(set)
    for claim_id, target_id in links.values_list("claim_id", "target_id"):
        if claim_id in wanted:
            others[claim_id].add(target_id)
        if target_id in wanted:
            others[target_id].add(claim_id)
    if not others:
        return {}
    # Both sides of a link must be cited to a source this point of view sees (pending or not: the link decides).
    sides = Event.objects.filter(known(Event, replace(knowledge, pending=True)), pk__in={*others, *_union(others)})
    order = {
        pk: (person_id, day is None, day or date.min, pk)
        for pk, person_id, day in sides.order_by().values_list("id", "person_id", "date_earliest")
    }
    return {
        pk: sorted((other for other in versions if other in order), key=order.__getitem__)
        for pk, versions in others.items()
        if pk in order and any(other in order for other in versions)
    }


def _union(sets) -> set[int]:
    return set().union(*sets.values())
