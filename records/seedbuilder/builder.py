"""Turn ``seeds/*.txt`` and their ``*.yaml`` annotations into fixture records.

The annotation format is documented in ``seeds/README.md``. The builder:

- checks every quote against the verbatim text and records its offsets;
- resolves relative dates ("on Saturday", "last year") against the
  document's publication date, keeping the words in the citation;
- merges the same place, organisation, person or election across documents
  by any of its names, and the same claim by its key;
- refuses to pick between sources that disagree on a value: it reports the
  conflict (encode disagreeing claims as separate records instead);
- collects every problem (file, claim, reason) and raises ``BuildFailed``
  rather than produce anything partial.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models

from records.fields import FuzzyDateBoundField, SearchNameField
from records.fuzzydates import FuzzyDateError, parse_fuzzy_date
from records.models import (
    Candidacy,
    Election,
    ElectionPhase,
    Event,
    Organisation,
    OrganisationAlias,
    Party,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    Posting,
    Source,
)
from records.models.gazetteer import tree_path
from records.seedbuilder.annotations import AnnotationSyntaxError, Mapping, load_annotation
from records.seedbuilder.checks import violations
from records.seedbuilder.documents import BuildFailed, Problem, SeedDocument, read_document
from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date
from records.text import normalise_name

SECTIONS = (
    "source",
    "places",
    "organisations",
    "persons",
    "elections",
    "relations",
    "postings",
    "events",
    "candidacies",
)
SOURCE_KEYS = {"title", "publisher", "url", "language", "sha256"}
DATE_FIELDS = {"start", "end", "date", "birth_date", "poll_date", "announced", "counting"}


@dataclass
class Cite:
    doc: SeedDocument
    quote: str
    start: int
    end: int
    field: str = ""
    said: str = ""


@dataclass
class Entry:
    """A record being built: the unsaved instance, its quotes, where it came from."""

    obj: models.Model
    origin: str
    cites: list[Cite] = field(default_factory=list)
    m2m: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class Where:
    doc: SeedDocument
    label: str

    def child(self, label: str) -> Where:
        return Where(self.doc, f"{self.label} {label}".strip())


class FixtureBuilder:
    """One build: ``build()`` returns the records, or raises ``BuildFailed``."""

    def __init__(self, seeds_dir: Path):
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = []
        self.entries: dict[type[models.Model], list[Entry]] = defaultdict(list)
        self.next_pk: dict[type[models.Model], int] = defaultdict(int)
        self.by_name: dict[str, dict[str, Entry]] = defaultdict(dict)
        self.by_slug: dict[str, dict[str, Entry]] = defaultdict(dict)
        self.local: dict[tuple[str, str, str], Entry] = {}
        self.claims: dict[tuple, Entry] = {}
        self.parents: dict[int, tuple[Where, str]] = {}
        self.deferred: list[tuple[str, Entry, Where, object]] = []
        self.documents: list[SeedDocument] = []

    # -- entry points -------------------------------------------------------

    def build(self) -> dict[type[models.Model], list[Entry]]:
        for document in self._documents():
            self._read_document(document)
        self._resolve_deferred()
        self._compute_tree_paths(Place)
        self._compute_tree_paths(Organisation)
        self._finish()
        if self.problems:
            raise BuildFailed(self.problems)
        return self.entries

    # -- documents ----------------------------------------------------------

    def _documents(self) -> Iterable[SeedDocument]:
        texts = sorted(self.seeds_dir.glob("*.txt"))
        if not texts:
            self.problems.append(Problem(str(self.seeds_dir), "", "no seed documents (*.txt) found"))
        for orphan in sorted(self.seeds_dir.glob("*.yaml")):
            if not orphan.with_suffix(".txt").exists():
                self.problems.append(Problem(f"seeds/{orphan.name}", "", "annotation without a document beside it"))
        for text_path in texts:
            document = read_document(text_path)
            if isinstance(document, Problem):
                self.problems.append(document)
                continue
            if not document.annotation_path.exists():
                self.problems.append(Problem(f"seeds/{text_path.name}", "", "no annotation file beside it (.yaml)"))
                continue
            try:
                document.annotation = load_annotation(document.annotation_path)
            except AnnotationSyntaxError as exc:
                self.problems.append(Problem(document.annotation_name, "", str(exc)))
                continue
            self.documents.append(document)
            yield document

    def _read_document(self, doc: SeedDocument) -> None:
        data = doc.annotation
        top = Where(doc, "")
        for key in data:
            if key not in SECTIONS:
                self._problem(top, f"unknown section {key!r} (expected one of {', '.join(SECTIONS)})")
        self._read_source(doc, data.get("source") or Mapping(), top.child("source"))
        for section, reader in (
            ("places", self._read_place),
            ("organisations", self._read_organisation),
            ("persons", self._read_person),
            ("elections", self._read_election),
            ("relations", self._read_relation),
            ("postings", self._read_posting),
            ("events", self._read_event),
            ("candidacies", self._read_candidacy),
        ):
            items = data.get(section) or []
            if not isinstance(items, list):
                self._problem(top.child(section), "must be a list")
                continue
            for index, spec in enumerate(items):
                label = f"{section}[{index}]"
                if isinstance(spec, Mapping):
                    name = spec.get("id") or spec.get("key")
                    label += f" {name!r}" if name else ""
                    label += f" (line {spec.line})"
                where = top.child(label)
                if not isinstance(spec, Mapping):
                    self._problem(where, "must be a mapping")
                    continue
                reader(spec, where)

    def _read_source(self, doc: SeedDocument, spec: Mapping, where: Where) -> None:
        # The annotation pins the exact bytes it was written for.
        if self._check_keys(spec, SOURCE_KEYS, {"sha256"}, where) and str(spec["sha256"]) != doc.sha256:
            self._problem(where, f"sha256 {spec['sha256']} does not match the document's bytes ({doc.sha256})")
        source = Source(
            slug=doc.slug,
            kind=Source.Kind.ARTICLE,
            title=str(spec.get("title") or ""),
            publisher=str(spec.get("publisher") or ""),
            url=str(spec.get("url") or ""),
            published_on=doc.published_on,
            language=str(spec.get("language") or "en"),
            path=f"seeds/{doc.text_path.name}",
            text=doc.text,
            sha256=doc.sha256,
        )
        self._add(source, where)

    # -- entities -----------------------------------------------------------

    def _read_place(self, spec: Mapping, where: Where) -> None:
        if not self._check_keys(
            spec, {"id", "name", "kind", "other_names", "part_of", "cite"}, {"id", "name", "kind"}, where
        ):
            return
        other_names = self._string_list(spec.get("other_names"), where.child("other_names"))
        entry = self._entity(
            "place",
            Place,
            spec,
            where,
            names=[spec["name"], *other_names],
            fields={"name": spec["name"], "kind": spec["kind"]},
        )
        if entry:
            entry.obj.other_names = sorted(set(entry.obj.other_names) | set(other_names))
            if spec.get("part_of"):
                self.deferred.append(("place_parent", entry, where, spec["part_of"]))

    def _read_organisation(self, spec: Mapping, where: Where) -> None:
        allowed = {"id", "name", "kind", "abbreviation", "part_of", "place", "aliases", "cite"}
        if not self._check_keys(spec, allowed, {"id", "name", "kind"}, where):
            return
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list):
            self._problem(where.child("aliases"), "must be a list")
            aliases = []
        alias_names = [a.get("name") for a in aliases if isinstance(a, Mapping)]
        fields = {"name": spec["name"], "kind": spec["kind"], "abbreviation": str(spec.get("abbreviation") or "")}
        if spec.get("place"):
            place = self._ref(where.child("place"), "place", spec["place"])
            fields["place_id"] = place.obj.pk if place else None
        entry = self._entity(
            "organisation",
            Party if spec["kind"] == Organisation.Kind.PARTY else Organisation,
            spec,
            where,
            names=[spec["name"], fields["abbreviation"], *alias_names],
            fields=fields,
        )
        if not entry:
            return
        if spec.get("part_of"):
            self.deferred.append(("organisation_parent", entry, where, spec["part_of"]))
        for index, alias in enumerate(aliases):
            self._alias(OrganisationAlias, "organisation", entry, alias, where.child(f"aliases[{index}]"))

    def _read_person(self, spec: Mapping, where: Where) -> None:
        allowed = {
            "id",
            "name",
            "aliases",
            "birth_date",
            "native_place",
            "gender",
            "social_group",
            "identifiers",
            "cite",
        }
        if not self._check_keys(spec, allowed, {"id", "name"}, where):
            return
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list):
            self._problem(where.child("aliases"), "must be a list")
            aliases = []
        field_cites: list[Cite] = []
        fields: dict[str, object] = {"name": spec["name"]}
        for name in ("gender", "social_group"):
            value, cites = self._value(spec, name, where)
            if value is not None:
                fields[name] = str(value)
                field_cites += cites
        value, cites = self._value(spec, "native_place", where)
        if value is not None:
            place = self._ref(where.child("native_place"), "place", value)
            fields["native_place_id"] = place.obj.pk if place else None
            field_cites += cites
        value, cites = self._value(spec, "birth_date", where)
        if value is not None:
            fields["birth_date"] = self._date(value, "birth_date", cites, where.child("birth_date"))
            field_cites += cites
        alias_names = [a.get("name") for a in aliases if isinstance(a, Mapping)]
        entry = self._entity("person", Person, spec, where, names=[spec["name"], *alias_names], fields=fields)
        if not entry:
            return
        entry.cites += field_cites
        if normalise_name(spec["name"]) != normalise_name(entry.obj.name):
            # Another document's main name for a merged person is one of its aliases.
            self._alias(PersonAlias, "person", entry, Mapping(name=spec["name"], kind="other"), where, entry.cites)
        for index, alias in enumerate(aliases):
            self._alias(PersonAlias, "person", entry, alias, where.child(f"aliases[{index}]"))
        identifiers = spec.get("identifiers") or []
        for index, ident in enumerate(identifiers if isinstance(identifiers, list) else []):
            sub = where.child(f"identifiers[{index}]")
            if not isinstance(ident, Mapping) or not self._check_keys(
                ident, {"scheme", "value", "cite"}, {"scheme", "value"}, sub
            ):
                continue
            key = ("identifier", str(ident["scheme"]), str(ident["value"]))
            obj = PersonIdentifier(person_id=entry.obj.pk, scheme=str(ident["scheme"]), value=str(ident["value"]))
            self._claim(key, obj, sub, self._cites(ident.get("cite"), sub), {})

    def _read_election(self, spec: Mapping, where: Where) -> None:
        allowed = {"id", "name", "jurisdiction", "body", "seats", "start", "end", "announced", "counting"}
        allowed |= {"status", "cite", "phases", "results"}
        if not self._check_keys(spec, allowed, {"id", "name", "jurisdiction", "status"}, where):
            return
        cites = self._cites(spec.get("cite"), where)
        jurisdiction = self._ref(where.child("jurisdiction"), "place", spec["jurisdiction"])
        fields: dict[str, object] = {
            "name": spec["name"],
            "status": spec["status"],
            "jurisdiction_id": jurisdiction.obj.pk if jurisdiction else None,
        }
        if spec.get("body"):
            body = self._ref(where.child("body"), "organisation", spec["body"])
            fields["body_id"] = body.obj.pk if body else None
        if spec.get("seats") is not None:
            fields["seats"] = self._integer(spec["seats"], where.child("seats"))
        for name in ("start", "end", "announced", "counting"):
            if spec.get(name) is not None:
                fields[name] = self._date(spec[name], name, cites, where.child(name))
        entry = self._entity("election", Election, spec, where, names=[spec["name"]], fields=fields, cites=cites)
        if not entry:
            return
        for index, phase in enumerate(spec.get("phases") or []):
            sub = where.child(f"phases[{index}]")
            if not isinstance(phase, Mapping) or not self._check_keys(
                phase, {"number", "poll_date", "status", "cite"}, {"number", "poll_date"}, sub
            ):
                continue
            phase_cites = self._cites(phase.get("cite"), sub)
            number = self._integer(phase["number"], sub.child("number"))
            obj = ElectionPhase(
                election_id=entry.obj.pk,
                number=number,
                poll_date=self._date(phase["poll_date"], "poll_date", phase_cites, sub.child("poll_date")),
                status=phase.get("status") or entry.obj.status,
            )
            self._claim(("phase", entry.obj.pk, number), obj, sub, phase_cites, {"poll_date": obj.poll_date})
        for index, result in enumerate(spec.get("results") or []):
            sub = where.child(f"results[{index}]")
            allowed = {"party", "seats_won", "seats_with_allies", "vote_share", "status", "cite"}
            if not isinstance(result, Mapping) or not self._check_keys(result, allowed, {"party", "status"}, sub):
                continue
            party = self._ref(sub.child("party"), "organisation", result["party"])
            numbers = {
                "seats_won": self._integer(result.get("seats_won"), sub.child("seats_won")),
                "seats_with_allies": self._integer(result.get("seats_with_allies"), sub.child("seats_with_allies")),
                "vote_share": self._decimal(result.get("vote_share"), sub.child("vote_share")),
            }
            obj = PartyResult(
                election_id=entry.obj.pk, party_id=party.obj.pk if party else None, status=result["status"], **numbers
            )
            key = ("result", entry.obj.pk, obj.party_id, *numbers.values())
            self._claim(key, obj, sub, self._cites(result.get("cite"), sub), {"status": obj.status})

    # -- claims -------------------------------------------------------------

    def _read_relation(self, spec: Mapping, where: Where) -> None:
        if not self._check_keys(
            spec, {"subject", "kind", "object", "status", "cite"}, {"subject", "kind", "object", "status"}, where
        ):
            return
        subject = self._ref(where.child("subject"), "person", spec["subject"])
        obj = self._ref(where.child("object"), "person", spec["object"])
        if not (subject and obj):
            return
        relation = PersonRelation(
            subject_id=subject.obj.pk, object_id=obj.obj.pk, kind=spec["kind"], status=spec["status"]
        )
        key = ("relation", subject.obj.pk, spec["kind"], obj.obj.pk)
        self._claim(key, relation, where, self._cites(spec.get("cite"), where), {"status": spec["status"]})

    def _read_posting(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "role", "rank", "organisation", "place", "start", "end", "previous", "note"}
        allowed |= {"status", "cite"}
        if not self._check_keys(spec, allowed, {"key", "person", "role", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        if not person:
            return
        cites = self._cites(spec.get("cite"), where)
        fields = {"role": spec["role"], "rank": str(spec.get("rank") or ""), "note": str(spec.get("note") or "")}
        fields["status"] = spec["status"]
        for name, kind in (("organisation", "organisation"), ("place", "place")):
            if spec.get(name):
                ref = self._ref(where.child(name), kind, spec[name])
                fields[f"{name}_id"] = ref.obj.pk if ref else None
        for name in ("start", "end"):
            if spec.get(name) is not None:
                fields[name] = self._date(spec[name], name, cites, where.child(name))
        posting = Posting(person_id=person.obj.pk, **fields)
        entry = self._claim(("posting", person.obj.pk, str(spec["key"])), posting, where, cites, fields)
        if entry and spec.get("previous"):
            self.deferred.append(("posting_previous", entry, where, str(spec["previous"])))

    def _read_event(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "kind", "title", "organisation", "date", "participants", "contradicts"}
        allowed |= {"status", "cite"}
        if not self._check_keys(spec, allowed, {"key", "person", "kind", "title", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        if not person:
            return
        cites = self._cites(spec.get("cite"), where)
        fields = {"kind": spec["kind"], "title": spec["title"], "status": spec["status"]}
        if spec.get("organisation"):
            ref = self._ref(where.child("organisation"), "organisation", spec["organisation"])
            fields["organisation_id"] = ref.obj.pk if ref else None
        if spec.get("date") is not None:
            fields["date"] = self._date(spec["date"], "date", cites, where.child("date"))
        event = Event(person_id=person.obj.pk, **fields)
        entry = self._claim(("event", person.obj.pk, str(spec["key"])), event, where, cites, fields)
        if not entry:
            return
        for participant in self._string_list(spec.get("participants"), where.child("participants")):
            ref = self._ref(where.child("participants"), "person", participant)
            if ref:
                entry.m2m["participants"].add(ref.obj.pk)
        for other in self._string_list(spec.get("contradicts"), where.child("contradicts")):
            self.deferred.append(("event_contradicts", entry, where, other))

    def _read_candidacy(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "election", "party", "place", "status", "cite"}
        if not self._check_keys(spec, allowed, {"key", "person", "election", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        election = self._ref(where.child("election"), "election", spec["election"])
        if not (person and election):
            return
        fields: dict[str, object] = {"election_id": election.obj.pk, "status": spec["status"]}
        for name, kind in (("party", "organisation"), ("place", "place")):
            if spec.get(name):
                ref = self._ref(where.child(name), kind, spec[name])
                fields[f"{name}_id"] = ref.obj.pk if ref else None
        candidacy = Candidacy(person_id=person.obj.pk, **fields)
        key = ("candidacy", person.obj.pk, str(spec["key"]))
        self._claim(key, candidacy, where, self._cites(spec.get("cite"), where), fields)

    # -- shared mechanics ---------------------------------------------------

    def _problem(self, where: Where, reason: str) -> None:
        self.problems.append(Problem(where.doc.annotation_name, where.label, reason))

    def _check_keys(self, spec: Mapping, allowed: set[str], required: set[str], where: Where) -> bool:
        ok = True
        for key in spec:
            if key not in allowed:
                self._problem(where, f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))})")
                ok = False
        for key in sorted(required):
            if spec.get(key) in (None, ""):
                self._problem(where, f"missing {key!r}")
                ok = False
        return ok

    def _add(self, obj: models.Model, where: Where, cites: list[Cite] | None = None) -> Entry:
        concrete = obj._meta.concrete_model
        self.next_pk[concrete] += 1
        obj.pk = self.next_pk[concrete]
        entry = Entry(obj=obj, origin=f"{where.doc.annotation_name}: {where.label}", cites=list(cites or []))
        self.entries[concrete].append(entry)
        return entry

    def _entity(self, kind, model, spec, where, *, names, fields, cites=None) -> Entry | None:
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
            self._merge_fields(entry, fields, where)
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
        if existing:
            if existing.origin.startswith(where.doc.annotation_name + ":"):
                self._problem(where, f"duplicate key: the same claim is already at {existing.origin}")
                return None
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
            if current in (None, "") or (name in DATE_FIELDS and _refines(value, current)):
                setattr(entry.obj, name, value)
            elif current != value and not (name in DATE_FIELDS and _refines(current, value)):
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
            existing.cites += cites
            return
        self.claims[key] = self._add(obj, where, cites)

    def _value(self, spec: Mapping, name: str, where: Where) -> tuple[object, list[Cite]]:
        raw = spec.get(name)
        if isinstance(raw, Mapping):
            sub = where.child(name)
            if not self._check_keys(raw, {"value", "cite"}, {"value", "cite"}, sub):
                return None, []
            return raw["value"], self._cites(raw["cite"], sub, field=name)
        if raw is not None:
            self._problem(where.child(name), "give {value: ..., cite: ...} so the value has its quote")
        return None, []

    def _cites(self, raw, where: Where, field: str = "") -> list[Cite]:
        if raw is None:
            return []
        items = raw if isinstance(raw, list) else [raw]
        cites = []
        for index, item in enumerate(items):
            sub = where.child(f"cite[{index}]") if isinstance(raw, list) else where.child("cite")
            if isinstance(item, str):
                item = Mapping(quote=item)
            if not isinstance(item, Mapping):
                self._problem(sub, "a citation is a quote or {quote, field, said, occurrence}")
                continue
            if not self._check_keys(item, {"quote", "field", "said", "occurrence"}, {"quote"}, sub):
                continue
            quote = str(item["quote"])
            occurrence = self._integer(item.get("occurrence", 1), sub.child("occurrence"))
            located = where.doc.locate(quote, occurrence or 1)
            if isinstance(located, str):
                self._problem(sub, located)
                continue
            said = str(item.get("said") or "")
            if said and said not in quote:
                self._problem(sub, f"said {said!r} does not occur in the quote")
                continue
            cites.append(Cite(where.doc, quote, *located, field=str(item.get("field") or field), said=said))
        return cites

    def _date(self, raw, field_name: str, cites: list[Cite], where: Where) -> str:
        """An EDTF value, or one resolved from relative words found in a quote."""
        text = str(raw).strip()
        marked_by_curator = [c for c in cites if c.said]
        try:
            parse_fuzzy_date(text)
        except FuzzyDateError:
            pass
        else:
            self._check_said(text, field_name, marked_by_curator, where)
            return text
        sides = text.split("/") if text.count("/") == 1 else [text]
        resolved = []
        for side in sides:
            side = side.strip()
            if side in ("", ".."):
                resolved.append(side)
                continue
            try:
                parse_fuzzy_date(side)
                resolved.append(side)
                continue
            except FuzzyDateError as exc:
                not_fuzzy = exc
            try:
                resolved.append(resolve_relative_date(side, where.doc.published_on))
            except RelativeDateError as exc:
                looks_iso = side[:1].isdigit() or side.startswith("..")
                reason = not_fuzzy if looks_iso else exc
                self._problem(where, f"invalid date: {reason}")
                return ""
            cite = next((c for c in cites if side.lower() in c.quote.lower()), None)
            if cite is None:
                self._problem(where, f"the relative date {side!r} must occur in one of this claim's quotes")
                return ""
            offset = cite.quote.lower().index(side.lower())
            cite.said = cite.quote[offset : offset + len(side)]
            cite.field = cite.field or field_name
        value = "/".join(resolved)
        try:
            parse_fuzzy_date(value)
        except FuzzyDateError as exc:
            self._problem(where, f"invalid date: {exc}")
            return ""
        self._check_said(value, field_name, marked_by_curator, where)
        return value

    def _check_said(self, value: str, field_name: str, cites: list[Cite], where: Where) -> None:
        """Relative words a curator marked on a quote must agree with the value."""
        for cite in cites:
            if not cite.said or cite.field != field_name:
                continue
            try:
                said = parse_fuzzy_date(resolve_relative_date(cite.said, cite.doc.published_on))
            except RelativeDateError as exc:
                self._problem(where, f"invalid date: {exc}")
                continue
            if not _refines(value, said.value):
                self._problem(where, f"{value!r} does not fall within {cite.said!r} (= {said.value})")

    def _ref(self, where: Where, kind: str, local_id) -> Entry | None:
        entry = self.local.get((where.doc.slug, kind, str(local_id)))
        if entry is None:
            self._problem(where, f"unknown reference: no {kind} with id {local_id!r} in this file")
        return entry

    def _integer(self, raw, where: Where) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            self._problem(where, f"{raw!r} is not a whole number")
            return None
        return raw

    def _decimal(self, raw, where: Where) -> Decimal | None:
        if raw is None:
            return None
        try:
            return Decimal(str(raw)).quantize(Decimal("0.01"))
        except InvalidOperation:
            self._problem(where, f"{raw!r} is not a number")
            return None

    def _string_list(self, raw, where: Where) -> list[str]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self._problem(where, "must be a list of strings")
            return []
        return raw

    # -- after all documents ------------------------------------------------

    def _resolve_deferred(self) -> None:
        for kind, entry, where, target in self.deferred:
            if kind in ("place_parent", "organisation_parent"):
                ref = self._ref(where.child("part_of"), kind.split("_")[0], target)
                if ref:
                    self._merge_fields(entry, {"parent_id": ref.obj.pk}, where)
            elif kind == "posting_previous":
                ref = self.claims.get(("posting", entry.obj.person_id, target))
                if ref is None:
                    self._problem(where.child("previous"), f"unknown reference: no posting {target!r} for this person")
                elif ref is entry:
                    self._problem(where.child("previous"), "a posting cannot come before itself")
                else:
                    self._merge_fields(entry, {"previous_id": ref.obj.pk}, where)
            elif kind == "event_contradicts":
                ref = self.claims.get(("event", entry.obj.person_id, target))
                if ref is None:
                    self._problem(where.child("contradicts"), f"unknown reference: no event {target!r} for this person")
                else:
                    entry.m2m["contradicts"].add(ref.obj.pk)
                    ref.m2m["contradicts"].add(entry.obj.pk)

    def _compute_tree_paths(self, model: type[TreeNodeLike]) -> None:
        by_pk = {e.obj.pk: e for e in self.entries[model]}
        for entry in by_pk.values():
            seen, node, chain = set(), entry, []
            while node is not None:
                if node.obj.pk in seen:
                    self.problems.append(
                        Problem(entry.origin.split(":")[0], "", f"{entry.obj.name!r} is inside itself")
                    )
                    return
                seen.add(node.obj.pk)
                chain.append(node.obj.slug)
                node = by_pk.get(node.obj.parent_id)
            path = None
            for slug in reversed(chain):
                path = tree_path(path, slug)
            entry.obj.path = path

    def _finish(self) -> None:
        """Derived columns, timestamps, field validation, one quote per record."""
        newest = max((d.published_on for d in self.documents), default=None)
        stamp = datetime.combine(newest, time(0), tzinfo=UTC) if newest else None
        for model, entries in self.entries.items():
            for entry in entries:
                obj = entry.obj
                for f in obj._meta.concrete_fields:
                    if isinstance(f, FuzzyDateBoundField | SearchNameField):
                        with contextlib.suppress(ValidationError):  # clean_fields reports it
                            f.pre_save(obj, add=True)
                    elif f.name in ("created_at", "updated_at"):
                        setattr(obj, f.attname, stamp)
                self._validate(entry)
                if model is not Source and not entry.cites:
                    self.problems.append(Problem(*entry.origin.split(": ", 1), "no quote supports this record"))

    def _validate(self, entry: Entry) -> None:
        obj = entry.obj
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=[*relations, "path"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.problems.append(Problem(*entry.origin.split(": ", 1), f"{name}: {message}"))
        for message in violations(obj):
            self.problems.append(Problem(*entry.origin.split(": ", 1), message))


TreeNodeLike = Place | Organisation


def _refines(value: str, container: str) -> bool:
    """True when fuzzy date ``value`` lies within ``container`` (same or more precise)."""
    try:
        inner, outer = parse_fuzzy_date(value), parse_fuzzy_date(container)
    except (FuzzyDateError, TypeError):
        return False
    if outer.earliest is not None and (inner.earliest is None or inner.earliest < outer.earliest):
        return False
    return outer.latest is None or (inner.latest is not None and inner.latest <= outer.latest)
