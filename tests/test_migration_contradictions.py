"""Migration 0021: the events' contradictions (a symmetrical many-to-many)
become claim links, one per pair, none lost; backwards they come back."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("records", "0020_governments")]
AFTER = [("records", "0021_contradictions_as_claim_links")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # what the last migration left
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before(transactional_db):
    """A database at 0019, put back at the latest migration afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _events(apps):
    """Two sources a month apart; five events of one person, the first four cited."""
    Source = apps.get_model("records", "Source")
    Person = apps.get_model("records", "Person")
    Event = apps.get_model("records", "Event")
    Citation = apps.get_model("records", "Citation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    early = Source.objects.create(
        slug="early", sha256="a" * 64, text="Early words here.", published_on=date(2022, 1, 1)
    )
    late = Source.objects.create(slug="late", sha256="b" * 64, text="Later words there.", published_on=date(2022, 2, 1))
    person = Person.objects.create(slug="someone", name="Someone")
    events = [Event.objects.create(person=person, kind="other", title=f"version {i}") for i in range(5)]
    event_type, _ = ContentType.objects.get_or_create(app_label="records", model="event")
    for event, source, field in ((events[0], early, ""), (events[1], late, ""), (events[1], late, "date")):
        Citation.objects.create(
            source=source,
            content_type=event_type,
            object_id=event.pk,
            quote=source.text[:5],
            start=0,
            end=5,
            field=field,
        )
    for event, start in ((events[2], 6), (events[3], 0)):
        Citation.objects.create(
            source=early,
            content_type=event_type,
            object_id=event.pk,
            quote=early.text[start : start + 5],
            start=start,
            end=start + 5,
        )
    return events


def test_each_pair_becomes_one_cited_link_in_the_direction_first_recorded(before):
    events = _events(before)
    events[1].contradicts.add(events[0])  # recorded on the later version: rows 1->0 then 0->1
    # One add() each: add() with several writes its rows in the order of a set of ids.
    events[2].contradicts.add(events[3])
    events[2].contradicts.add(events[4])
    events[0].contradicts.add(events[1])  # the same pair again: nothing new
    after = migrate(AFTER)
    ClaimLink = after.get_model("records", "ClaimLink")
    Citation = after.get_model("records", "Citation")
    links = list(ClaimLink.objects.order_by("pk").values_list("claim_id", "kind", "target_id"))
    assert links == [
        (events[1].pk, "contradicts", events[0].pk),
        (events[2].pk, "contradicts", events[3].pk),
        (events[2].pk, "contradicts", events[4].pk),
    ]
    assert {link.claim_type.model for link in ClaimLink.objects.all()} == {"event"}

    def cited(link_claim, link_target):
        link = ClaimLink.objects.get(claim_id=link_claim.pk, target_id=link_target.pk)
        rows = Citation.objects.filter(content_type__model="claimlink", object_id=link.pk)
        return sorted(rows.values_list("source__slug", "quote", "field"))

    # The later-told version's words, once each, for the whole link.
    assert cited(events[1], events[0]) == [("late", "Later", "")]
    # Told the same day: both versions' words.
    assert cited(events[2], events[3]) == [("early", "Early", ""), ("early", "words", "")]
    # One side never told: the told side's words.
    assert cited(events[2], events[4]) == [("early", "words", "")]
    Event = after.get_model("records", "Event")
    assert "contradicts" not in {f.name for f in Event._meta.get_fields()}


def test_backwards_the_links_come_back_as_pairs_both_ways(before):
    events = _events(before)
    events[1].contradicts.add(events[0])
    migrate(AFTER)
    apps = migrate(BEFORE)
    Event = apps.get_model("records", "Event")
    pairs = set(Event.contradicts.through.objects.values_list("from_event_id", "to_event_id"))
    assert pairs == {(events[1].pk, events[0].pk), (events[0].pk, events[1].pk)}
    ClaimLink = migrate(AFTER).get_model("records", "ClaimLink")  # forwards again: the link is there already
    assert ClaimLink.objects.count() == 1
