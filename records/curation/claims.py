"""Making a claim from words a curator selected in a document (the workbench).

``claim_from_selection`` records a posting, party membership, event,
candidacy, relation, alias or party result cited to the selected words, as a
draft for a second curator to verify (records/curation/review.py), and may
link it to an earlier claim (confirms, supersedes, fulfils...);
``link_from_selection`` links two claims that exist, cited likewise;
``record_from_selection`` makes the person or organisation a suggested new
name is, unless one is already found by that name.
Its dates are read as an annotation's are (seeds/README.md): an EDTF value,
or relative words of the selection ("on Sunday", "on Saturday/..") resolved
against the publication date, the citation keeping the words (``said``).

So that the document's annotation can be exported (every record in it needs
a quote of the document), each record the claim names that the document
does not quote yet (the person, the organisation, the place...) is cited to
a span where a suggestion found its name: one inside the selection if there
is one, else the first in the text. A record no suggestion found stays
uncited; the export says so.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import slugify

from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Event,
    Organisation,
    OrganisationAlias,
    PartyResult,
    Person,
    PersonAlias,
    PersonRelation,
    Posting,
    Source,
)
from records.models.links import LINKABLE
from records.search import indexed_name_search
from records.seedbuilder.documents import SeedDocument
from records.seedbuilder.reading import AnnotationReader, Cite, Where
from records.suggestions.stored import kept_suggestions
from records.validation import model_errors

CLAIM_MODELS: dict[str, type[models.Model]] = {
    "posting": Posting,
    "membership": Posting,  # a posting in a party
    "event": Event,
    "candidacy": Candidacy,
    "relation": PersonRelation,
    "alias": PersonAlias,
    "party_result": PartyResult,
}
DATE_FIELDS = {"posting": ("start", "end"), "membership": ("start", "end"), "event": ("date",)}


def _read_dates(source: Source, quote: Cite, dates: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The dates as an annotation's reader reads them (its ``_date``), against this quote."""
    document = SeedDocument(
        slug=source.slug,
        text_path=Path(),
        annotation_path=Path(),
        text=source.text,
        sha256=hashlib.sha256(source.text.encode()).hexdigest(),
        published_on=source.published_on,
        folder="workbench",
    )
    quote.doc = document
    reader, values = AnnotationReader(), {}
    for name, raw in dates.items():
        if raw.strip():
            values[name] = reader._date(raw.strip(), name, [quote], Where(document, name))
    return values, [problem.reason for problem in reader.problems]


def _selection(source: Source, start: int, end: int) -> Cite:
    text = source.text
    if not (0 <= start < end <= len(text)) or not text[start:end].strip():
        raise ValidationError({"selection": "Select the words of the document that say it."})
    return Cite(doc=None, quote=text[start:end], start=start, end=end)


def claim_from_selection(
    *,
    source: Source,
    start: int,
    end: int,
    kind: str,
    values: dict,
    dates: dict[str, str],
    user,
    link: tuple[str, models.Model] | None = None,
) -> models.Model:
    """Record the ``kind`` claim (``values``: its fields, related records as
    instances) cited to ``source.text[start:end]``, drafted by ``user``, and,
    with ``link`` (kind, earlier claim), how it stands to an earlier claim;
    ``ValidationError`` names each field that is wrong, and then nothing is
    written."""
    quote = _selection(source, start, end)
    if any(dates.values()) and source.published_on is None:
        raise ValidationError({"selection": "The document has no publication date to read dates against."})
    read, problems = _read_dates(source, quote, dates)
    if problems:
        raise ValidationError({"selection": problems})
    claim = CLAIM_MODELS[kind](**values, **read, drafted_by=user)
    errors = model_errors(claim)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim._change_reason = f"claimed on the workbench from {source.slug}"
        claim.save()
        _cite(source, claim, quote)
        for record in _named_records(claim):
            _cite_name(source, record, start, end)
        if link is not None:
            _link(source, quote, claim, *link, user=user, field="link")
    return claim


def link_from_selection(
    *, source: Source, start: int, end: int, claim: models.Model, kind: str, target: models.Model, user
) -> ClaimLink:
    """Record that ``claim`` ``kind`` ``target`` (e.g. a confirmed membership
    supersedes an expected one), cited to the selected words and drafted by ``user``."""
    quote = _selection(source, start, end)
    with transaction.atomic():
        return _link(source, quote, claim, kind, target, user=user, field="target")


def _link(source: Source, quote: Cite, claim, kind: str, target, *, user, field: str) -> ClaimLink:
    """The link, validated as the admin validates it; a problem is a ``ValidationError`` on ``field``."""
    for record in (claim, target):
        if record._meta.model_name not in LINKABLE:
            raise ValidationError({field: f"A {record._meta.verbose_name} cannot be linked."})
    link = ClaimLink(
        claim_type=ContentType.objects.get_for_model(claim),
        claim_id=claim.pk,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        drafted_by=user,
    )
    errors = model_errors(link)
    if errors:
        raise ValidationError({field: [message for messages in errors.values() for message in messages]})
    link._change_reason = f"linked on the workbench from {source.slug}"
    link.save()
    _cite(source, link, quote)
    return link


def _cite(source: Source, record: models.Model, cite: Cite) -> None:
    citation = Citation(
        source=source, record=record, quote=cite.quote, start=cite.start, end=cite.end, field=cite.field, said=cite.said
    )
    citation._change_reason = f"claimed on the workbench from {source.slug}"
    citation.save()


def _named_records(claim: models.Model) -> list[models.Model]:
    names = ("person", "organisation", "party", "place", "election", "serves", "subject", "object")
    return [record for name in names if (record := getattr(claim, name, None)) is not None]


def _cite_name(source: Source, record: models.Model, start: int, end: int) -> None:
    """Cite ``record`` to where a suggestion found its name, unless the document quotes it already."""
    model = record._meta.concrete_model
    content_type = ContentType.objects.get_for_model(model)
    if source.citations.filter(content_type=content_type, object_id=record.pk).exists():
        return
    label = model._meta.label
    spans = [
        (item["start"], item["end"])
        for item in kept_suggestions(source)["items"]
        if any(r and r["model"] == label and r["pk"] == record.pk for r in [item["record"], *item["candidates"]])
    ]
    if not spans:
        return
    inside = [span for span in spans if start <= span[0] and span[1] <= end]
    at = (inside or spans)[0]
    _cite(source, record, Cite(doc=None, quote=source.text[at[0] : at[1]], start=at[0], end=at[1]))


NEW_RECORDS: dict[str, type[models.Model]] = {"person": Person, "organisation": Organisation}
ALIASES_OF = {Person: (PersonAlias, "person_id"), Organisation: (OrganisationAlias, "organisation_id")}


def similar_records(model, name: str) -> list[models.Model]:
    """Records of ``model`` (a person or an organisation) a search for ``name``
    finds, by their names or other names: the same search as the API's ``q``."""
    alias_model, owner = ALIASES_OF[model]
    by_alias = alias_model.objects.filter(indexed_name_search(alias_model, name)).values(owner)
    found = model._base_manager.filter(Q(indexed_name_search(model, name)) | Q(pk__in=by_alias))
    return list(found.order_by("name", "pk")[:5])


def record_from_selection(
    *, source: Source, start: int, end: int, kind: str, user, organisation_kind: str = "", confirmed: bool = False
) -> models.Model:
    """A new person or organisation named by the selected words (a suggestion
    of a name the records do not know), cited to them and drafted by ``user``.
    Identity first: when a record of that kind is already found by the name,
    nothing is made unless ``confirmed`` (the curator says it is another)."""
    quote = _selection(source, start, end)
    model = NEW_RECORDS[kind]
    name = " ".join(quote.quote.split())
    if not confirmed:
        similar = similar_records(model, name)
        if similar:
            names = "; ".join(f"{record.name} ({record.slug})" for record in similar)
            raise ValidationError(
                {
                    "selection": f"Already recorded under a similar name: {names}. Name that record in a claim, "
                    f"or confirm that {name} is another {model._meta.verbose_name}."
                }
            )
    base = slugify(name)[:100] or kind
    slug, number = base, 1
    while model._base_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    values = {"kind": organisation_kind} if model is Organisation else {}
    record = model(name=name, slug=slug, drafted_by=user, **values)
    errors = model_errors(record)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record._change_reason = f"named on the workbench from {source.slug}"
        record.save()
        _cite(source, record, quote)
    return record
