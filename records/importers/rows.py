"""Official results as rows: one candidate (or NOTA) in one constituency.

Two readers produce them: the documented CSV format and an adapter for the
india60 JSON files (data/up-assembly-2017-eci/). Each row knows where it came
from (``locator``), so that every problem names the row and every imported
record cites it.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from records.identifiers import PERSON, identifier_problem
from records.text import normalise_name

CSV_REQUIRED = ("year", "constituency_number", "constituency_name", "candidate", "party", "votes")
CSV_OPTIONAL = ("reservation", "district", "won", "margin", "electors", "total_votes", "identifier", "state")
# An identifier of the candidate in another database: "scheme:value" (myneta:http://myneta.info/...).
_SCHEME = re.compile(r"[a-z0-9][a-z0-9_-]{0,49}")
NOTA_NAMES = {"nota", "none of the above"}
NO_PARTY_NAMES = {"", "independent", "ind"}
MAX_COUNT = 2_147_483_647  # the largest value the PositiveIntegerField columns hold on every database
MAX_CONSTITUENCY = 32_767  # PositiveSmallIntegerField
_WHOLE = re.compile(r"-?[0-9]+(?:,[0-9]+)*")  # ASCII digits only; "1,23,456" and "123,456" group digits


class RowError(ValueError):
    """A row that cannot be imported; the message names the row and the reason."""

    def __init__(self, locator: str, reason: str):
        self.locator = locator
        self.reason = reason
        super().__init__(f"{locator}: {reason}")


class RowErrors(RowError):
    """Several rows that cannot be imported, reported together: the first's
    locator, then every reason (a user fixes them all in one go)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        rest = "".join(f"; {e.locator}: {e.reason}" for e in errors[1:])
        count = f" ({len(errors)} rows)" if len(errors) > 1 else ""
        super().__init__(errors[0].locator, f"{errors[0].reason}{rest}{count}")


@dataclass(frozen=True)
class ResultRow:
    locator: str
    year: int
    constituency_number: int
    constituency_name: str
    candidate: str
    party: str  # "" for an independent
    votes: int
    is_nota: bool = False
    reservation: str = ""
    district: str = ""
    won: bool | None = None
    margin: int | None = None
    electors: int | None = None
    total_votes: int | None = None
    identifier: tuple[str, str] | None = None  # (scheme, value) of the candidate elsewhere
    state: str = ""  # the state's code (ISO 3166-2:IN without "IN-": UP), where the file gives it


def _whole(
    value, locator: str, column: str, *, required: bool = True, minimum: int = 0, maximum: int = MAX_COUNT
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(locator, f"{column} is missing")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON's 94375.0
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError(locator, f"{column} {value!r} is not a whole number")
    text = str(value).strip()
    if not _WHOLE.fullmatch(text):
        shown = repr(text if len(text) <= 40 else text[:40] + "...")
        raise RowError(locator, f"{column} {shown} is not a whole number")
    if len(text) > 30:  # int() of thousands of digits is refused by Python itself
        raise RowError(locator, f"{column} {text[:30]}... is too large (at most {maximum})")
    number = int(text.replace(",", ""))
    if number < minimum:
        raise RowError(locator, f"{column} {number} is below {minimum}")
    if number > maximum:
        raise RowError(locator, f"{column} {number} is too large (at most {maximum})")
    return number


def _boolean(value, locator: str, column: str) -> bool | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1", "won"):
        return True
    if lowered in ("false", "no", "0", "lost"):
        return False
    raise RowError(locator, f"{column} {value!r} is not true or false")


def _text(value, locator: str, column: str, *, required: bool = True, longest: int = 300) -> str:
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
        raise RowError(locator, f"{column} {value!r} is not text")
    text = " ".join(str(value if value is not None else "").split())
    if required and not text:
        raise RowError(locator, f"{column} is missing")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise RowError(locator, f"{column} contains control characters")
    if len(text) > longest:
        raise RowError(locator, f"{column} is longer than {longest} characters")
    return text


def _identifier(value, locator: str) -> tuple[str, str] | None:
    text = _text(value, locator, "identifier", required=False, longest=250)
    if not text:
        return None
    scheme, colon, rest = text.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme) or not rest or len(rest) > 200:
        shown = repr(text if len(text) <= 60 else text[:60] + "...")
        raise RowError(
            locator,
            f"identifier {shown} is not scheme:value (a lower-case scheme of letters, digits, - or _, "
            "then a value of at most 200 characters; e.g. myneta:http://myneta.info/...)",
        )
    problem = identifier_problem(PERSON, scheme, rest)
    if problem is not None:
        raise RowError(locator, f"identifier {text[:60]!r}: {problem[1]}")
    return scheme, rest


def _state(value, locator: str) -> str:
    text = _text(value, locator, "state", required=False, longest=10).upper()
    if text and not re.fullmatch(r"[A-Z]{2}", text):
        raise RowError(locator, f"state {text!r} is not a two-letter state code (e.g. UP)")
    return text


def make_row(locator: str, **raw) -> ResultRow:
    candidate = _text(raw.get("candidate"), locator, "candidate")
    party = _text(raw.get("party"), locator, "party", required=False)
    is_nota = normalise_name(candidate) in NOTA_NAMES or normalise_name(party) in NOTA_NAMES
    reservation = _text(raw.get("reservation"), locator, "reservation", required=False).upper()
    if reservation not in ("", "GEN", "SC", "ST"):
        raise RowError(locator, f"reservation {reservation!r} is not GEN, SC or ST")
    return ResultRow(
        locator=locator,
        year=_whole(raw.get("year"), locator, "year", minimum=1),
        constituency_number=_whole(
            raw.get("constituency_number"), locator, "constituency_number", minimum=1, maximum=MAX_CONSTITUENCY
        ),
        constituency_name=_text(raw.get("constituency_name"), locator, "constituency_name", longest=200),
        candidate=candidate,
        party="" if is_nota or normalise_name(party) in NO_PARTY_NAMES else party,
        votes=_whole(raw.get("votes"), locator, "votes"),
        is_nota=is_nota,
        reservation=reservation,
        district=_text(raw.get("district"), locator, "district", required=False),
        won=_boolean(raw.get("won"), locator, "won"),
        margin=_whole(raw.get("margin"), locator, "margin", required=False),
        electors=_whole(raw.get("electors"), locator, "electors", required=False),
        total_votes=_whole(raw.get("total_votes"), locator, "total_votes", required=False),
        identifier=None if is_nota else _identifier(raw.get("identifier"), locator),
        state=_state(raw.get("state"), locator),
    )


def read_csv(path: Path) -> Iterator[ResultRow]:
    """The documented CSV: a header, then one row per candidate (NOTA as a candidate named NOTA).

    "row N" is the line of the file where the row ends (blank lines are skipped, not renumbered).
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _csv_rows(csv.reader(handle, strict=True))
    except UnicodeDecodeError:
        raise RowError("file", "not UTF-8 text (save the CSV as UTF-8)") from None


def _csv_rows(reader) -> Iterator[ResultRow]:
    try:
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise RowError("file", "empty (not even a header)")
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise RowError("header", f"missing column(s): {', '.join(missing)}")
        unknown = [c or repr(c) for c in header if c not in CSV_REQUIRED + CSV_OPTIONAL]
        if unknown:
            raise RowError("header", f"unknown column(s): {', '.join(unknown)}")
        twice = sorted({c for c in header if header.count(c) > 1})
        if twice:
            raise RowError("header", f"column(s) given twice: {', '.join(twice)}")
        for cells in reader:
            locator = f"row {reader.line_num}"
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a spreadsheet's row of empty cells
            if len(cells) > len(header):
                raise RowError(locator, "more cells than columns")
            yield make_row(locator, **dict(zip(header, cells, strict=False)))
    except csv.Error as exc:
        raise RowError(f"row {reader.line_num}", f"not readable as CSV ({exc})") from None


def read_india60(path: Path) -> Iterator[ResultRow]:
    """The india60 project's per-state JSON (constituencies[*].candidates[*])."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise RowError("file", f"not JSON ({str(exc)[:200]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("constituencies"), list):
        raise RowError("file", "expected an object with a 'constituencies' list")
    for i, constituency in enumerate(data["constituencies"]):
        where = f"constituencies[{i}]"
        if not isinstance(constituency, dict) or not isinstance(constituency.get("candidates"), list):
            raise RowError(where, "expected an object with a 'candidates' list")
        for j, candidate in enumerate(constituency["candidates"]):
            locator = f"{where}.candidates[{j}]"
            if not isinstance(candidate, dict):
                raise RowError(locator, "expected an object")
            won = candidate.get("won")
            myneta = candidate.get("myneta")
            url = myneta.get("url") if isinstance(myneta, dict) else None
            yield make_row(
                locator,
                year=data.get("year"),
                constituency_number=constituency.get("constituencyId"),
                constituency_name=constituency.get("name"),
                candidate=candidate.get("name"),
                party=candidate.get("party"),
                votes=candidate.get("votes"),
                won=won,
                margin=candidate.get("margin") if won else None,  # losers carry 0: "not applicable"
                total_votes=constituency.get("totalVotes"),
                identifier=f"myneta:{url}" if isinstance(url, str) and url.strip() else None,
                state=data.get("abbr"),
            )


READERS = {"csv": read_csv, "india60": read_india60}
