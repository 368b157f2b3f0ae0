"""Writing a build's records into a live database, by natural keys.

Each built record is matched with the database's (records/ingest/matching.py)
or created. A matched record gains what the document adds (an empty field
filled, a date made more precise, another name as an alias, the document's
quotes) and keeps everything else: a value the document contradicts is a
conflict, reported with the others, and nothing is written. A record that
gains nothing is not saved, so its timestamps do not move.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from records.ingest.matching import ENTITIES, Ambiguous, entity_names, find_claim, find_entity
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Event,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Place,
    Posting,
    Source,
)
from records.seedbuilder.documents import Problem
from records.seedbuilder.fixtures import FIXTURE_FILES
from records.seedbuilder.reading import refines
from records.seedbuilder.registry import DATE_FIELDS, LINKED_CLAIMS, Entry, PendingLink
from records.text import normalise_name

# Referenced records before the records that reference them: the fixtures' load order.
ORDER = tuple(model for group in FIXTURE_FILES.values() for model in group if model is not Citation)
# A model's reference to its own kind: set once every record of the kind is placed.
SELF_REFERENCES = {Place: "parent", Organisation: "parent", Posting: "previous"}
KEYED = {"posting": Posting, "event": Event, "candidacy": Candidacy}
# Never taken from a document: what curators decide, and the matched record's own key.
NOT_COMPARED = {"review_status", "verified_by", "verified_at", "drafted_by", "imported_from", "slug", "key"}
ALIASES = {Person: (PersonAlias, "person"), Organisation: (OrganisationAlias, "organisation")}


@dataclass
class Counts:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    citations: int = 0

    def lines(self) -> list[str]:
        out = []
        for label, counter in (("created", self.created), ("updated", self.updated), ("unchanged", self.unchanged)):
            if counter:
                out.append(f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counter.items())))
        out.append(f"citations added: {self.citations}")
        return out


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


class Writer:
    """One build written into the database; ``problems`` lists what stops it."""

    def __init__(self, builder):
        self.builder = builder
        self.entries: dict[type[models.Model], list[Entry]] = builder.entries
        self.ids: dict[type[models.Model], dict[int, int]] = defaultdict(dict)
        self.records: dict[tuple[type[models.Model], int], models.Model] = {}
        self.problems: list[Problem] = []
        self.counts = Counts()
        # Why the history shows each record written here: the documents it came from.
        self.reason = "recorded from " + ", ".join(e.obj.slug for e in builder.entries.get(Source, []))
        # Records made here rather than built (aliases, links to earlier claims), with the quotes they take.
        self.extra_cites: list[tuple[type[models.Model], int, Entry]] = []

    def run(self) -> None:
        alias_names = self._alias_names()
        for model in ORDER:
            for entry in sorted(self.entries.get(model, []), key=lambda e: e.obj.pk):
                self._place(model, entry, alias_names)
        self._self_references()
        self._many_to_many()
        self._outside_references()
        self._cite()

    # -- records --------------------------------------------------------------

    def _save(self, record: models.Model) -> None:
        record._change_reason = self.reason  # the history says where the version came from
        record.save()

    def _problem(self, entry: Entry, reason: str) -> None:
        self.problems.append(Problem(*entry.origin.split(": ", 1), reason))

    def _alias_names(self) -> dict[tuple[type, int], list[str]]:
        names = defaultdict(list)
        for model, (alias_model, owner) in ALIASES.items():
            for entry in self.entries.get(alias_model, []):
                names[(model, getattr(entry.obj, f"{owner}_id"))].append(entry.obj.name)
        return names

    def _values(self, model, entry: Entry) -> dict | None:
        """The entry's field values with references turned into database ids;
        None if a record it references could not be placed."""
        obj, values = entry.obj, {}
        for f in obj._meta.concrete_fields:
            if f.primary_key or (not f.editable and not f.is_relation):
                continue  # derived columns and timestamps are the database's
            value = getattr(obj, f.attname)
            if f.is_relation and f.related_model is ContentType:
                value = ContentType.objects.get_by_natural_key(*getattr(obj, f"{f.name}_key")).pk
            elif f.is_relation and value is not None:
                target = f.related_model._meta.concrete_model
                if SELF_REFERENCES.get(model) == f.name and value not in self.ids[target]:
                    continue  # its target is placed later: set then (_self_references)
                value = self.ids[target].get(value)
                if value is None:
                    return None
            values[f.attname] = value
        if model is ClaimLink:
            for side in ("claim", "target"):
                target = ContentType.objects.get_for_id(values[f"{side}_type_id"]).model_class()
                values[f"{side}_id"] = self.ids[target].get(values[f"{side}_id"])
                if values[f"{side}_id"] is None:
                    return None
        return values

    def _place(self, model, entry: Entry, alias_names) -> None:
        values = self._values(model, entry)
        if values is None:
            return  # what it references failed, and was reported
        try:
            if model in ENTITIES:
                names = entity_names(entry.obj, alias_names.get((model, entry.obj.pk), []))
                existing = find_entity(entry.obj, names)
            else:
                existing = find_claim(type(entry.obj)(**values))
        except Ambiguous as exc:
            self._problem(entry, str(exc))
            return
        if model is Source and existing is not None and existing.citations.exists():
            self._problem(entry, f"this document is already recorded (source {existing.slug})")
            return
        record = self._merge(model, entry, existing, values) if existing else self._create(model, entry, values)
        if record is not None:
            self.ids[model][entry.obj.pk] = record.pk
            self.records[(model, entry.obj.pk)] = record

    def _create(self, model, entry: Entry, values: dict) -> models.Model | None:
        record = type(entry.obj)(**values)
        if hasattr(record, "slug"):
            record.slug = self._free_slug(model, record.slug)
        if model is ClaimLink:
            try:
                record.clean()
            except ValidationError as exc:
                self._problem(entry, "; ".join(exc.messages))
                return None
        try:
            with transaction.atomic():
                self._save(record)
        except (IntegrityError, ValidationError) as exc:
            self._problem(entry, f"cannot be recorded: {exc}")
            return None
        self.counts.created[_label(model)] += 1
        return record

    @staticmethod
    def _free_slug(model, slug: str) -> str:
        """``slug``, or ``slug-2``, ``slug-3``... when another record has it (its names did not match)."""
        taken = set(model._base_manager.filter(slug__startswith=slug).values_list("slug", flat=True))
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def _merge(self, model, entry: Entry, record: models.Model, values: dict) -> models.Model:
        changed = []
        for f in record._meta.concrete_fields:
            if f.attname not in values or f.name in NOT_COMPARED or f.primary_key:
                continue
            if model is ClaimLink:
                # Found by its sides and kind (a contradiction either way round): nothing else to take.
                continue
            new, old = values[f.attname], getattr(record, f.attname)
            if new in (None, "", []) or new == old:
                continue
            if f.name == "name" and model in ENTITIES:
                if normalise_name(new) != normalise_name(old):
                    self._add_alias(model, entry, record, new)
            elif f.name == "other_names":
                merged = sorted(set(old) | set(new))
                if merged != sorted(old):
                    record.other_names = merged
                    changed.append(f.name)
            elif old in (None, "") or (f.name in DATE_FIELDS and refines(new, old)):
                setattr(record, f.attname, new)
                changed.append(f.name)
            elif not (f.name in DATE_FIELDS and refines(old, new)):
                self._problem(
                    entry,
                    f"{f.name}: the database has {old!r} ({model._meta.verbose_name} {record.pk}), the document "
                    f"says {new!r}. Nothing was changed: record the new state as a claim of its own (another "
                    "key) linked to this one (supersedes, contradicts), or correct the record",
                )
        if changed:
            self._save(record)
            self.counts.updated[_label(model)] += 1
        else:
            self.counts.unchanged[_label(model)] += 1
        return record

    def _add_alias(self, model, entry: Entry, record, name: str) -> None:
        """Another document's main name for a matched record: one of its other names."""
        key = normalise_name(name)
        if model is Place:
            if key not in {normalise_name(n) for n in record.other_names}:
                record.other_names = sorted({*record.other_names, name})
                self._save(record)
            return
        if model not in ALIASES or (model is Organisation and normalise_name(record.abbreviation) == key):
            return  # an election keeps its first name; an abbreviation is a name already
        alias_model, owner = ALIASES[model]
        if alias_model.objects.filter(**{owner: record}, search_name=key).exists():
            return
        alias = alias_model(**{owner: record}, name=name, kind=alias_model.Kind.OTHER)
        self._save(alias)
        self.counts.created[_label(alias_model)] += 1
        self.extra_cites.append((alias_model, alias.pk, entry))

    # -- links between records -------------------------------------------------

    def _self_references(self) -> None:
        for model, name in SELF_REFERENCES.items():
            for entry in self.entries.get(model, []):
                target = getattr(entry.obj, f"{name}_id")
                record = self.records.get((model, entry.obj.pk))
                if target is None or record is None:
                    continue
                self._set_reference(entry, record, name, self.ids[model].get(target))

    def _set_reference(self, entry: Entry, record, name: str, target_id: int | None) -> None:
        current = getattr(record, f"{name}_id")
        if target_id is None or current == target_id:
            return
        if current is not None:
            self._problem(entry, f"{name}: the database has record {current}, the document says {target_id}")
            return
        setattr(record, f"{name}_id", target_id)
        self._save(record)

    def _many_to_many(self) -> None:
        for entry in self.entries.get(Event, []):
            record = self.records.get((Event, entry.obj.pk))
            if record is None:
                continue
            participants = [self.ids[Person].get(pk) for pk in entry.m2m.get("participants", ())]
            record.participants.add(*[pk for pk in participants if pk])

    def _outside_references(self) -> None:
        """References to claims the database held before this build: links
        (contradicted events among them) and previous postings, by the person's claim key."""
        for link in self.builder.unresolved_links:
            self._outside_link(link)
        for _kind, entry, where, key in self.builder.unresolved_refs:
            record = self.records.get((Posting, entry.obj.pk))
            if record is None:
                continue
            target = Posting.objects.filter(person_id=record.person_id, key=key).first()
            if target is None:
                self.problems.append(
                    Problem(
                        where.doc.annotation_name,
                        where.child("previous").label,
                        f"unknown reference: no posting {key!r} of this person, in the documents or the database",
                    )
                )
            else:
                self._set_reference(entry, record, "previous", target.pk)

    def _outside_link(self, link: PendingLink) -> None:
        model = type(link.entry.obj)._meta.concrete_model
        record = self.records.get((model, link.entry.obj.pk))
        if record is None:
            return
        kinds, key = link.target_parts()
        found = [t for kind in kinds if (t := KEYED[kind].objects.filter(person_id=record.person_id, key=key).first())]
        where = (link.where.doc.annotation_name, link.where.child(link.target_field).label)
        if not found:
            self.problems.append(
                Problem(
                    *where,
                    f"unknown reference: no claim {link.target!r} of this person, in the documents or the database",
                )
            )
            return
        if len(found) > 1:
            self.problems.append(
                Problem(
                    *where, f"{key!r} names more than one claim of this person; write {'/'.join(LINKED_CLAIMS)}:{key}"
                )
            )
            return
        values = {
            "claim_type": ContentType.objects.get_for_model(model),
            "claim_id": record.pk,
            "kind": link.kind,
            "target_type": ContentType.objects.get_for_model(found[0]),
            "target_id": found[0].pk,
        }
        existing = find_claim(ClaimLink(**values))
        if existing is None:
            existing = ClaimLink(**values)
            try:
                existing.clean()
            except ValidationError as exc:
                self.problems.append(Problem(*where, "; ".join(exc.messages)))
                return
            self._save(existing)
            self.counts.created[_label(ClaimLink)] += 1
        self.extra_cites.append((ClaimLink, existing.pk, Entry(existing, link.where.label, list(link.cites))))

    # -- quotes -----------------------------------------------------------------

    def _cite(self) -> None:
        sources = {e.obj.slug: self.ids[Source].get(e.obj.pk) for e in self.entries.get(Source, [])}
        wanted = []
        for model in ORDER[1:]:
            for entry in self.entries.get(model, []):
                if (pk := self.ids[model].get(entry.obj.pk)) is not None:
                    wanted.append((model, pk, entry))
        wanted += self.extra_cites
        for model, pk, entry in wanted:
            content_type = ContentType.objects.get_for_model(model)
            seen = set()
            for cite in entry.cites:
                source = sources.get(cite.doc.slug)
                key = (source, cite.field, cite.start, cite.end)
                if source is None or key in seen:
                    continue
                # The sources are new (a recorded document is skipped): none of their citations exists yet.
                seen.add(key)
                self._save(
                    Citation(
                        source_id=source,
                        content_type=content_type,
                        object_id=pk,
                        field=cite.field,
                        quote=cite.quote,
                        start=cite.start,
                        end=cite.end,
                        said=cite.said,
                    )
                )
                self.counts.citations += 1
