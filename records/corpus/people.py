"""People with aliases, identifiers, relations and careers (postings), each
told and cited in a synthetic news report about a group of people."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils.text import slugify

from records.careers import assign_career_positions
from records.corpus import names
from records.corpus.dates import fuzzy, random_day
from records.corpus.gazetteer import Gazetteer
from records.corpus.sink import Article, Sink
from records.models import ClaimStatus, Person, PersonAlias, PersonIdentifier, PersonRelation, Posting
from records.text import normalise_name

PEOPLE_PER_ARTICLE = 20
# Most claims are confirmed; the rest are spread over the weaker statuses.
STATUS_WEIGHTS = [
    (ClaimStatus.CONFIRMED, 70),
    (ClaimStatus.REPORTED, 12),
    (ClaimStatus.ANNOUNCED, 8),
    (ClaimStatus.EXPECTED, 6),
    (ClaimStatus.SPECULATED, 4),
]
_STATUSES = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
_VERBS = {
    ClaimStatus.CONFIRMED: "served as",
    ClaimStatus.REPORTED: "is said by sources to have served as",
    ClaimStatus.ANNOUNCED: "was announced as",
    ClaimStatus.EXPECTED: "is expected to serve as",
    ClaimStatus.SPECULATED: "could serve as",
}
RELATIONS = [PersonRelation.Kind.PARENT, PersonRelation.Kind.SPOUSE, PersonRelation.Kind.SIBLING]
FIRST_DAY, LAST_DAY = date(1985, 1, 1), date(2024, 12, 31)  # the corpus's past; later ends are not known yet
END_OF_CAREERS = date(2027, 12, 31)


class PeopleWriter:
    """Writes people in groups; each group is one article citing all their claims."""

    def __init__(self, sink: Sink, rng: random.Random, gazetteer: Gazetteer, *, seed: int):
        self.sink, self.rng, self.gazetteer, self.seed = sink, rng, gazetteer, seed
        self.articles = 0
        self.person_ids: list[int] = []  # every person written, for relations and candidacies
        self.recent_names: dict[int, str] = {}  # the last few thousand, for relations
        self.districts = [d for s in gazetteer.states for d in s.districts]

    def write_group(self, count: int, postings: list[int]) -> None:
        """``count`` people; ``postings[i]`` is how many postings person i gets."""
        self.articles += 1
        day = random_day(self.rng, date(2005, 1, 1), date(2025, 6, 30))
        article = Article(
            self.sink,
            slug=f"corpus-{self.seed}-report-{self.articles:06d}",
            title=f"Synthetic report no. {self.articles} (seed {self.seed})",
            published_on=day,
            publisher=self.rng.choice(["The Daily Ledger", "State Times", "News Wire", "Lok Samachar"]),
        )
        for i in range(count):
            self._person(article, postings[i])
        article.publish()

    # -- one person -----------------------------------------------------------

    def _person(self, article: Article, n_postings: int) -> None:
        rng = self.rng
        first, surname = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
        middle = rng.choice(names.MIDDLE_NAMES) if rng.random() < 0.4 else ""
        name = f"{first} {surname}"
        pk = self.sink.new_id(Person)
        birth = random_day(rng, date(1940, 1, 1), date(1995, 12, 31))
        birth_value, birth_words = fuzzy(rng, birth) if rng.random() < 0.6 else ("", "")
        gender = (Person.Gender.FEMALE if first in names.FEMALE else Person.Gender.MALE) if rng.random() < 0.8 else ""
        person = self.sink.add(
            Person(
                pk=pk,
                slug=f"{slugify(name)}-{pk}",
                name=name,
                birth_date=birth_value,
                native_place=rng.choice(self.districts) if rng.random() < 0.5 else None,
                gender=gender,
                social_group=rng.choice(names.SOCIAL_GROUPS) if rng.random() < 0.2 else "",
            )
        )
        bio = f"{name} was born {birth_words}" if birth_value else f"{name} is one of the officers named in the report"
        article.say(bio, person, field="birth_date" if birth_value else "")
        self._aliases(article, person, first, middle, surname)
        if rng.random() < 0.3:
            self.sink.add(PersonIdentifier(person=person, scheme="wikidata", value=f"Q{self.seed}{pk:09d}"))
        if self.recent_names and rng.random() < 0.1:
            self._relation(article, person)
        self._career(article, person, n_postings)
        self.person_ids.append(pk)
        self.recent_names[pk] = name
        if len(self.recent_names) > 5000:
            del self.recent_names[next(iter(self.recent_names))]

    def _aliases(self, article: Article, person: Person, first: str, middle: str, surname: str) -> None:
        candidates = [(names.initials(first, middle, surname), PersonAlias.Kind.SHORT_NAME)]
        if middle:
            candidates.append((f"{first} {middle} {surname}", PersonAlias.Kind.FULL_NAME))
        candidates += [(f"{v} {surname}", PersonAlias.Kind.SPELLING_VARIANT) for v in names.spelling_variants(first)]
        candidates += [(f"{first} {v}", PersonAlias.Kind.SPELLING_VARIANT) for v in names.spelling_variants(surname)]
        seen = {normalise_name(person.name)}
        for alias_name, kind in self.rng.sample(candidates, k=min(len(candidates), self.rng.randint(1, 3))):
            if normalise_name(alias_name) in seen:
                continue
            seen.add(normalise_name(alias_name))
            alias = self.sink.add(
                PersonAlias(person=person, name=alias_name, kind=kind, status=self.rng.choice(_STATUSES))
            )
            article.say(f"{person.name}, also written {alias_name}, was named in the report", alias)

    def _relation(self, article: Article, person: Person) -> None:
        other_pk = self.rng.choice(list(self.recent_names))  # a recent person: kin are reported together
        kind = self.rng.choice(RELATIONS)
        relation = self.sink.add(
            PersonRelation(subject_id=other_pk, object=person, kind=kind, status=self.rng.choice(_STATUSES))
        )
        article.say(f"{self.recent_names[other_pk]} is the {kind} of {person.name}", relation)

    def _career(self, article: Article, person: Person, n_postings: int) -> None:
        """Postings one after another; party memberships along the way."""
        rng = self.rng
        state = rng.choice(self.gazetteer.states)
        track = rng.random()
        day = random_day(rng, FIRST_DAY, date(2016, 1, 1))
        mean_days = max(60, (END_OF_CAREERS - day).days // max(n_postings, 1))
        previous = None
        postings: list[Posting] = []
        for step in range(n_postings):
            start_day = day
            end_day = start_day + timedelta(days=rng.randint(mean_days // 2, mean_days))
            last = step == n_postings - 1
            if rng.random() < 0.15:  # a party membership or office
                organisation = rng.choice(state.parties + self.gazetteer.national_parties)
                role, rank, place = rng.choice(names.PARTY_ROLES), "", state.place
            elif track < 0.6:
                unit_at = rng.randrange(len(state.units))
                organisation, place = state.units[unit_at], state.districts[unit_at]
                role, rank = names.POLICE_POSTS[min(step * len(names.POLICE_POSTS) // max(n_postings, 1), 6)]
            else:
                organisation = self.gazetteer.services[1]  # the administrative service
                place = rng.choice(state.districts)
                role, rank = rng.choice(names.SERVICE_POSTS)
            start_value, start_words = fuzzy(rng, start_day)
            ongoing = last and end_day > LAST_DAY
            end_value, end_words = ("", "") if ongoing else fuzzy(rng, end_day)
            status = rng.choice(_STATUSES)
            posting = Posting(
                pk=self.sink.new_id(Posting),
                person=person,
                role=role,
                rank=rank,
                organisation=organisation,
                place=place,
                start=start_value,
                end=end_value,
                previous_id=previous.pk if previous is not None and rng.random() < 0.5 else None,
                status=status,
            )
            postings.append(posting)
            until = f", until {end_words.removeprefix('in ')}" if end_value else ""
            article.say(
                f"{person.name} {_VERBS[status]} {role} of {organisation.name} from {start_words[3:]}{until}"
                if start_words.startswith("in ")
                else f"{person.name} {_VERBS[status]} {role} of {organisation.name} starting {start_words}{until}",
                posting,
                field="start",
            )
            previous = posting
            day = end_day + timedelta(days=rng.randint(1, mean_days // 4 + 1))
        assign_career_positions(postings)
        for posting in postings:
            self.sink.add(posting)
