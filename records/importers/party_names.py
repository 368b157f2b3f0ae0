"""Party abbreviations and the names they stand for, so that a results file
that writes "INC" or "RLD" finds (or creates, readably named) the party
another file calls "Indian National Congress" or "Rashtriya Lok Dal".

The shipped list (data/party-names/parties.csv) is derived from the project's
own datasets: the same 2017 candidates appear in the affidavits (MyNeta, party
as an abbreviation) and in the results (party as a full name). An
abbreviation is listed with the full name that most of its candidates carry
when that holds for at least MIN_SHARE of at least MIN_CANDIDATES of them.
Curators extend the list by adding rows (with their own evidence)."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from records.importers.rows import NO_PARTY_NAMES
from records.text import normalise_name

PARTY_NAMES = settings.BASE_DIR / "data" / "party-names" / "parties.csv"
COLUMNS = ["abbreviation", "name", "evidence"]
MIN_CANDIDATES = 5
MIN_SHARE = 0.8


@dataclass(frozen=True)
class PartyName:
    abbreviation: str
    name: str
    evidence: str


def derive_party_names(results_json: Path, affidavits_csv: Path, year: int = 2017) -> list[PartyName]:
    """Abbreviations of ``affidavits_csv`` (MyNeta) with the full names ``results_json``
    (india60) gives the same candidates of ``year``; a name borne by two candidates
    of the results with different parties is not used."""
    parties_of: dict[str, set[str]] = defaultdict(set)
    for constituency in json.loads(results_json.read_text(encoding="utf-8"))["constituencies"]:
        for candidate in constituency["candidates"]:
            parties_of[normalise_name(candidate["name"])].add(" ".join(candidate["party"].split()))
    names: dict[str, Counter] = defaultdict(Counter)
    with affidavits_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            parties = parties_of.get(normalise_name(row["Candidate"]), set())
            if row["Year"] == str(year) and len(parties) == 1:
                names[row["Party"].strip()][next(iter(parties))] += 1
    out = []
    for abbreviation, counts in names.items():
        (name, n), total = counts.most_common(1)[0], sum(counts.values())
        if normalise_name(abbreviation) in NO_PARTY_NAMES or normalise_name(abbreviation) == normalise_name(name):
            continue  # an independent, or a party both files name in full
        if total >= MIN_CANDIDATES and n / total >= MIN_SHARE:
            evidence = (
                f"{year}: {n} of the {total} candidates the affidavits list as {abbreviation} "
                f"stand for {name} in the results"
            )
            out.append(PartyName(abbreviation, name, evidence))
    return sorted(out, key=lambda p: p.abbreviation)


def write_party_names(entries: list[PartyName], path: Path = PARTY_NAMES) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([e.abbreviation, e.name, e.evidence] for e in entries)


def load_party_names(path: Path = PARTY_NAMES) -> dict[str, str]:
    """Normalised abbreviation -> full name; {} without a list."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {normalise_name(row["abbreviation"]): row["name"] for row in csv.DictReader(handle)}
