"""Registering records across documents, merging them, and finishing them.

The same place, organisation, person or election is merged across documents
by any of its names, and the same claim by its key. Sources that disagree on
a value are not reconciled: the conflict is reported (encode disagreeing
claims as separate records instead).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import models

from records.constraints import violations
from records.fields import FuzzyDateBoundField, NameListSearchField, SearchNameField
from records.models import ClaimLink, Posting, Source
from records.models.gazetteer import tree_path
from records.seedbuilder.annotations import Mapping
from records.seedbuilder.documents import Problem
from records.seedbuilder.reading import AnnotationReader, Cite, Where, refines
from records.text import normalise_name

DATE_FIELDS = {"start", "end", "date", "birth_date", "poll_date", "announced", "counting"}


def content_type_key(obj: models.Model) -> tuple[str, str]:
    """A record's content type by natural key: no database needed."""
    meta = obj._meta.concrete_model._meta
    return (meta.app_label, meta.model_name)


@dataclass
class PendingLink:
    """A claim's link to another claim, by key, until every document is read."""

    entry: Entry
    kind: str
    target: str  # "<key>" or "<posting|event|candidacy>:<key>", a key of the same person
    where: Where
    cites: list[Cite]

    # Where a problem with the target is reported: the link's ``claim``, or the event's ``contradicts``.
    target_field: str = "claim"

    def target_parts(self) -> tuple[tuple[str, ...], str]:
        """(the claim types the key may name, the key)."""
        kind, _, key = self.target.rpartition(":")
        return ((kind,) if kind else LINKED_CLAIMS), key


def contradiction(entry: Entry, where: Where, target_key: str) -> PendingLink:
    """An event's ``contradicts: [<event key>]``: a ``contradicts`` link to that
    event, supported by the quotes of the event that names it (as a link
    without its own ``cite``), each for the whole link."""
    cites = [replace(cite, field="", said="") for cite in entry.cites]
    return PendingLink(entry, ClaimLink.Kind.CONTRADICTS, f"event:{target_key}", where, cites, "contradicts")


# Claims that have keys, and so can be the target of a link: registry kind -> model name.
LINKED_CLAIMS = ("posting", "event", "candidacy")


@dataclass
class Entry:
    """A record being built: the unsaved instance, its quotes, where it came from."""

    obj: models.Model
    origin: str
    cites: list[Cite] = field(default_factory=list)
    m2m: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


class Registry(AnnotationReader):
    """The records built so far, by model, by name and by claim key."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[type[models.Model], list[Entry]] = defaultdict(list)
        self.next_pk: dict[type[models.Model], int] = defaultdict(int)
        self.by_name: dict[str, dict[str, Entry]] = defaultdict(dict)
        self.by_slug: dict[str, dict[str, Entry]] = defaultdict(dict)
        self.local: dict[tuple[str, str, str], Entry] = {}
        self.claims: dict[tuple, Entry] = {}
        self.claim_keys_seen: set[tuple[str, tuple]] = set()
        # posting pk -> (order declared, where) of its 'previous' link
        self.previous_links: dict[int, tuple[int, Where]] = {}
        self.deferred: list[tuple[str, Entry, Where, object]] = []
        self.pending_links: list[PendingLink] = []
        # When ingesting into a database, links to claims it holds are resolved
        # there (records/ingest); a fixture build must resolve every link itself.
        self.links_may_leave_build = False
        self.unresolved_links: list[PendingLink] = []
        self.unresolved_refs: list[tuple[str, Entry, Where, str]] = []  # posting_previous

    def _entry_problem(self, entry: Entry, reason: str) -> None:
        self.problems.append(Problem(*entry.origin.split(": ", 1), reason))

    # -- registration -------------------------------------------------------

    def _add(self, obj: models.Model, where: Where, cites: list[Cite] | None = None) -> Entry:
        concrete = obj._meta.concrete_model
        self.next_pk[concrete] += 1
        obj.pk = self.next_pk[concrete]
        entry = Entry(obj=obj, origin=f"{where.doc.annotation_name}: {where.label}", cites=list(cites or []))
        self.entries[concrete].append(entry)
        return entry

    def _entity(
        self,
        kind: str,
        model: type[models.Model],
        spec: Mapping,
        where: Where,
        *,
        names: list,
        fields: dict,
        cites: list[Cite] | None = None,
    ) -> Entry | None:
        local_key = (where.doc.slug, kind, str(spec["id"]))
        if local_key in self.local:
            self._problem(where, f"duplicate {kind} id {spec['id']!r} in this file")
            return None
        keys = {normalise_name(str(n)) for n in names if n}
        matches = {id(e): e for k in keys if (e := self.by_name[kind].get(k))}
        cites = cites if cites is not None else self._cites(spec.get("cite"), where)
        if len(matches) > 1:
            origins = "; ".join(e.origin for e in matches.values())
            self._problem(where, f"its names match more than one {kind} ({origins})")
            return None
        if matches:
            entry = next(iter(matches.values()))
            # Matched by a shared name: the first document's main name stays; a
            # different main name here becomes an alias (see the readers).
            self._merge_fields(entry, {k: v for k, v in fields.items() if k != "name"}, where)
            entry.cites += cites
        else:
            slug = str(spec["id"])
            if slug in self.by_slug[kind]:
                self._problem(
                    where, f"id {slug!r} is already the key of another {kind} ({self.by_slug[kind][slug].origin})"
                )
                return None
            obj = model(slug=slug, **fields)
            entry = self._add(obj, where, cites)
            self.by_slug[kind][slug] = entry
        for k in keys:
            self.by_name[kind].setdefault(k, entry)
        self.local[local_key] = entry
        return entry

    def _claim(self, key: tuple, obj: models.Model, where: Where, cites: list[Cite], fields: dict) -> Entry | None:
        existing = self.claims.get(key)
        if (where.doc.slug, key) in self.claim_keys_seen:
            self._problem(where, f"duplicate key: the same claim is already in this file ({existing.origin})")
            return None
        self.claim_keys_seen.add((where.doc.slug, key))
        if existing:
            self._merge_fields(existing, fields, where)
            existing.cites += cites
            return existing
        entry = self._add(obj, where, cites)
        self.claims[key] = entry
        return entry

    def _merge_fields(self, entry: Entry, fields: dict, where: Where) -> None:
        for name, value in fields.items():
            if value in (None, ""):
                continue
            current = getattr(entry.obj, name)
            if current in (None, "") or (name in DATE_FIELDS and refines(value, current)):
                setattr(entry.obj, name, value)
            elif current != value and not (name in DATE_FIELDS and refines(current, value)):
                self._problem(
                    where,
                    f"sources disagree on {name}: {current!r} ({entry.origin}) vs {value!r}; "
                    "encode them as separate claims (different keys) instead of one",
                )

    def _alias(self, model, owner_field: str, owner: Entry, spec, where: Where, extra_cites=None) -> None:
        if not isinstance(spec, Mapping) or not self._check_keys(
            spec, {"name", "kind", "status", "cite"}, {"name", "kind"}, where
        ):
            return
        obj = model(**{f"{owner_field}_id": owner.obj.pk}, name=str(spec["name"]), kind=spec["kind"])
        obj.status = spec.get("status") or "confirmed"
        cites = self._cites(spec.get("cite"), where) if spec.get("cite") else list(extra_cites or [])
        key = (model.__name__, owner.obj.pk, normalise_name(obj.name))
        existing = self.claims.get(key)
        if existing:
            self._merge_fields(existing, {"kind": obj.kind, "status": obj.status}, where)
            existing.cites += cites
            return
        self.claims[key] = self._add(obj, where, cites)

    def _ref(self, where: Where, kind: str, local_id) -> Entry | None:
        entry = self.local.get((where.doc.slug, kind, str(local_id)))
        if entry is None:
            self._problem(where, f"unknown reference: no {kind} with id {local_id!r} in this file")
        return entry

    def _ref_pk(self, where: Where, kind: str, local_id) -> int | None:
        """The primary key of ``_ref``'s record, None if there is none."""
        entry = self._ref(where, kind, local_id)
        return entry.obj.pk if entry else None

    # -- after all documents ------------------------------------------------

    def _resolve_deferred(self) -> None:
        for kind, entry, where, target in self.deferred:
            if kind in ("place_parent", "organisation_parent"):
                ref = self._ref(where.child("part_of"), kind.split("_")[0], target)
                if ref:
                    self._merge_fields(entry, {"parent_id": ref.obj.pk}, where)
            elif kind == "posting_previous":
                ref = self.claims.get(("posting", entry.obj.person_id, target))
                if ref is None and self.links_may_leave_build:
                    self.unresolved_refs.append((kind, entry, where, target))
                elif ref is None:
                    self._problem(where.child("previous"), f"unknown reference: no posting {target!r} for this person")
                elif ref is entry:
                    self._problem(where.child("previous"), "a posting cannot come before itself")
                else:
                    self._merge_fields(entry, {"previous_id": ref.obj.pk}, where)
                    self.previous_links.setdefault(entry.obj.pk, (len(self.previous_links), where))
            elif kind == "event_contradicts":
                ref = self.claims.get(("event", entry.obj.person_id, target))
                link = contradiction(entry, where, target)
                if ref is None and self.links_may_leave_build:
                    self.unresolved_links.append(link)
                elif ref is None:
                    self._problem(where.child("contradicts"), f"unknown reference: no event {target!r} for this person")
                elif ref is entry:
                    self._problem(where.child("contradicts"), "an event cannot contradict itself")
                else:
                    self._link(link, ref.obj)

    def _resolve_links(self) -> None:
        for link in self.pending_links:
            kinds, key = link.target_parts()
            if any(kind not in LINKED_CLAIMS for kind in kinds):
                self._problem(
                    link.where.child("claim"), f"a link names a posting, event or candidacy, not {kinds[0]!r}"
                )
                continue
            person = link.entry.obj.person_id
            found = [self.claims[k] for kind in kinds if (k := (kind, person, key)) in self.claims]
            if len(found) > 1:
                self._problem(
                    link.where.child("claim"),
                    f"{key!r} is the key of more than one claim of this person; write posting:{key}, event:{key} "
                    f"or candidacy:{key}",
                )
            elif found and found[0] is link.entry:
                self._problem(link.where.child("claim"), "a claim cannot be linked to itself")
            elif found:
                self._link(link, found[0].obj)
            elif self.links_may_leave_build:
                self.unresolved_links.append(link)
            else:
                self._problem(link.where.child("claim"), f"unknown reference: no claim {link.target!r} for this person")

    def _link(self, link: PendingLink, target: models.Model) -> Entry | None:
        """Register the link from ``link.entry`` to ``target`` (a built record, or a
        saved one when ingesting), merged with the same link of other documents."""
        obj = ClaimLink(claim_id=link.entry.obj.pk, kind=link.kind, target_id=target.pk)
        obj.claim_type_key = content_type_key(link.entry.obj)
        obj.target_type_key = content_type_key(target)
        key = ("link", obj.claim_type_key, obj.claim_id, link.kind, obj.target_type_key, obj.target_id)
        if link.kind == ClaimLink.Kind.CONTRADICTS:
            # A contradiction is one pair whichever side names the other: the side named first stays the claim.
            reverse = ("link", obj.target_type_key, obj.target_id, link.kind, obj.claim_type_key, obj.claim_id)
            if reverse in self.claims:
                self.claims[reverse].cites += link.cites
                return self.claims[reverse]
        return self._claim(key, obj, link.where, link.cites, {})

    def _check_posting_order(self) -> None:
        """``previous`` links must not loop (a before b before a); each loop is reported once."""
        by_pk = {e.obj.pk: e for e in self.entries.get(Posting, [])}
        reported: set[int] = set()
        for entry in by_pk.values():
            path, node = [], entry
            while node is not None and node.obj.previous_id is not None and node.obj.pk not in path:
                path.append(node.obj.pk)
                node = by_pk.get(node.obj.previous_id)
            if node is None or node.obj.pk not in path or node.obj.pk in reported:
                continue
            loop = path[path.index(node.obj.pk) :]
            reported.update(loop)
            keys = " -> ".join(repr(by_pk[pk].obj.role) for pk in loop)
            _, where = max(self.previous_links[pk] for pk in loop)  # the link that closed the loop
            self._problem(where.child("previous"), f"the 'previous' postings loop back ({keys})")

    def _compute_tree_paths(self, model: type[models.Model]) -> None:
        by_pk = {e.obj.pk: e for e in self.entries[model]}
        for entry in by_pk.values():
            seen, node, chain = set(), entry, []
            while node is not None:
                if node.obj.pk in seen:
                    loop = ", ".join(repr(by_pk[pk].obj.name) for pk in sorted(seen))
                    self._entry_problem(entry, f"its 'part_of' chain loops ({loop})")
                    break
                seen.add(node.obj.pk)
                chain.append(node.obj.slug)
                node = by_pk.get(node.obj.parent_id)
            path = None
            for slug in reversed(chain):
                path = tree_path(path, slug)
            entry.obj.path = path

    def _finish(self, newest: date | None) -> None:
        """Derived columns, timestamps (``newest`` publication date), field validation, one quote per record."""
        stamp = datetime.combine(newest, time(0), tzinfo=UTC) if newest else None
        for model, entries in self.entries.items():
            for entry in entries:
                obj = entry.obj
                for f in obj._meta.concrete_fields:
                    if isinstance(f, FuzzyDateBoundField | SearchNameField | NameListSearchField):
                        with contextlib.suppress(ValidationError):  # clean_fields reports it
                            f.pre_save(obj, add=True)
                    elif f.name in ("created_at", "updated_at"):
                        setattr(obj, f.attname, stamp)
                self._validate(entry)
                if model is not Source and not entry.cites:
                    self._entry_problem(entry, "no quote supports this record")

    def _validate(self, entry: Entry) -> None:
        obj = entry.obj
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=[*relations, "path"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self._entry_problem(entry, f"{name}: {message}")
        for message in violations(obj):
            self._entry_problem(entry, message)
