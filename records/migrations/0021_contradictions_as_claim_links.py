"""Contradictions between events move from ``Event.contradicts`` (a symmetrical
many-to-many) to claim links of kind ``contradicts``, where every other
contradiction already lives; then the many-to-many goes.

Each pair becomes ONE link (the many-to-many holds it both ways): the row
recorded first gives its direction, its ``from`` event the link's claim and
its ``to`` event the target. The pair had no citation of its own. A link is
cited, and it is known (``as_of``) from its sources' day, so the link cites
the words of the version told later (the event whose first source was
published later): the contradiction was known once that version was told.
When both were first told the same day, it cites both; an event without
citations gives none. The quotes are the events' own, unchanged (never new
words), cited for the whole link (no ``field``, no ``said``).

Backwards: each event-to-event ``contradicts`` link is put back in the
many-to-many, both ways; the links stay (running forwards again adds none).
"""

from django.db import migrations, models
from django.db.models import Min


def _content_type(apps, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="records", model=model)[0]


def contradictions_to_links(apps, schema_editor):
    Event = apps.get_model("records", "Event")
    ClaimLink = apps.get_model("records", "ClaimLink")
    Citation = apps.get_model("records", "Citation")
    Contradiction = Event.contradicts.through
    rows = list(Contradiction.objects.order_by("id").values_list("from_event_id", "to_event_id"))
    if not rows:
        return
    event_type, link_type = _content_type(apps, "event"), _content_type(apps, "claimlink")
    events = {from_id for from_id, _ in rows} | {to_id for _, to_id in rows}
    first_told = dict(
        Citation.objects.filter(content_type_id=event_type.pk, object_id__in=events)
        .values("object_id")
        .annotate(day=Min("source__published_on"))
        .values_list("object_id", "day")
    )
    seen = set()
    for claim_id, target_id in rows:
        pair = frozenset((claim_id, target_id))
        if pair in seen or claim_id == target_id:
            continue
        seen.add(pair)
        either_way = models.Q(claim_id=claim_id, target_id=target_id) | models.Q(claim_id=target_id, target_id=claim_id)
        if ClaimLink.objects.filter(
            either_way, kind="contradicts", claim_type_id=event_type.pk, target_type_id=event_type.pk
        ).exists():
            continue  # a curator had linked them already
        link = ClaimLink.objects.create(
            claim_type_id=event_type.pk,
            claim_id=claim_id,
            kind="contradicts",
            target_type_id=event_type.pk,
            target_id=target_id,
        )
        _cite_later_version(Citation, event_type, link_type, link, first_told, claim_id, target_id)


def _cite_later_version(Citation, event_type, link_type, link, first_told, claim_id, target_id):
    days = {pk: first_told.get(pk) for pk in (claim_id, target_id)}
    dated = [day for day in days.values() if day is not None]
    later = max(dated) if dated else None
    told_later = [pk for pk, day in days.items() if day == later] if dated else []
    quotes = (
        Citation.objects.filter(content_type_id=event_type.pk, object_id__in=told_later)
        .order_by("source_id", "start", "id")
        .values("source_id", "quote", "start", "end", "locator")
    )
    taken = set()
    for quote in quotes:
        key = (quote["source_id"], quote["start"], quote["end"], quote["locator"])
        if key in taken:
            continue  # one event quoted the same words for two fields
        taken.add(key)
        Citation.objects.create(content_type_id=link_type.pk, object_id=link.pk, **quote)


def links_to_contradictions(apps, schema_editor):
    Event = apps.get_model("records", "Event")
    ClaimLink = apps.get_model("records", "ClaimLink")
    event_type = _content_type(apps, "event")
    Contradiction = Event.contradicts.through
    links = ClaimLink.objects.filter(
        kind="contradicts", claim_type_id=event_type.pk, target_type_id=event_type.pk
    ).order_by("id")
    existing = set(Contradiction.objects.values_list("from_event_id", "to_event_id"))
    for claim_id, target_id in links.values_list("claim_id", "target_id"):
        for pair in ((claim_id, target_id), (target_id, claim_id)):
            if pair not in existing and Event.objects.filter(pk__in=pair).count() == 2:
                Contradiction.objects.create(from_event_id=pair[0], to_event_id=pair[1])
                existing.add(pair)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("records", "0020_governments"),
    ]

    operations = [
        migrations.RunPython(contradictions_to_links, links_to_contradictions),
        migrations.RemoveField(model_name="event", name="contradicts"),
    ]
