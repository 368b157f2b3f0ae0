"""Merging two records of the same person, and undoing it.

merge_people(kept, removed, user) moves everything the removed record holds
(postings, aliases, identifiers, relations on both sides, candidacies, events
as subject and as participant, its own citations) to the kept record, makes
the removed name an alias of the kept person, and deletes the removed record.
Every row is saved through the ORM, so each record's history shows the move
with the user and the reason "merged #<removed> into #<kept>". The merge's
snapshot holds what undo_merge needs to put the database back as it was:
the removed person's fields, the ids of the rows that moved, and the rows the
merge dropped as duplicates (with where their citations were).

Merges undo in reverse order: only the latest active merge touching a
person can be undone, because a later merge moved the same rows again."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from records.curation.versions import delete, freeze, move, thaw
from records.models import (
    Candidacy,
    Citation,
    Event,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
    PersonRelation,
    Posting,
)
from records.text import normalise_name

# Rows that simply change person: (snapshot key, model, field).
MOVED = [
    ("postings", Posting, "person"),
    ("identifiers", PersonIdentifier, "person"),
    ("candidacies", Candidacy, "person"),
    ("events", Event, "person"),
    ("aliases", PersonAlias, "person"),
    ("relations_as_subject", PersonRelation, "subject"),
    ("relations_as_object", PersonRelation, "object"),
    ("served_by_postings", Posting, "serves"),
]


class MergeError(ValueError):
    """A merge or undo that cannot be done; the message says why."""


def merge_people(kept, removed, user, note: str = "") -> PersonMerge:
    """Merges ``removed`` into ``kept`` (Person instances or ids); atomic."""
    with transaction.atomic():
        kept, removed = _lock_pair(kept, removed)
        reason = f"merged #{removed.pk} into #{kept.pk}"
        _refuse_shared_contests(kept, removed)
        snapshot = {
            "removed": freeze([removed]),
            "moved": {},
            "dropped": [],
            "moved_citations": [],
            "participations": [],
            "kept_participations": [],
        }
        # Duplicates first: the rows a move would make equal to one the kept person has.
        duplicates = _duplicates(kept, removed)
        for row, twin in duplicates:
            if twin is not None:
                snapshot["moved_citations"] += _move_citations(row, twin, user, reason)
        snapshot["dropped"] = freeze([row for row, _ in duplicates])
        # A relation between the two has no twin: its citations go with it, and come back on undo.
        snapshot["dropped_citations"] = freeze(
            [c for row, twin in duplicates if twin is None for c in row.citations.order_by("pk")]
        )
        dropped_ids = {(type(row), row.pk) for row, _ in duplicates}
        for row, _ in duplicates:
            delete(row, user, reason)

        for key, model, field in MOVED:
            rows = [
                r for r in model.objects.filter(**{field: removed}).order_by("pk") if (model, r.pk) not in dropped_ids
            ]
            for row in rows:
                move(row, user, reason, **{field: kept})
            snapshot["moved"][key] = [row.pk for row in rows]

        for event in Event.objects.filter(participants=removed).order_by("pk"):
            already = event.participants.filter(pk=kept.pk).exists()
            event.participants.remove(removed)
            if already:
                snapshot["kept_participations"].append(event.pk)
            else:
                event.participants.add(kept)
                snapshot["participations"].append(event.pk)

        person_type = ContentType.objects.get_for_model(Person)
        own = list(Citation.objects.filter(content_type=person_type, object_id=removed.pk).order_by("pk"))
        for citation in own:
            move(citation, user, reason, object_id=kept.pk)
        snapshot["moved"]["citations"] = [c.pk for c in own]

        snapshot["created_alias"] = _name_as_alias(kept, removed, user, reason)
        repointed = list(PersonMerge.objects.filter(kept=removed).order_by("pk"))
        for earlier in repointed:  # the earlier merge's redirect now ends at the kept person
            earlier.kept = kept
            earlier.save(update_fields=["kept"])
        snapshot["repointed_merges"] = [m.pk for m in repointed]

        merge = PersonMerge.objects.create(
            kept=kept,
            removed_id=removed.pk,
            removed_name=removed.name,
            removed_slug=removed.slug,
            merged_by=user,
            note=note,
            snapshot=snapshot,
        )
        delete(removed, user, reason)
        return merge


def undo_merge(merge, user) -> PersonMerge:
    try:
        return _undo_merge(merge, user)
    except IntegrityError as exc:
        # Something made since the merge holds what the undo would restore
        # (a unique name, slug or identifier); the undo rolled back whole.
        key = merge.pk if isinstance(merge, PersonMerge) else merge
        raise MergeError(
            f"Merge #{key} cannot be undone: a record made since the merge conflicts with one it would restore ({exc})."
        ) from exc


def _undo_merge(merge, user) -> PersonMerge:
    """Puts back the removed person (same id, same fields) and exactly the rows
    the merge moved or dropped; atomic."""
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk if isinstance(merge, PersonMerge) else merge)
        if merge.undone_at is not None:
            raise MergeError(f"Merge #{merge.pk} was already undone.")
        later = _later_merges(merge)
        if later:
            listed = ", ".join(f"#{m.pk}" for m in later)
            raise MergeError(
                f"Merge #{merge.pk} cannot be undone before the later merge(s) {listed} touching the same people: "
                "undo those first (latest first)."
            )
        if Person.objects.filter(pk=merge.removed_id).exists():
            raise MergeError(f"A person with id {merge.removed_id} exists again; the merge cannot be undone.")
        slug = merge.snapshot["removed"][0]["fields"]["slug"]
        if Person.objects.filter(slug=slug).exists():
            raise MergeError(
                f"The slug {slug!r} of the removed person has been given to another person since; "
                "change that person's slug first, then undo the merge."
            )
        snapshot, removed_id, kept_id = merge.snapshot, merge.removed_id, merge.kept_id
        reason = f"undid merge #{merge.pk} (#{removed_id} into #{kept_id})"

        thaw(snapshot["removed"], user, reason)
        removed = Person.objects.get(pk=removed_id)
        if snapshot.get("created_alias"):
            alias = PersonAlias.objects.filter(pk=snapshot["created_alias"]).first()
            if alias is not None:
                delete(alias, user, reason)
        fields = {key: field for key, _, field in MOVED}
        models = {key: model for key, model, _ in MOVED}
        for key, ids in snapshot["moved"].items():
            if key == "citations":
                for citation in Citation.objects.filter(pk__in=ids).order_by("pk"):
                    move(citation, user, reason, object_id=removed_id)
                continue
            for row in models[key].objects.filter(pk__in=ids).order_by("pk"):
                move(row, user, reason, **{fields[key]: removed})
        thaw(snapshot["dropped"], user, reason)
        thaw(snapshot["dropped_citations"], user, reason)
        for citation_id, content_type_id, object_id in snapshot["moved_citations"]:
            citation = Citation.objects.get(pk=citation_id)
            move(citation, user, reason, content_type_id=content_type_id, object_id=object_id)
        for event in Event.objects.filter(pk__in=snapshot["participations"]):
            event.participants.remove(kept_id)
            event.participants.add(removed)
        for event in Event.objects.filter(pk__in=snapshot["kept_participations"]):
            event.participants.add(removed)
        PersonMerge.objects.filter(pk__in=snapshot.get("repointed_merges", [])).update(kept=removed)

        merge.undone_by, merge.undone_at = user, timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
        return merge


def merged_into(person_id: int) -> Person | None:
    """Where a removed person's id leads while its merge is active: the final kept person."""
    seen = set()
    target = None
    while person_id not in seen:
        seen.add(person_id)
        merge = PersonMerge.objects.filter(removed_id=person_id, undone_at__isnull=True).select_related("kept").first()
        if merge is None:
            break
        target, person_id = merge.kept, merge.kept_id
    return target


# -- checks -------------------------------------------------------------------


def _lock_pair(kept, removed) -> tuple[Person, Person]:
    kept_id = kept.pk if isinstance(kept, Person) else int(kept)
    removed_id = removed.pk if isinstance(removed, Person) else int(removed)
    if kept_id == removed_id:
        raise MergeError("A person cannot be merged into themselves.")
    found = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept_id, removed_id])}
    for person_id in (kept_id, removed_id):
        if person_id not in found:
            earlier = merged_into(person_id)
            if earlier is not None:
                raise MergeError(f"Person #{person_id} was already merged into #{earlier.pk} ({earlier.name}).")
            raise MergeError(f"There is no person #{person_id}.")
    return found[kept_id], found[removed_id]


def _refuse_shared_contests(kept, removed) -> None:
    shared = Candidacy.objects.filter(person=kept, contest__isnull=False).filter(
        contest__in=Candidacy.objects.filter(person=removed).values("contest")
    )
    contest = shared.select_related("contest").first()
    if contest is not None:
        raise MergeError(
            f"Both people stood in contest #{contest.contest_id}: they cannot be one person (or fix the results first)."
        )


def _later_merges(merge) -> list[PersonMerge]:
    people = {merge.kept_id, merge.removed_id}
    return list(
        PersonMerge.objects.filter(undone_at__isnull=True)
        .filter(Q(kept_id__in=people) | Q(removed_id__in=people))
        .filter(Q(merged_at__gt=merge.merged_at) | Q(merged_at=merge.merged_at, pk__gt=merge.pk))
        .order_by("-merged_at", "-pk")
    )


# -- duplicates -----------------------------------------------------------------


def _duplicates(kept, removed) -> list[tuple]:
    """(row of the removed person, the row it would duplicate or None): aliases
    the kept person already has, relations that would repeat one of the kept
    person's, and relations between the two (which would relate a person to themselves)."""
    out = []
    kept_aliases = {a.search_name: a for a in kept.aliases.all()}
    for alias in removed.aliases.order_by("pk"):
        if alias.search_name in kept_aliases:
            out.append((alias, kept_aliases[alias.search_name]))
    kept_relations = {
        (r.subject_id, r.object_id, r.kind): r
        for r in PersonRelation.objects.filter(Q(subject=kept) | Q(object=kept)).order_by("pk")
    }
    for relation in PersonRelation.objects.filter(Q(subject=removed) | Q(object=removed)).order_by("pk"):
        subject = kept.pk if relation.subject_id == removed.pk else relation.subject_id
        obj = kept.pk if relation.object_id == removed.pk else relation.object_id
        if subject == obj:
            out.append((relation, None))  # between the two: nowhere to go
        elif (subject, obj, relation.kind) in kept_relations:
            out.append((relation, kept_relations[(subject, obj, relation.kind)]))
    return out


def _move_citations(row, twin, user, reason) -> list[list[int]]:
    """A dropped duplicate's citations support its twin equally: they move to
    it. Returns [citation id, old content type, old object id] per citation."""
    moved = []
    for citation in row.citations.order_by("pk"):
        moved.append([citation.pk, citation.content_type_id, citation.object_id])
        move(citation, user, reason, object_id=twin.pk)
    return moved


def _name_as_alias(kept, removed, user, reason) -> int | None:
    """The removed person's name becomes an alias of the kept one, unless the
    kept person already goes by it."""
    name = normalise_name(removed.name)
    if name == kept.search_name or kept.aliases.filter(search_name=name).exists():
        return None
    alias = PersonAlias(person=kept, name=removed.name, kind=PersonAlias.Kind.OTHER)
    alias._history_user, alias._change_reason = user, reason
    alias.save()
    return alias.pk
