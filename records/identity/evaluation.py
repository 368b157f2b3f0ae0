"""Precision and recall of the matcher on a labelled set built from the data.

The records: the 2017 rows of the candidates' affidavits (MyNeta/ADR,
``../shared/data/up-affidavits-myneta/``), each an incoming candidate record
(name as MyNeta spells it, constituency, district, party abbreviation, age),
matched against the people the 2017 official results created (india60/ECI,
``data/up-assembly-2017-eci/``).

The labels come from neither name: the affidavits have no person key (their
SOURCE.md says so), but both datasets say who won each seat. Where a seat
maps to exactly one constituency, the affidavits flag exactly one winner in
it (two flags mean a by-election winner too: the seat is left out) and the
results have one winner, that row IS the results' winner (a positive), and
every other row of the seat is NOT that winner (a negative). Whom a loser's
row is, among the results' losers, no independent signal says: linking a
loser's row to anyone but the winner is counted apart (unlabelled), never
as right or wrong.

Precision: of the links the matcher makes on labelled questions, the share
that are right. Recall: of the winners' rows, the share linked to the winner.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from records.identity.matcher import CandidateRecord, Matcher, PeoplePool, born_from_age
from records.importers.party_names import load_party_names
from records.models import Candidacy, Constituency, Election, OrganisationAlias, Party, Person
from records.text import normalise_name, same_place_name, spelling_key

AFFIDAVITS = (
    settings.BASE_DIR.parent / "shared" / "data" / "up-affidavits-myneta" / "uttar-pradesh-candidates-2007-2017.csv"
)
_RESERVATION = re.compile(r"\((SC|ST)\)\s*$", re.IGNORECASE)
NO_PARTY = {"ind", "independent", ""}


@dataclass(frozen=True)
class Example:
    record: CandidateRecord
    locator: str  # the affidavits' line
    is_person: int | None  # a winner's row: the person it is
    is_not_person: int | None  # a loser's row: the winner it is not


@dataclass
class LabelledSet:
    examples: list[Example]
    seats: int
    left_out: Counter = field(default_factory=Counter)  # why seats were not used

    @property
    def positives(self) -> int:
        return sum(e.is_person is not None for e in self.examples)

    @property
    def negatives(self) -> int:
        return sum(e.is_not_person is not None for e in self.examples)


@dataclass
class Measurement:
    link_at: float
    propose_at: float
    positives: int = 0
    negatives: int = 0
    true_links: int = 0
    false_links: int = 0
    proposed_only: int = 0  # winners' rows not linked, with the winner among the proposals
    unlabelled_links: int = 0  # losers' rows linked to a loser: no label says whether rightly
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        links = self.true_links + self.false_links
        return self.true_links / links if links else 1.0

    @property
    def recall(self) -> float:
        return self.true_links / self.positives if self.positives else 0.0

    @property
    def review_recall(self) -> float:
        """Winners linked or put before a curator."""
        return (self.true_links + self.proposed_only) / self.positives if self.positives else 0.0

    def lines(self) -> list[str]:
        return [
            f"labelled set: {self.positives} winners' rows (positives), {self.negatives} other rows of their "
            "seats (negatives: not the winner)",
            f"link threshold {self.link_at}, proposal floor {self.propose_at}",
            f"links: {self.true_links} right, {self.false_links} wrong; "
            f"precision {self.precision:.4f}, recall {self.recall:.4f}",
            f"winners' rows linked or proposed to a curator: {self.review_recall:.4f}",
            f"losers' rows linked to another loser (no label, not counted): {self.unlabelled_links}",
        ]


def build_labelled_set(election: Election, affidavits: Path = AFFIDAVITS, year: int = 2017) -> LabelledSet:
    rows = _affidavit_rows(affidavits, year)
    constituencies = _constituencies(election)
    winners = _winners(election)
    parties = _party_resolver()
    day = election.start_earliest
    by_seat: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in rows:
        by_seat[row["Constituency"]].append((line, row))
    examples, left_out, seats = [], Counter(), 0
    for seat, seat_rows in sorted(by_seat.items()):
        name = _RESERVATION.sub("", seat).strip()
        matches = _same_place(constituencies, name)
        if len(matches) != 1:
            left_out["seat name matches no constituency, or several"] += 1
            continue
        constituency = matches[0].constituency
        flagged = [r for r in seat_rows if r[1]["Winner"].strip().lower() == "yes"]
        if len(flagged) != 1:
            left_out["not exactly one winner flagged (by-elections)"] += 1
            continue
        winner = winners.get(constituency.pk)
        if winner is None:
            left_out["no single winner in the results"] += 1
            continue
        seats += 1
        for line, row in seat_rows:
            age = row["Age"].strip()
            record = CandidateRecord(
                name=row["Candidate"],
                election_id=election.pk,
                constituency_id=constituency.pk,
                constituency_name=constituency.name,
                district_name=row["District"].strip(),
                party_id=parties(row["Party"]),
                born=born_from_age(int(age), day) if age.isdigit() and day else None,
            )
            is_winner = (line, row) == flagged[0]
            examples.append(
                Example(
                    record,
                    f"line {line}",
                    is_person=winner if is_winner else None,
                    is_not_person=None if is_winner else winner,
                )
            )
    return LabelledSet(examples, seats, left_out)


def measure(labelled: LabelledSet, matcher: Matcher) -> Measurement:
    result = Measurement(
        link_at=matcher.link_at,
        propose_at=matcher.propose_at,
        positives=labelled.positives,
        negatives=labelled.negatives,
    )
    for example in labelled.examples:
        decision = matcher.decide(example.record)
        linked = decision.link.person_id if decision.link else None
        if example.is_person is not None:
            if linked == example.is_person:
                result.true_links += 1
            elif linked is not None:
                result.false_links += 1
                result.mistakes.append(f"{example.locator}: {example.record.name} linked to #{linked}")
            elif any(p.person_id == example.is_person for p in decision.proposals):
                result.proposed_only += 1
        elif linked == example.is_not_person:
            result.false_links += 1
            result.mistakes.append(f"{example.locator}: {example.record.name} (not the winner) linked to the winner")
        elif linked is not None:
            result.unlabelled_links += 1
    return result


def measure_election(election: Election, affidavits: Path = AFFIDAVITS, **thresholds) -> Measurement:
    """Every person known, the labelled set of the election, the matcher's decisions."""
    labelled = build_labelled_set(election, affidavits)
    pool = PeoplePool.load(Person.objects.all())
    return measure(labelled, Matcher(pool, **thresholds))


# -- reading the data ---------------------------------------------------------


def _affidavit_rows(path: Path, year: int) -> list[tuple[int, dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return [(reader.line_num, row) for row in reader if row["Year"].strip() == str(year)]


@dataclass
class _Named:  # a constituency and its names
    constituency: Constituency
    names: tuple[str, ...]

    @functools.cached_property
    def keys(self) -> set[str]:
        return {spelling_key(name).replace(" ", "") for name in self.names}


def _constituencies(election: Election) -> list[_Named]:
    found = Constituency.objects.filter(contests__election=election).prefetch_related("aliases").order_by("pk")
    return [_Named(c, (c.name, *(a.name for a in c.aliases.all()))) for c in found]


def _same_place(constituencies: list[_Named], name: str) -> list[_Named]:
    """The constituencies a seat's name can name: by spelling key first (cheap),
    else by records.text.same_place_name (hyphenated names, spaces)."""
    key = spelling_key(name).replace(" ", "")
    exact = [c for c in constituencies if key in c.keys]
    return exact or [c for c in constituencies if any(same_place_name(known, name) for known in c.names)]


def _winners(election: Election) -> dict[int, int]:
    """Constituency id -> the person who won its contest, where exactly one did."""
    won = Candidacy.objects.filter(contest__election=election, won=True).values_list(
        "contest__constituency_id", "person_id"
    )
    people = defaultdict(set)
    for constituency_id, person_id in won:
        people[constituency_id].add(person_id)
    return {c: next(iter(p)) for c, p in people.items() if len(p) == 1}


def _party_resolver():
    """A party abbreviation or name of the affidavits -> the party's id (None for an independent)."""
    index: dict[str, int] = {}
    for pk, name, abbreviation in Party.objects.values_list("pk", "name", "abbreviation"):
        index.setdefault(normalise_name(name), pk)
        if abbreviation:
            index.setdefault(normalise_name(abbreviation), pk)
    for pk, name in OrganisationAlias.objects.filter(organisation__kind="party").values_list("organisation_id", "name"):
        index.setdefault(normalise_name(name), pk)
    full_names = load_party_names()

    def resolve(given: str) -> int | None:
        key = normalise_name(given)
        if key in NO_PARTY:
            return None
        found = index.get(key)
        if found is None and key in full_names:
            found = index.get(normalise_name(full_names[key]))
        return found

    return resolve
