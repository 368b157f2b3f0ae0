"""The whole corpus from a size and a seed: same arguments, same rows."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import connection, transaction
from tqdm import tqdm

from records.corpus.elections import ElectionWriter
from records.corpus.gazetteer import build_gazetteer
from records.corpus.people import PEOPLE_PER_ARTICLE, PeopleWriter
from records.corpus.sink import Sink
from records.models import Person, Source


class CorpusNotEmpty(Exception):
    """The corpus goes into an empty database only (ids and slugs are its own)."""


@dataclass(frozen=True)
class CorpusSize:
    people: int
    postings: int

    @property
    def states(self) -> int:
        return max(2, min(28, self.people // 3_500))

    @property
    def districts_per_state(self) -> int:
        return max(3, min(40, self.people // (self.states * 120)))

    @property
    def constituencies_per_state(self) -> int:
        return max(4, min(120, self.people // (self.states * 25)))

    @property
    def elections_per_state(self) -> int:
        return 2 if self.people < 10_000 else 4

    def postings_per_person(self, rng: random.Random, remaining_people: int, remaining_postings: int) -> int:
        """Spread the postings so that their total is exact: careers vary from
        one posting to about twice the mean."""
        if remaining_people <= 1:
            return remaining_postings
        mean = remaining_postings / remaining_people
        low, high = max(0, int(mean * 0.3)), int(mean * 1.7) + 1
        return min(remaining_postings, rng.randint(low, high))


def expected_rows(size: CorpusSize) -> int:
    """About how many rows will be written (for the progress bar)."""
    people = size.people * 4  # the person, its aliases, identifier, relation and their citations
    return people + size.postings * 2 + size.states * size.constituencies_per_state * size.elections_per_state * 12


def generate_corpus(size: CorpusSize, *, seed: int, progress: bool = False) -> dict[str, int]:
    """Write the corpus into the (empty) database; return rows written per model."""
    if Person.objects.exists() or Source.objects.exists():
        raise CorpusNotEmpty("The database already holds people or sources; generate the corpus into an empty one.")
    rng = random.Random(seed)
    bar = tqdm(total=expected_rows(size), unit=" rows", disable=not progress, smoothing=0.05)
    sink = Sink(progress=bar)
    with transaction.atomic():
        gazetteer = build_gazetteer(sink, rng, states=size.states, districts_per_state=size.districts_per_state)
        people = PeopleWriter(sink, rng, gazetteer, seed=seed)
        remaining_people, remaining_postings = size.people, size.postings
        while remaining_people:
            group = min(PEOPLE_PER_ARTICLE, remaining_people)
            counts = []
            for _ in range(group):
                n = size.postings_per_person(rng, remaining_people, remaining_postings)
                counts.append(n)
                remaining_people -= 1
                remaining_postings -= n
            people.write_group(group, counts)
        ElectionWriter(sink, rng, gazetteer, seed=seed).write(
            person_ids=people.person_ids,
            constituencies_per_state=size.constituencies_per_state,
            elections_per_state=size.elections_per_state,
        )
        sink.flush()
        if connection.vendor == "postgresql":
            sink.reset_sequences()
    bar.close()
    return {model._meta.label: count for model, count in sink.written.items()}
