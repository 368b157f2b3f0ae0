"""Former names of districts, so that a results file that writes a district
under an old name ("MAHAMAYA NAGAR") finds the district recorded under its
new one (Hathras) instead of creating it again.

The shipped list (data/district-names/former-names.csv) is derived from the
affidavits dataset (MyNeta), which names each candidate's constituency and
district: the 2012 and 2017 elections were fought on the same constituencies
(the 2008 delimitation), so a district name of 2012 that 2017 no longer uses,
all of whose constituencies lie in one district of 2017 that 2012 did not
know, is that district's former name. A district split between two (CSJM
Nagar: Amethi and, for one constituency, Rae Bareli) is no renaming and is
left out. Curators extend the list by adding rows with their own evidence."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from records.text import normalise_name, sound_key, spelling_key

FORMER_NAMES = settings.BASE_DIR / "data" / "district-names" / "former-names.csv"
COLUMNS = ["state", "former_name", "name", "evidence"]
_RESERVATION = re.compile(r"\((SC|ST)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class FormerName:
    state: str
    former_name: str
    name: str
    evidence: str


def derive_former_names(affidavits_csv: Path, before: str = "2012", after: str = "2017") -> list[FormerName]:
    """District renamings between two elections of one delimitation, from the affidavits (module docstring)."""
    districts: dict[str, dict[str, set[str]]] = {before: defaultdict(set), after: defaultdict(set)}
    states: dict[str, str] = {}
    with affidavits_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["Year"] in districts:
                district = " ".join(row["District"].split())
                constituency = normalise_name(_RESERVATION.sub("", row["Constituency"]))
                districts[row["Year"]][constituency].add(district)
                states[district] = " ".join(row["State"].split())
    old, new = _names(districts[before]), _names(districts[after])
    find_later = _finder(districts[after])
    out = []
    for former in sorted(old - new):
        seats = [name for name, held_by in districts[before].items() if former in held_by]
        later_seats = [find_later(seat) for seat in seats]
        later = {name for seat in later_seats if seat for name in districts[after][seat]}
        if len(later) != 1 or None in later_seats:
            continue  # split, merged or not found again: no renaming
        (name,) = later
        if name in old:
            continue  # a district that existed already gained these constituencies
        evidence = (
            f"the {len(seats)} constituencies of {former} in {before} ({', '.join(sorted(seats)).upper()}) "
            f"all lie in {name} in {after}"
        )
        out.append(FormerName(states[name], former, name, evidence))
    return out


def _finder(constituencies: dict[str, set[str]]):
    """A constituency's name in the other year: the same spelling ("HAPUR (SC)" / "HAPUR"), else
    the only one that sounds the same ("DHAULANA" / "DHOLANA"), else None."""
    by_key, by_sound = defaultdict(list), defaultdict(list)
    for name in constituencies:
        by_key[spelling_key(name).replace(" ", "")].append(name)
        by_sound[sound_key(name).replace(" ", "")].append(name)

    def find(name: str) -> str | None:
        for index, key in ((by_key, spelling_key(name)), (by_sound, sound_key(name))):
            found = index.get(key.replace(" ", ""), [])
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None

    return find


def _names(by_constituency: dict[str, set[str]]) -> set[str]:
    return {name for names in by_constituency.values() for name in names}


def write_former_names(entries: list[FormerName], path: Path = FORMER_NAMES) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([e.state, e.former_name, e.name, e.evidence] for e in entries)


def load_former_names(state: str, path: Path = FORMER_NAMES) -> list[tuple[str, str]]:
    """(former name, name) of the districts of ``state`` (any spelling of it); [] without a list."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(row["former_name"], row["name"]) for row in rows if normalise_name(row["state"]) == normalise_name(state)]
