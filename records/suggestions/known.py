"""Mentions of known people, parties, organisations, places and constituencies.

Every run of up to ``MAX_NAME_WORDS`` words that may be a name (it begins
with a capital or a digit, neither begins nor ends with a function word,
and crosses no comma, bracket or line end) is looked up in the gazetteer.
Where matches overlap, the longest wins ("Kanpur police" over "Kanpur"),
then the better score. A name followed by a reservation in brackets,
"Kannauj (SC)", names a constituency: the span takes the brackets and a
constituency reserved so is preferred.

Abbreviations that are also ranks or titles ("SP" is a Superintendent of
Police as often as the Samajwadi Party) are suggested only in brackets right
after the full name of the same record: "Samajwadi Party (SP)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from records.suggestions.gazetteer import Gazetteer
from records.suggestions.tokens import STOPWORDS, Token, joins_a_name, span_forms, spans
from records.suggestions.types import Kind, RecordRef, Suggestion

MAX_NAME_WORDS = 8
_RESERVATION = re.compile(r"[ \u00a0]?\((SC|ST|GEN)\)")
# Short forms that name ranks, titles and offices as well as parties or bodies.
TITLE_ABBREVIATIONS = frozenset(
    {"SP", "SSP", "DSP", "DGP", "ADG", "ADGP", "IG", "IGP", "DIG", "DM", "SDM", "CM", "PM", "MP", "MLA", "MLC", "CO"}
)


@dataclass(frozen=True)
class _Candidate:
    first: int  # token indexes
    last: int
    start: int  # character offsets
    end: int
    surface: str
    forms: tuple[str, str]  # tokens.span_forms of the whole span
    base: str  # the name without a reservation suffix
    base_forms: tuple[str, str]
    reservation: str = ""


def _candidates(text: str, tokens: list[Token]) -> list[_Candidate]:
    out = []
    for i, j in spans(text, tokens, MAX_NAME_WORDS):
        first, last = tokens[i], tokens[j]
        if first.norm in STOPWORDS or last.norm in STOPWORDS:
            continue
        if not (first.capitalised or first.text[0].isdigit()):
            continue
        surface = text[first.start : last.end]
        forms = span_forms(tokens[i : j + 1])
        out.append(_Candidate(i, j, first.start, last.end, surface, forms, surface, forms))
        suffix = _RESERVATION.match(text, last.end)
        if suffix:
            end = suffix.end()
            with_suffix = span_forms(tokens[i : j + 2])  # the next word is the reservation's
            out.append(
                _Candidate(
                    i, j, first.start, end, text[first.start : end], with_suffix, surface, forms, suffix.group(1)
                )
            )
    return out


def known_mentions(text: str, tokens: list[Token]) -> list[Suggestion]:
    """The known records named in ``text``, one suggestion per span, spans not overlapping."""
    candidates = _candidates(text, tokens)
    gazetteer = Gazetteer.for_spans({c.forms for c in candidates}, {c.surface for c in candidates})
    found: list[tuple[_Candidate, list[RecordRef], str]] = []
    for candidate in candidates:
        if candidate.reservation:
            refs, kind = _constituency_refs(gazetteer, candidate)
        else:
            refs = _places_first(text, candidate, gazetteer.lookup(*candidate.forms, candidate.surface))
            kind = refs[0].kind if refs else ""
        if refs or kind:
            found.append((candidate, refs, kind))
    found = _without_lone_person_words(text, tokens, found)
    chosen: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    order = sorted(found, key=lambda f: (-(f[0].end - f[0].start), -(f[1][0].score if f[1] else 0), f[0].start))
    for candidate, refs, kind in order:
        if any(candidate.start < end and start < candidate.end for start, end in taken):
            continue
        if not _plausible(text, candidate, refs, chosen):
            continue
        taken.append((candidate.start, candidate.end))
        chosen.append(_suggestion(candidate, refs, kind))
    return sorted(chosen, key=lambda s: (s.start, s.end))


_SEAT_WORD = re.compile(r"[ \u00a0](?:assembly |parliamentary |lok sabha )?(?:seat|constituency)\b", re.IGNORECASE)


def _places_first(text: str, candidate: _Candidate, refs: list[RecordRef]) -> list[RecordRef]:
    """A name both a place and a constituency bear is the place ("Kannauj
    district") unless the words after it say seat or constituency."""
    seat = _SEAT_WORD.match(text, candidate.end) is not None

    def order(ref: RecordRef):
        return (-ref.score, (ref.kind == Kind.CONSTITUENCY) != seat)

    return sorted(refs, key=order)


def _without_lone_person_words(text: str, tokens: list[Token], found: list) -> list:
    """One word names a person only when it is the person's whole name
    ("Mayawati"), or when the text names the person in full elsewhere ("Arun"
    after "Asim Arun"); and never as a piece of a longer capitalised name
    ("Arun" in "Asim Kumar Arun"). A short name alone is too common to tell
    anyone apart in a national database."""
    named_in_full = {
        (ref.model, ref.pk) for candidate, refs, _ in found if candidate.first < candidate.last for ref in refs
    }
    out = []
    for candidate, refs, kind in found:
        if candidate.first == candidate.last and refs and refs[0].kind == Kind.PERSON:
            if _inside_a_longer_name(text, tokens, candidate.first):
                refs = [r for r in refs if r.kind != Kind.PERSON]
            else:
                refs = [
                    r for r in refs
                    if r.kind != Kind.PERSON or r.how == "name" or (r.model, r.pk) in named_in_full
                ]  # fmt: skip
            if not refs:
                continue
            kind = refs[0].kind
        out.append((candidate, refs, kind))
    return out


def _inside_a_longer_name(text: str, tokens: list[Token], index: int) -> bool:
    before = index > 0 and tokens[index - 1].capitalised and joins_a_name(text, tokens[index - 1], tokens[index])
    after = (
        index + 1 < len(tokens)
        and tokens[index + 1].capitalised
        and joins_a_name(text, tokens[index], tokens[index + 1])
    )
    return bool(before or after)


def _constituency_refs(gazetteer: Gazetteer, candidate: _Candidate) -> tuple[list[RecordRef], str]:
    """A name with its reservation: records named with the suffix ("Kannauj (SC)"
    as a place of kind constituency), then constituencies of the name, those
    reserved as the text says first. A constituency is named even if none is recorded."""
    refs = [r for r in gazetteer.lookup(*candidate.forms, candidate.surface) if r.kind == Kind.CONSTITUENCY]
    for ref in gazetteer.lookup(*candidate.base_forms, candidate.base):
        if ref.kind != Kind.CONSTITUENCY or ref in refs:
            continue
        reserved = gazetteer.reservations.get(ref.pk, "") if ref.model == "records.Constituency" else ""
        if reserved and reserved != candidate.reservation:
            continue  # "Kannauj (SC)" is not a general seat of that name
        refs.append(ref)
    words = candidate.base.split()
    if not refs and not (len(words) <= 4 and all(word[:1].isupper() for word in words)):
        return [], ""  # "Arun from the Kannauj (SC)" is no constituency's name
    return refs, Kind.CONSTITUENCY


def _plausible(text: str, candidate: _Candidate, refs: list[RecordRef], chosen: list[Suggestion]) -> bool:
    if not refs or candidate.surface not in TITLE_ABBREVIATIONS:
        return True
    # Only "Full Name (ABBR)": the full name just before, naming the same record.
    before = text[: candidate.start]
    if not (before.endswith("(") and text[candidate.end : candidate.end + 1] == ")"):
        return False
    pks = {(r.model, r.pk) for r in refs}
    return any(
        s.record and (s.record.model, s.record.pk) in pks and s.end in (candidate.start - 1, candidate.start - 2)
        for s in chosen
    )


def _suggestion(candidate: _Candidate, refs: list[RecordRef], kind: str) -> Suggestion:
    notes = ()
    if candidate.reservation and not refs:
        notes = (f"no constituency named {candidate.base!r} is recorded",)
    return Suggestion(
        kind=kind,
        start=candidate.start,
        end=candidate.end,
        surface=candidate.surface,
        rule="reservation suffix" if candidate.reservation else f"known name ({refs[0].how})",
        record=refs[0] if refs else None,
        candidates=tuple(refs[:10]),
        notes=notes,
    )
