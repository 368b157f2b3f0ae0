"""How good the suggestions are on annotated documents: precision and recall
per kind (``manage.py measure_suggestions``).

What the annotation expects (the text after the ``date`` line only):

- **a mention** of each person, organisation (a party when its kind is
  ``party``) and place (a constituency when its kind is ``constituency``)
  of the annotation at every occurrence in the document of one of its names:
  name, aliases, abbreviation, other names; all-capital names ("UP", "BJP")
  as written, the others in any case; where two occurrences overlap, the
  longer one ("UP ATS" over "UP");
- **a date** wherever one to four words of the text (with their brackets,
  "(51)") mean, by the seed builder's resolver, a value one of the
  annotation's dates holds (a date, a start, an end..., either side of an
  interval); the longest such words;
- **a cue** in each quote of a claim whose status is not ``confirmed``
  (announced, reported, expected, speculated): a quote is a span, with the
  claim's status.

What counts as right (a true positive):

- a known mention: an expected mention of the same kind that it overlaps,
  naming the same record (the suggestion's slug is the annotation's id); or,
  when that record is not in the database, of the same kind without a record;
- a new person / new organisation: it overlaps an expected person /
  organisation or party that the database does not hold;
- a date: it overlaps an expected date whose value lies within the
  suggestion's (``2011/2012`` holds ``2011``);
- a cue: it lies in a quote of a claim with the status it maps to (for
  ``confirmed`` cues, any claim stated as confirmed).

Precision is right suggestions over suggestions, per the suggestion's kind;
recall is expected items some right suggestion meets, per the expected kind
(a new person that is right counts for an expected person).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from records.fuzzydates import FuzzyDateError, parse_fuzzy_date
from records.models import ClaimStatus, Constituency, Organisation, Person, Place
from records.seedbuilder.annotations import Mapping, load_annotation
from records.seedbuilder.documents import HEADER, SeedDocument, read_document
from records.seedbuilder.reading import refines
from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date
from records.suggestions.tokens import tokenize
from records.suggestions.types import Kind, Suggestion

DATE_FIELDS = ("start", "end", "date", "announced", "counting", "poll_date", "birth_date")
CLAIM_SECTIONS = ("postings", "events", "candidacies", "relations", "elections", "governments")
MAX_DATE_WORDS = 4
_NEW_KIND_OF = {Kind.NEW_PERSON: {Kind.PERSON}, Kind.NEW_ORGANISATION: {Kind.PARTY, Kind.ORGANISATION}}


@dataclass(frozen=True)
class Expected:
    kind: str  # a known kind, Kind.DATE or Kind.CUE
    start: int
    end: int
    surface: str
    record: str = ""  # the annotation's id of the record
    value: str = ""  # dates: EDTF
    status: str = ""  # cues: the claim's status


def read(text_path: Path, folder: str = "seeds") -> SeedDocument:
    """A document and its annotation (beside it, same stem), as the seed builder reads them."""
    doc = read_document(text_path, folder=folder)
    if not isinstance(doc, SeedDocument):
        raise ValueError(str(doc))
    doc.annotation = load_annotation(doc.annotation_path)
    return doc


def body_start(doc: SeedDocument) -> int:
    """Where the text after the ``date`` line begins: the line is not measured."""
    return HEADER.match(doc.text).end()


def expected(doc: SeedDocument) -> list[Expected]:
    return _mentions(doc) + _dates(doc) + _cues(doc)


# -- what the annotation expects ---------------------------------------------------


def _names(annotation: Mapping) -> Iterable[tuple[str, str, list[str]]]:
    """(kind, id, names) of each entity of the annotation."""
    for person in annotation.get("persons") or []:
        yield Kind.PERSON, person["id"], [person["name"], *(a["name"] for a in person.get("aliases") or [])]
    for organisation in annotation.get("organisations") or []:
        kind = Kind.PARTY if organisation.get("kind") == "party" else Kind.ORGANISATION
        names = [organisation["name"], *(a["name"] for a in organisation.get("aliases") or [])]
        if organisation.get("abbreviation"):
            names.append(organisation["abbreviation"])
        yield kind, organisation["id"], names
    for place in annotation.get("places") or []:
        kind = Kind.CONSTITUENCY if place.get("kind") == "constituency" else Kind.PLACE
        yield kind, place["id"], [place["name"], *(place.get("other_names") or [])]


def _longest_first(items: list[Expected]) -> list[Expected]:
    chosen: list[Expected] = []
    for item in sorted(items, key=lambda e: (-(e.end - e.start), e.start)):
        if not any(item.start < c.end and c.start < item.end for c in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda e: e.start)


def _mentions(doc: SeedDocument) -> list[Expected]:
    begin = body_start(doc)
    found = []
    for kind, record, names in _names(doc.annotation):
        for name in set(names):
            flags = 0 if name.isupper() else re.IGNORECASE
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text[begin:], flags):
                start, end = begin + match.start(), begin + match.end()
                found.append(Expected(kind, start, end, doc.text[start:end], record=record))
    return _longest_first(found)


def _resolved(raw: str, doc: SeedDocument) -> set[str]:
    """The EDTF values an annotation's date stands for: the whole and each side."""
    sides = []
    for side in str(raw).split("/") if str(raw).count("/") == 1 else [str(raw)]:
        side = side.strip()
        if side in ("", ".."):
            sides.append(side)
            continue
        try:
            sides.append(parse_fuzzy_date(side).value)
        except FuzzyDateError:
            try:
                sides.append(resolve_relative_date(side, doc.published_on))
            except RelativeDateError:
                return set()
    return {"/".join(sides), *(s for s in sides if s not in ("", ".."))}


def _date_values(node, doc: SeedDocument, values: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATE_FIELDS:
                raw = value.get("value") if isinstance(value, dict) else value
                if isinstance(raw, str | int):
                    values |= _resolved(str(raw), doc)
            else:
                _date_values(value, doc, values)
    elif isinstance(node, list):
        for item in node:
            _date_values(item, doc, values)
    return values


def _meaning(words: str, doc: SeedDocument) -> str | None:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", words):  # an ISO date, which the resolver leaves to the EDTF parser
        try:
            return parse_fuzzy_date(words).value
        except FuzzyDateError:
            return None
    try:
        return resolve_relative_date(words, doc.published_on)
    except RelativeDateError:
        return None


def _dates(doc: SeedDocument) -> list[Expected]:
    values = _date_values(doc.annotation, doc, set())
    begin = body_start(doc)
    tokens = [t for t in tokenize(doc.text) if t.start >= begin]
    found = []
    for i in range(len(tokens)):
        for j in range(i, min(i + MAX_DATE_WORDS, len(tokens))):
            start, end = tokens[i].start, tokens[j].end
            spans = [(start, end)]
            if doc.text[start - 1 : start] == "(" and doc.text[end : end + 1] == ")":
                spans.append((start - 1, end + 1))
            for a, b in spans:
                value = _meaning(doc.text[a:b], doc)
                if value is not None and value in values:
                    found.append(Expected(Kind.DATE, a, b, doc.text[a:b], value=value))
    return _longest_first(found)


def _quotes(cite, doc: SeedDocument) -> Iterable[tuple[int, int]]:
    for item in cite if isinstance(cite, list) else [cite]:
        quote, occurrence = (item, 1) if isinstance(item, str) else (item.get("quote"), item.get("occurrence", 1))
        located = doc.locate(str(quote), occurrence) if quote else "no quote"
        if not isinstance(located, str):
            yield located


def _claims(annotation: Mapping) -> Iterable[Mapping]:
    for section in CLAIM_SECTIONS:
        for claim in annotation.get(section) or []:
            yield claim
            for inner in ("phases", "results"):
                yield from claim.get(inner) or []


def _claim_quotes(doc: SeedDocument) -> list[tuple[int, int, str]]:
    out = set()
    for claim in _claims(doc.annotation):
        status = claim.get("status") or ClaimStatus.CONFIRMED
        cites = [claim.get("cite")] + [link.get("cite") for link in claim.get("links") or [] if link.get("cite")]
        for cite in cites:
            if cite:
                out |= {(start, end, status) for start, end in _quotes(cite, doc)}
    return sorted(out)


def _cues(doc: SeedDocument) -> list[Expected]:
    return [
        Expected(Kind.CUE, start, end, doc.text[start:end], status=status)
        for start, end, status in _claim_quotes(doc)
        if status != ClaimStatus.CONFIRMED
    ]


# -- scoring -----------------------------------------------------------------------


def known_records(items: list[Expected]) -> set[str]:
    """The expected records the database holds (by slug, per kind's model)."""
    wanted = defaultdict(set)
    for item in items:
        if item.record:
            wanted[item.kind].add(item.record)
    models = {
        Kind.PERSON: [Person],
        Kind.PARTY: [Organisation],
        Kind.ORGANISATION: [Organisation],
        Kind.PLACE: [Place],
        Kind.CONSTITUENCY: [Place, Constituency],
    }
    held = set()
    for kind, slugs in wanted.items():
        for model in models[kind]:
            held |= set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return held


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def is_right(suggestion: Suggestion, item: Expected, held: set[str]) -> bool:
    """Whether ``suggestion`` is a right suggestion for ``item`` (the module's rules)."""
    if not overlaps(suggestion, item):
        return False
    if suggestion.kind in Kind.KNOWN:
        if suggestion.kind != item.kind:
            return False
        if suggestion.record is None:
            return item.record not in held
        return suggestion.record.slug == item.record
    if suggestion.kind in Kind.NEW:
        return item.kind in _NEW_KIND_OF[suggestion.kind] and item.record not in held
    if suggestion.kind == Kind.DATE:
        return (
            item.kind == Kind.DATE
            and bool(suggestion.date and suggestion.date.value)
            and (refines(item.value, suggestion.date.value))
        )
    return False  # cues: see _right_cue


@dataclass
class Measured:
    """Counts per kind: suggestions and the right ones; expected items and those found."""

    suggested: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    expected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, other: Measured) -> None:
        for mine, theirs in (
            (self.suggested, other.suggested),
            (self.right, other.right),
            (self.expected, other.expected),
            (self.found, other.found),
        ):
            for kind, count in theirs.items():
                mine[kind] += count
        self.wrong += other.wrong
        self.missed += other.missed

    def precision(self, kind: str | None = None) -> float | None:
        return _ratio(self.right, self.suggested, kind)

    def recall(self, kind: str | None = None) -> float | None:
        return _ratio(self.found, self.expected, kind)

    def lines(self) -> list[str]:
        out = [
            f"{'kind':18} {'suggested':>9} {'right':>6} {'precision':>9}   {'expected':>8} {'found':>6} {'recall':>7}"
        ]
        for kind in [*Kind.ALL, None]:
            if kind is not None and not (self.suggested.get(kind) or self.expected.get(kind)):
                continue
            label = kind or "all"
            suggested = sum(self.suggested.values()) if kind is None else self.suggested.get(kind, 0)
            right = sum(self.right.values()) if kind is None else self.right.get(kind, 0)
            wanted = sum(self.expected.values()) if kind is None else self.expected.get(kind, 0)
            found = sum(self.found.values()) if kind is None else self.found.get(kind, 0)
            out.append(
                f"{label:18} {suggested:9} {right:6} {_shown(self.precision(kind)):>9}   "
                f"{wanted:8} {found:6} {_shown(self.recall(kind)):>7}"
            )
        return out


def _ratio(top: dict[str, int], bottom: dict[str, int], kind: str | None) -> float | None:
    numerator = sum(top.values()) if kind is None else top.get(kind, 0)
    denominator = sum(bottom.values()) if kind is None else bottom.get(kind, 0)
    return numerator / denominator if denominator else None


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cue_in(suggestion: Suggestion, start: int, end: int, status: str) -> bool:
    return start <= suggestion.start and suggestion.end <= end and status == suggestion.status


def _right_cue(suggestion: Suggestion, quotes: list[tuple[int, int, str]]) -> bool:
    return any(_cue_in(suggestion, *quote) for quote in quotes)


def measure(doc: SeedDocument, suggestions: list[Suggestion], held: set[str] | None = None) -> Measured:
    """Score ``suggestions`` for ``doc`` against its annotation (the module's rules)."""
    items = expected(doc)
    held = known_records(items) if held is None else held
    quotes = _claim_quotes(doc)
    begin = body_start(doc)
    measured = Measured()
    found: set[Expected] = set()
    for suggestion in suggestions:
        if suggestion.start < begin:
            continue
        measured.suggested[suggestion.kind] += 1
        if suggestion.kind == Kind.CUE:
            right = _right_cue(suggestion, quotes)
            found |= {
                i
                for i in items
                if i.kind == Kind.CUE
                and i.status == suggestion.status
                and i.start <= suggestion.start < suggestion.end <= i.end
            }
        else:
            met = {i for i in items if is_right(suggestion, i, held)}
            right = bool(met)
            found |= met
        if right:
            measured.right[suggestion.kind] += 1
        else:
            what = suggestion.record.slug if suggestion.record else (suggestion.status or suggestion.rule)
            measured.wrong.append(
                f"{doc.slug}: {suggestion.kind} {suggestion.surface!r} at {suggestion.start} ({what})"
            )
    for item in items:
        measured.expected[item.kind] += 1
        if item in found:
            measured.found[item.kind] += 1
        else:
            what = item.record or item.value or item.status
            shown = item.surface if len(item.surface) <= 60 else item.surface[:57] + "..."
            measured.missed.append(f"{doc.slug}: {item.kind} {shown!r} at {item.start} ({what})")
    return measured
