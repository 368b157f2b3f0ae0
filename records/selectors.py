"""Derived data that the API and the admin share: party totals computed
from constituency results, the datasets they come from, and the check of
what sources claim against them. Nothing here is stored: it is always
derived from the contests in the database.

Vote share is a party's votes over all votes counted in the election's
contests (NOTA included), in per cent, rounded half up to two places; a
claimed share agrees when it equals that at two places. Seats agree when
equal. "Seats with allies" is checked against the party's recorded alliance
for the election; without one it cannot be checked, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum

from records.models import Alliance, Candidacy, Citation, Contest, Election, Organisation, PartyResult, Source


@dataclass(frozen=True)
class PartyTally:
    party_id: int
    seats_won: int
    votes: int
    vote_share: Decimal | None
    contested: int


@dataclass(frozen=True, slots=True)
class PartyName:
    """What a tally shows of a party: plain values, not a model instance (an
    election can have hundreds of parties)."""

    id: int
    slug: str
    name: str
    abbreviation: str


@dataclass(frozen=True)
class FieldCheck:
    field: str
    claimed: int | Decimal | None
    official: int | Decimal | None
    agrees: bool | None  # None: cannot be checked
    note: str = ""


@dataclass(frozen=True)
class ClaimCheck:
    claim: PartyResult
    checks: tuple[FieldCheck, ...]

    @property
    def agrees(self) -> bool | None:
        """False if any checkable field disagrees; True if all checkable agree; None if none could be checked."""
        verdicts = [c.agrees for c in self.checks if c.agrees is not None]
        if not verdicts:
            return None
        return all(verdicts)


def percent(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def official_tally(election: Election) -> dict[int, PartyTally]:
    """Per party: seats won, votes, vote share, contests entered (two queries)."""
    total = Contest.objects.filter(election=election).aggregate(total=Sum("total_votes"))["total"]
    return _tally(_party_rows(election), total)


def _party_rows(election: Election):
    """Per party (None: independents) of the election's contests: seats,
    votes, votes in contests with a known total, candidacies (one query)."""
    # The share's numerator counts only contests the denominator counts: a
    # contest without a known total would otherwise inflate every share.
    totalled = Q(contest__total_votes__isnull=False)
    return list(
        Candidacy.objects.filter(contest__election=election)
        .values("party_id")
        .annotate(
            seats=Count("id", filter=Q(won=True)),
            votes_won=Sum("votes"),
            votes_totalled=Sum("votes", filter=totalled),
            contested=Count("id"),
        )
        .order_by()
    )


def _tally(rows, total: int | None) -> dict[int, PartyTally]:
    return {
        row["party_id"]: PartyTally(
            party_id=row["party_id"],
            seats_won=row["seats"],
            votes=row["votes_won"] or 0,
            vote_share=percent(row["votes_totalled"] or 0, total),
            contested=row["contested"],
        )
        for row in rows
        if row["party_id"] is not None
    }


def ranked(tally: dict[int, PartyTally]) -> list[PartyTally]:
    """The official results as shown: most seats first, then most votes, then by party id."""
    return sorted(tally.values(), key=lambda t: (-t.seats_won, -t.votes, t.party_id))


def contest_sources(election_id: int) -> QuerySet[Source]:
    """The sources the election's contests cite (the results datasets), by id (one query)."""
    cited = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Contest),
        object_id__in=Contest.objects.filter(election_id=election_id).values("pk"),
    )
    return Source.objects.filter(pk__in=cited.values("source_id")).order_by("id")


def _compare(field: str, claimed, official, missing_note: str, note: str = "") -> FieldCheck:
    if claimed is None:
        return FieldCheck(field, None, official, None, "not claimed")
    if official is None:
        return FieldCheck(field, claimed, None, None, missing_note)
    return FieldCheck(field, claimed, official, claimed == official, note)


def check_claims(election: Election, tally: dict[int, PartyTally] | None = None) -> list[ClaimCheck]:
    """Every PartyResult claimed for ``election`` next to the official numbers."""
    tally = official_tally(election) if tally is None else tally
    has_results = bool(tally)
    alliances = {
        alliance.leader_id: alliance
        for alliance in Alliance.objects.filter(election=election).prefetch_related("parties")
    }
    missing = "no official results imported for this election"
    out = []
    for claim in PartyResult.objects.filter(election=election).select_related("party").order_by("-seats_won", "id"):
        official = tally.get(claim.party_id)
        if has_results and official is None:
            official = PartyTally(claim.party_id, 0, 0, Decimal("0.00"), 0)
        seats = official.seats_won if official else None
        share = official.vote_share if official else None
        alliance = alliances.get(claim.party_id)
        if alliance is not None and has_results:
            with_allies = sum(tally[p.pk].seats_won for p in alliance.parties.all() if p.pk in tally)
            allies_note = f"alliance: {alliance.name}"
        else:
            with_allies = None
            allies_note = missing if not has_results else "no alliance recorded for this party and election"
        out.append(
            ClaimCheck(
                claim=claim,
                checks=(
                    _compare("seats_won", claim.seats_won, seats, missing),
                    _compare("seats_with_allies", claim.seats_with_allies, with_allies, allies_note, allies_note),
                    _compare("vote_share", claim.vote_share, share, missing),
                ),
            )
        )
    return out


@dataclass(frozen=True)
class ElectionResults:
    """An election's official results (empty without imported contests) and its claims checked against them."""

    contests: int
    candidacies: int
    tally: list[PartyTally]  # ranked: most seats, then most votes
    parties: dict[int, PartyName]  # the tally's parties
    sources: list[Source]  # the datasets the contests cite, by id
    checks: list[ClaimCheck]


def election_results(election: Election | int) -> ElectionResults:
    """In a fixed number of queries, whatever the number of contests, parties or
    claims: the contests' count and votes (1); with contests, the tally and the
    candidacies' count (1), the tally's parties (1) and the datasets (1); with
    claims, alliances (1, +1 for their parties) and the claims (1)."""
    election = election if isinstance(election, Election) else Election(pk=election)
    contests = Contest.objects.filter(election=election).aggregate(count=Count("id"), total=Sum("total_votes"))
    tally, candidacies, parties, sources = {}, 0, {}, []
    if contests["count"]:
        rows = _party_rows(election)
        candidacies = sum(row["contested"] for row in rows)
        tally = _tally(rows, contests["total"])
        # By the tally's ids: a subquery over the candidacies again costs more than binding them.
        named = Organisation.objects.filter(pk__in=list(tally)).values("id", "slug", "name", "abbreviation")
        parties = {row["id"]: PartyName(**row) for row in named}
        sources = list(contest_sources(election.pk).only("id", "slug", "title", "license", "kind"))
    return ElectionResults(
        contests=contests["count"],
        candidacies=candidacies,
        tally=ranked(tally),
        parties=parties,
        sources=sources,
        checks=check_claims(election, tally),
    )
