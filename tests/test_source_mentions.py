"""`sources?mentions=` finds every source cited for the person or for a claim
of theirs (a posting, an event, a candidacy, an alias, a relation either way),
checked against the citations read one by one."""

from __future__ import annotations

from records.models import Citation, Person, PersonRelation, Source
from tests.api import all_results

API = "/api/v1"


def names(record, person: Person) -> bool:
    """Whether a cited record is the person or a claim about them."""
    if record == person:
        return True
    if isinstance(record, PersonRelation):
        return person.pk in (record.subject_id, record.object_id)
    return getattr(record, "person_id", None) == person.pk


def slugs(client, **params) -> set[str]:
    return {row["slug"] for row in all_results(client, f"{API}/sources/", **params)}


def test_every_source_that_mentions_a_person_is_found(seeded, client):
    citations = list(Citation.objects.select_related("source"))
    people = Person.objects.all()
    assert people.count() > 5
    found_some = 0
    for person in people:
        expected = {c.source.slug for c in citations if c.record is not None and names(c.record, person)}
        assert slugs(client, mentions=person.slug, page_size=2) == expected, person.slug
        assert slugs(client, mentions_id=person.pk) == expected, person.slug
        found_some += bool(expected)
    assert found_some > 5


def test_a_source_cited_only_for_a_relation_is_found_from_either_side(seeded, client):
    """A person who is the object of a relation (the "of" side) is mentioned by its source too."""
    first, second = Person.objects.order_by("pk")[:2]
    text = "They are siblings."
    source = Source.objects.create(slug="a-siblings-note", sha256="c" * 64, text=text)
    relation = PersonRelation.objects.create(subject=first, object=second, kind=PersonRelation.Kind.SIBLING)
    Citation.objects.create(source=source, record=relation, quote=text, start=0, end=len(text))
    for person in (first, second):
        assert source.slug in slugs(client, mentions=person.slug), person.slug
