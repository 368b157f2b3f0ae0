"""The identifier schemes records may carry: an identifier of a person, an
organisation (a party), a place or a constituency in another database is a
scheme of this registry and a value in that scheme's format.

One registry serves every way an identifier is written (the models' clean(),
so the admin and the API's writes; the importer; the annotations) and the
API's ``identifier=scheme:value`` filters, so that each refuses an unknown
scheme, a scheme for another kind of record, or a malformed value with the
same message. A new scheme is one entry here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PERSON, ORGANISATION, PLACE, CONSTITUENCY = "person", "organisation", "place", "constituency"
KINDS = (PERSON, ORGANISATION, PLACE, CONSTITUENCY)
PLURAL = {PERSON: "persons", ORGANISATION: "organisations", PLACE: "places", CONSTITUENCY: "constituencies"}


@dataclass(frozen=True)
class Scheme:
    name: str
    kinds: tuple[str, ...]
    pattern: str  # the whole value must match
    form: str  # the expected form, in words, for error messages
    example: str
    title: str

    def matches(self, value: str) -> bool:
        return re.fullmatch(self.pattern, value) is not None


# Assembly and parliamentary constituencies are renumbered by each delimitation
# (1976, 2008...), so their number is an identifier only with the delimitation
# and the state: "2008:UP:14" is the 2008 delimitation's constituency 14 of
# Uttar Pradesh (the ISO 3166-2:IN subdivision code, without "IN-").
_DELIMITED = r"(19|20)[0-9]{2}:[A-Z]{2}:[1-9][0-9]{0,3}"
_DELIMITED_FORM = "delimitation year:state code:number"

SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        Scheme(
            "wikidata",
            KINDS,
            r"Q[1-9][0-9]{0,11}",
            "Q followed by digits",
            "Q1498",
            "Wikidata item",
        ),
        Scheme(
            "myneta",
            (PERSON,),
            r"https?://(www\.)?myneta\.info/[a-z0-9_]{1,60}/candidate\.php\?candidate_id=[1-9][0-9]{0,9}",
            "a MyNeta candidate URL, http://myneta.info/<election>/candidate.php?candidate_id=<digits>",
            "http://myneta.info/uttarpradesh2017/candidate.php?candidate_id=1079",
            "MyNeta (ADR) candidate affidavit page",
        ),
        Scheme(
            "eci-ac",
            (CONSTITUENCY,),
            _DELIMITED,
            _DELIMITED_FORM,
            "2008:UP:14",
            "Election Commission of India assembly constituency number, per delimitation",
        ),
        Scheme(
            "eci-pc",
            (CONSTITUENCY,),
            _DELIMITED,
            _DELIMITED_FORM,
            "2008:UP:80",
            "Election Commission of India parliamentary constituency number, per delimitation",
        ),
        Scheme(
            "iso-3166-2",
            (PLACE,),
            r"[A-Z]{2}-[A-Z0-9]{1,3}",
            "a country code, a hyphen and a subdivision code",
            "IN-UP",
            "ISO 3166-2 subdivision code",
        ),
        Scheme("iso-3166-1", (PLACE,), r"[A-Z]{2}", "two capital letters", "IN", "ISO 3166-1 alpha-2 country code"),
        Scheme(
            "lgd-state",
            (PLACE,),
            r"[1-9][0-9]{0,2}",
            "a number of 1 to 3 digits",
            "9",
            "Local Government Directory (India) state code",
        ),
        Scheme(
            "lgd-district",
            (PLACE,),
            r"[1-9][0-9]{0,3}",
            "a number of 1 to 4 digits",
            "162",
            "Local Government Directory (India) district code",
        ),
    )
}


# The Delimitation Order 2008 numbers the assembly and parliamentary
# constituencies of elections from 19 February 2008 on, except in the states
# where it was deferred (Arunachal Pradesh, Assam, Jharkhand, Manipur, Nagaland)
# and Jammu and Kashmir, which was delimited under its own laws (and again in 2022).
DELIMITATION_2008 = date(2008, 2, 19)
NOT_DELIMITED_IN_2008 = frozenset({"AR", "AS", "JH", "MN", "NL", "JK"})


def delimitation_in_force(state: str, polling_day: date | None) -> str | None:
    """The delimitation whose numbers an election in ``state`` (its ISO 3166-2:IN
    code without "IN-") polled on ``polling_day`` uses, where that is certain; else None."""
    if polling_day is None or polling_day < DELIMITATION_2008 or state in NOT_DELIMITED_IN_2008:
        return None
    return "2008"


def schemes_for(kind: str) -> list[str]:
    return [name for name, scheme in SCHEMES.items() if kind in scheme.kinds]


def identifier_problem(kind: str, scheme: str, value: str) -> tuple[str, str] | None:
    """Why ``scheme:value`` cannot identify a record of ``kind``, as (the field
    at fault, a message naming it), or None when it can."""
    known = schemes_for(kind)
    found = SCHEMES.get(scheme)
    if found is None:
        return "scheme", f"Unknown identifier scheme {scheme!r}; {PLURAL[kind]} take {', '.join(known)}."
    if kind not in found.kinds:
        theirs = ", ".join(PLURAL[k] for k in found.kinds)
        return "scheme", (
            f"The scheme {scheme!r} identifies {theirs}, not {PLURAL[kind]}; {PLURAL[kind]} take {', '.join(known)}."
        )
    if not found.matches(value):
        shown = value if len(value) <= 80 else value[:80] + "..."
        return "value", f"{shown!r} is not a {scheme} identifier: expected {found.form} (e.g. {found.example})."
    return None


def documented(kind: str) -> str:
    """The schemes a kind of record takes, for help texts: "wikidata (e.g. Q1498), ..."."""
    return ", ".join(f"{name} (e.g. {SCHEMES[name].example})" for name in schemes_for(kind))
