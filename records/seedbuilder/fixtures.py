"""Serialise built records into Django fixture files, byte-for-byte reproducibly."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from records.careers import assign_career_positions
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Government,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    PlaceIdentifier,
    Posting,
    Source,
)
from records.seedbuilder.builder import Entry
from records.seedbuilder.registry import content_type_key

# File name -> the models it holds, in load order.
FIXTURE_FILES: dict[str, list[type[models.Model]]] = {
    "sources.json": [Source],
    "gazetteer.json": [Place, PlaceIdentifier, Organisation, OrganisationAlias, OrganisationIdentifier],
    "people.json": [Person, PersonAlias, PersonIdentifier, PersonRelation],
    "claims.json": [Election, ElectionPhase, PartyResult, Government, Posting, Event, Candidacy, ClaimLink],
    "citations.json": [Citation],
}


def _fields(obj: models.Model, m2m: dict[str, set[int]]) -> dict:
    out = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation and f.related_model is ContentType:
            out[f.name] = list(getattr(obj, f"{f.name}_key"))  # natural key: no database needed
        elif f.is_relation:
            out[f.name] = getattr(obj, f.attname)
        else:
            out[f.name] = f.value_from_object(obj)
    for f in obj._meta.many_to_many:
        out[f.name] = sorted(m2m.get(f.name, ()))
    return out


def citation_records(entries: dict[type[models.Model], list[Entry]], source_pks: dict[str, int]) -> list[Citation]:
    """One Citation per distinct (record, field, quote position)."""
    citations: list[Citation] = []
    for model in [m for group in FIXTURE_FILES.values() for m in group if m not in (Source, Citation)]:
        for entry in sorted(entries.get(model, []), key=lambda e: e.obj.pk):
            seen = set()
            for cite in sorted(entry.cites, key=lambda c: (source_pks[c.doc.slug], c.field, c.start, c.end)):
                key = (cite.doc.slug, cite.field, cite.start, cite.end)
                if key in seen:
                    continue
                seen.add(key)
                citation = Citation(
                    pk=len(citations) + 1,
                    source_id=source_pks[cite.doc.slug],
                    object_id=entry.obj.pk,
                    field=cite.field,
                    quote=cite.quote,
                    start=cite.start,
                    end=cite.end,
                    said=cite.said,
                )
                citation.content_type_key = content_type_key(entry.obj)
                citations.append(citation)
    return citations


def render_fixtures(entries: dict[type[models.Model], list[Entry]]) -> dict[str, str]:
    """File name -> JSON text for every fixture file."""
    source_pks = {e.obj.slug: e.obj.pk for e in entries.get(Source, [])}
    assign_career_positions(e.obj for e in entries.get(Posting, []))
    rendered: dict[str, str] = {}
    for name, group in FIXTURE_FILES.items():
        rows = []
        for model in group:
            if model is Citation:
                items = [(c, {}) for c in citation_records(entries, source_pks)]
            else:
                items = [(e.obj, e.m2m) for e in sorted(entries.get(model, []), key=lambda e: e.obj.pk)]
            label = model._meta.label_lower
            rows += [{"model": label, "pk": obj.pk, "fields": _fields(obj, m2m)} for obj, m2m in items]
        rendered[name] = json.dumps(rows, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False) + "\n"
    return rendered


def stale_files(rendered: dict[str, str], directory: Path) -> list[str]:
    """Fixture files whose committed content differs from a fresh build."""
    stale = []
    for name, text in rendered.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def write_fixtures(rendered: dict[str, str], directory: Path) -> None:
    """Write every file through a temporary name, so none is ever half-written."""
    directory.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, text in rendered.items():
            handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.chmod(tmp, 0o644)
            staged.append((tmp, directory / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
