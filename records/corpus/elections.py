"""Assembly elections in every state: constituencies, phases, official results
per contest (a dataset source, cited by row), and what news reports claim
about party results and future candidacies (cited by quote)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal

from records.corpus.dates import MONTHS, fuzzy
from records.corpus.gazetteer import Gazetteer, State
from records.corpus.sink import Article, Sink
from records.models import (
    Candidacy,
    Citation,
    ClaimStatus,
    Constituency,
    Contest,
    Election,
    ElectionPhase,
    PartyResult,
    Source,
)

YEARS = [2002, 2007, 2012, 2017, 2022]


class ElectionWriter:
    def __init__(self, sink: Sink, rng: random.Random, gazetteer: Gazetteer, *, seed: int):
        self.sink, self.rng, self.gazetteer, self.seed = sink, rng, gazetteer, seed

    def write(self, *, person_ids: list[int], constituencies_per_state: int, elections_per_state: int) -> None:
        for state in self.gazetteer.states:
            seats = self._constituencies(state, constituencies_per_state)
            for year in YEARS[-elections_per_state:]:
                self._election(state, year, seats, person_ids)
            self._upcoming(state, person_ids)

    def _constituencies(self, state: State, count: int) -> list[Constituency]:
        rng = self.rng
        out = []
        for number in range(1, count + 1):
            district = state.districts[(number - 1) * len(state.districts) // count]
            name = f"{district.name} {['North', 'South', 'East', 'West', 'Central', 'Rural'][number % 6]}"
            reservation = rng.choice(["GEN"] * 7 + ["SC"] * 2 + ["ST"])
            out.append(
                self.sink.add(
                    Constituency(
                        slug=f"{state.place.slug}-{number:03d}",
                        jurisdiction=state.place,
                        number=number,
                        name=f"{name} {number}",
                        reservation=reservation,
                        district=district,
                    )
                )
            )
        return out

    def _election(self, state: State, year: int, seats: list[Constituency], person_ids: list[int]) -> None:
        rng = self.rng
        phases = rng.randint(1, 7)
        first = date(year, 2, 1) + timedelta(days=rng.randint(0, 20))
        poll_days = [first + timedelta(days=6 * i) for i in range(phases)]
        counting = poll_days[-1] + timedelta(days=rng.randint(5, 12))
        election = self.sink.add(
            Election(
                slug=f"{state.place.slug}-{year}",
                name=f"{year} {state.place.name} Assembly election",
                jurisdiction=state.place,
                body=state.assembly,
                seats=len(seats),
                start=poll_days[0].isoformat(),
                end=poll_days[-1].isoformat(),
                announced=f"{year}-01",
                counting=counting.isoformat(),
            )
        )
        for number, day in enumerate(poll_days, start=1):
            self.sink.add(ElectionPhase(election=election, number=number, poll_date=day.isoformat()))
        dataset = self._dataset(state, year)
        parties = self.gazetteer.national_parties[:5] + state.parties
        won: dict[int, int] = {}
        for index, constituency in enumerate(seats):
            winner_party = self._contest(election, constituency, index, dataset, parties, person_ids)
            if winner_party is not None:
                won[winner_party] = won.get(winner_party, 0) + 1
        self._claims(election, state, year, counting, won)

    def _dataset(self, state: State, year: int) -> Source:
        text = f"Synthetic constituency results, {state.place.name} {year} (seed {self.seed})\n"
        return self.sink.add(
            Source(
                slug=f"corpus-{self.seed}-results-{state.place.slug}-{year}",
                kind=Source.Kind.DATASET,
                title=text.strip(),
                published_on=date(year, 6, 1),
                license="CC0-1.0",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
        )

    def _contest(self, election, constituency, index, dataset, parties, person_ids) -> int | None:
        """Candidates with votes, ranks, the winner and the margin; returns the winner's party id."""
        rng = self.rng
        electors = rng.randint(180_000, 400_000)
        people = rng.sample(person_ids, k=min(len(person_ids), rng.randint(3, 8)))
        votes = sorted((rng.randint(500, 90_000) for _ in people), reverse=True)
        nota = rng.randint(300, 3_000)
        contest = self.sink.add(
            Contest(
                election=election,
                constituency=constituency,
                total_votes=sum(votes) + nota,
                nota_votes=nota,
                electors=max(electors, sum(votes) + nota),
            )
        )
        self._row(dataset, contest, f"constituencies[{index}]")
        stood = rng.sample(parties, k=min(len(parties), len(people)))
        winner_party = None
        for rank, (person_id, count) in enumerate(zip(people, votes, strict=True), start=1):
            party = stood[rank - 1] if rank - 1 < len(stood) and rng.random() < 0.9 else None  # else independent
            if rank == 1:
                winner_party = party.pk if party else None
            candidacy = self.sink.add(
                Candidacy(
                    person_id=person_id,
                    election=election,
                    party=party,
                    contest=contest,
                    ballot_name=f"Candidate {person_id}",
                    votes=count,
                    rank=rank,
                    won=rank == 1,
                    margin=(votes[0] - votes[1]) if rank == 1 and len(votes) > 1 else None,
                )
            )
            self._row(dataset, candidacy, f"constituencies[{index}].candidates[{rank - 1}]")
        return winner_party

    def _row(self, dataset: Source, record, locator: str) -> None:
        self.sink.add(
            Citation(
                source_id=dataset.pk,
                content_type_id=self.sink.content_type_id(type(record)),
                object_id=record.pk,
                locator=locator,
            )
        )

    def _claims(self, election: Election, state: State, year: int, counting: date, won: dict[int, int]) -> None:
        """A news report of the result: the top parties' seats, sometimes wrong."""
        article = Article(
            self.sink,
            slug=f"corpus-{self.seed}-result-{election.slug}",
            title=f"{election.name}: the results",
            published_on=counting + timedelta(days=1),
            publisher="State Times",
        )
        by_party = {p.pk: p for p in self.gazetteer.all_parties}
        for party_id, seats in sorted(won.items(), key=lambda item: -item[1])[:3]:
            claimed = seats if self.rng.random() < 0.8 else seats + self.rng.randint(1, 5)  # a misreport
            share = Decimal(self.rng.randint(500, 4500)) / 100
            result = self.sink.add(
                PartyResult(
                    election=election,
                    party_id=party_id,
                    seats_won=claimed,
                    seats_with_allies=claimed + self.rng.randint(0, 10),
                    vote_share=share,
                )
            )
            article.say(
                f"The {by_party[party_id].name} won {claimed} seats with {share} per cent of the vote in {year}", result
            )
        article.publish()

    def _upcoming(self, state: State, person_ids: list[int]) -> None:
        """The next election, with dates as vague as reports give them and expected candidacies."""
        rng = self.rng
        year = YEARS[-1] + 5
        status = rng.choice([ClaimStatus.EXPECTED, ClaimStatus.SPECULATED])
        start_value, start_words = fuzzy(rng, date(year, 3, 1), rng.choice(["season", "year", "month"]))
        election = self.sink.add(
            Election(
                slug=f"{state.place.slug}-{year}",
                name=f"{year} {state.place.name} Assembly election",
                jurisdiction=state.place,
                body=state.assembly,
                seats=None,
                start=start_value,
                status=status,
            )
        )
        article = Article(
            self.sink,
            slug=f"corpus-{self.seed}-preview-{election.slug}",
            title=f"Who will stand in {state.place.name} in {year}",
            published_on=date(year - 1, rng.randint(1, 12), 1),
            publisher="News Wire",
        )
        article.say(f"The {state.place.name} assembly election is expected {start_words}", election, field="start")
        for person_id in rng.sample(person_ids, k=min(len(person_ids), 5)):
            party = rng.choice(state.parties + self.gazetteer.national_parties)
            candidacy = self.sink.add(
                Candidacy(
                    person_id=person_id,
                    election=election,
                    party=party,
                    place=rng.choice(state.districts),
                    status=rng.choice([ClaimStatus.EXPECTED, ClaimStatus.SPECULATED]),
                )
            )
            month = MONTHS[rng.randrange(12)]
            article.say(f"Person no. {person_id} may stand for the {party.name}, sources said in {month}", candidacy)
        article.publish()
