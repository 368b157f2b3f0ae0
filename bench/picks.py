"""The values scenarios use, picked from the corpus (never hard-coded), so
that any size and seed work: a candidate with a career, the largest police
force, the state with the most places in it, the party with the most
candidates, an election with contests and claimed results..."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    ClaimStatus,
    Constituency,
    ConstituencyIdentifier,
    Contest,
    Election,
    Event,
    Organisation,
    OrganisationIdentifier,
    Party,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
    Place,
    PlaceIdentifier,
    PossibleMatch,
    Posting,
    ReviewStatus,
    Source,
)

Participation = Event.participants.through
# The records each list shows, as its sources are cited for them (as_of, according_to).
CITED = {
    "persons": Person,
    "postings": Posting,
    "parties": Party,
    "organisations": Organisation,
    "places": Place,
    "elections": Election,
    "constituencies": Constituency,
    "contests": Contest,
    "events": Event,
    "candidacies": Candidacy,
    "claim-links": ClaimLink,
    "disputes": ClaimLink,
}


# The lists that take ``identifier``: the identifiers' model, their foreign key, and
# a well-formed identifier for when the corpus has none of that kind.
IDENTIFIED = {
    "persons": (PersonIdentifier, "person", "wikidata:Q1"),
    "parties": (OrganisationIdentifier, "organisation", "wikidata:Q1"),
    "organisations": (OrganisationIdentifier, "organisation", "wikidata:Q1"),
    "places": (PlaceIdentifier, "place", "iso-3166-2:IN-XX"),
    "constituencies": (ConstituencyIdentifier, "constituency", "eci-ac:2008:XX:1"),
}


def middle(queryset):
    """The row in the middle of ``queryset`` (by its order), or None."""
    count = queryset.count()
    return queryset[count // 2] if count else None


def most_common(model, field: str, exclude=()):
    """The commonest value of ``field`` among ``model``'s rows (a model or a queryset), or None."""
    rows = model.objects.all() if isinstance(model, type) else model
    row = rows.exclude(**{f"{field}__in": exclude}).values(field).annotate(n=Count("pk")).order_by("-n", field).first()
    return row[field] if row else None


class Picks:
    @cached_property
    def person(self) -> Person | None:
        candidacy = middle(Candidacy.objects.filter(contest__isnull=False).order_by("pk"))
        return candidacy.person if candidacy else middle(Person.objects.order_by("pk"))

    @cached_property
    def posting(self) -> Posting | None:
        return Posting.objects.filter(person=self.person).order_by("pk").first() or middle(
            Posting.objects.order_by("pk")
        )

    @cached_property
    def dated_posting(self) -> Posting | None:
        dated = Posting.objects.filter(start_latest__isnull=False, end_earliest__isnull=False).exclude(rank="")
        return middle(dated.order_by("pk"))

    @cached_property
    def day(self):
        return self.dated_posting.start_latest if self.dated_posting else None

    @cached_property
    def role_word(self) -> str | None:
        return max(self.dated_posting.role.split(), key=len).lower() if self.dated_posting else None

    @cached_property
    def police(self) -> Organisation | None:
        roots = Organisation.objects.filter(parent__isnull=True).exclude(kind="party")
        return roots.annotate(units=Count("children")).order_by("-units", "pk").first()

    @cached_property
    def state(self) -> Place | None:
        return Place.objects.annotate(inside=Count("children")).order_by("-inside", "pk").first()

    @cached_property
    def district(self) -> Place | None:
        return middle(Place.objects.filter(parent=self.state).order_by("pk")) if self.state else None

    @cached_property
    def party(self) -> Party | None:
        return Party.objects.annotate(stood=Count("candidacies")).order_by("-stood", "pk").first()

    @cached_property
    def election(self) -> Election | None:
        with_both = Election.objects.filter(contests__isnull=False, results__isnull=False).distinct()
        return with_both.order_by("-pk").first() or Election.objects.order_by("-pk").first()

    @cached_property
    def contest(self) -> Contest | None:
        return middle(Contest.objects.filter(election=self.election).order_by("pk"))

    @cached_property
    def constituency(self) -> Constituency | None:
        return self.contest.constituency if self.contest else middle(Constituency.objects.order_by("pk"))

    @cached_property
    def reservation(self) -> str | None:
        return most_common(Constituency, "reservation", exclude=[""])

    @cached_property
    def margin(self) -> int | None:
        won = Candidacy.objects.filter(won=True, margin__isnull=False, contest__election=self.election)
        row = middle(won.order_by("margin", "pk"))
        return row.margin if row else None

    @cached_property
    def alias(self) -> PersonAlias | None:
        variants = PersonAlias.objects.filter(kind="spelling_variant").order_by("pk")
        count = variants.count()
        return variants[count // 3] if count else None

    @cached_property
    def source(self) -> Source | None:
        return middle(Source.objects.filter(published_on__isnull=False).order_by("pk").defer("text"))

    @cached_property
    def most_cited_source(self) -> Source | None:
        top = Citation.objects.values("source_id").annotate(n=Count("pk")).order_by("-n", "source_id").first()
        return Source.objects.defer("text").get(pk=top["source_id"]) if top else None

    @cached_property
    def dated_sources(self):
        return Source.objects.filter(published_on__isnull=False).order_by("published_on", "pk").defer("text")

    @cached_property
    def middle_day(self):
        """The middle publication day of the sources (None without a dated one)."""
        found = middle(self.dated_sources)
        return found.published_on if found else None

    def _citing(self, resource: str):
        """The dated sources cited for records of the list ``resource``."""
        content_type = ContentType.objects.get_for_model(CITED[resource])
        # A list of the cited sources, read once: as a correlated EXISTS, SQLite (without
        # ANALYZE) walked every citation of the kind again for each source (hours at 1M postings).
        cited = Citation.objects.filter(content_type_id=content_type.pk).values("source_id")
        return self.dated_sources.filter(pk__in=cited)

    def as_of(self, resource: str):
        """A day halfway through what the list's sources tell: the middle publication
        day of the sources cited for its records (else of all sources)."""
        if resource in CITED:
            found = middle(self._citing(resource))
            if found is not None:
                return found.published_on
        return self.middle_day

    def according_to(self, resource: str) -> str | None:
        """The slug of the source cited for most of the list's records (else the picked source)."""
        if resource in CITED:
            content_type = ContentType.objects.get_for_model(CITED[resource])
            top = (
                Citation.objects.filter(content_type_id=content_type.pk)
                .values("source_id")
                .annotate(n=Count("pk"))
                .order_by("-n", "source_id")
                .first()
            )
            if top is not None:
                return Source.objects.values_list("slug", flat=True).get(pk=top["source_id"])
        return self.source.slug if self.source else None

    def first_told(self, records: list) -> tuple | None:
        """(the first day all ``records`` (model, id) are known, a source cited for
        all of them or None); None when a record has no dated source."""
        days, sources = [], None
        for model, pk in records:
            content_type = ContentType.objects.get_for_model(model)
            rows = Citation.objects.filter(
                content_type_id=content_type.pk, object_id=pk, source__published_on__isnull=False
            )
            told = list(
                rows.order_by("source__published_on", "source_id").values_list("source_id", "source__published_on")
            )
            if not told:
                return None
            days.append(told[0][1])
            mine = {source_id for source_id, _ in told}
            sources = mine if sources is None else sources & mine
        source = min(sources) if sources else None
        slug = Source.objects.values_list("slug", flat=True).get(pk=source) if source is not None else None
        return max(days), slug

    def detail_knowledge(self, resource: str) -> tuple | None:
        """How the detail's record is first known: (day, source slug or None);
        None when no dated source is cited for it (an as_of detail is then a 404)."""
        if resource == "sources":
            found = self.source
            return (found.published_on, found.slug) if found and found.published_on else None
        if resource == "disputes":
            link = self.dispute
            if link is None:
                return None
            sides = [
                (t.model_class(), pk)
                for t, pk in ((link.claim_type, link.claim_id), (link.target_type, link.target_id))
            ]
            return self.first_told([(ClaimLink, link.pk), *sides])
        record = self.detail_record(resource)
        return self.first_told([(type(record), record.pk)]) if record is not None and resource in CITED else None

    @staticmethod
    def day_before(day):
        return day - timedelta(days=1)

    @cached_property
    def claim_link(self) -> ClaimLink | None:
        return middle(ClaimLink.objects.order_by("pk"))

    @cached_property
    def linked_record(self) -> str | None:
        """type:id of a claim with links (the picked link's target), else of the picked posting (none)."""
        if self.claim_link is not None:
            link = self.claim_link
            return f"{ContentType.objects.get_for_id(link.target_type_id).model}:{link.target_id}"
        return f"posting:{self.posting.pk}" if self.posting else None

    @cached_property
    def merge(self) -> PersonMerge | None:
        return PersonMerge.objects.order_by("-pk").first()

    @cached_property
    def possible_match(self) -> PossibleMatch | None:
        return middle(PossibleMatch.objects.order_by("pk"))

    @cached_property
    def match_status(self) -> str:
        """The commonest status of the possible matches (open without any)."""
        return most_common(PossibleMatch, "status") or PossibleMatch.Status.OPEN

    @cached_property
    def match_person(self) -> Person | None:
        """Whose possible matches the person filter asks for: the picked match's
        existing person (else the picked person)."""
        match = self.possible_match
        found = Person.objects.filter(pk=match.existing_id).first() if match else None
        return found or self.person

    @cached_property
    def event(self) -> Event | None:
        """An event other sources tell differently, else any."""
        event_type = ContentType.objects.get_for_model(Event)
        versions = ClaimLink.objects.filter(kind="contradicts", claim_type=event_type, target_type=event_type)
        disputed = Event.objects.filter(Q(pk__in=versions.values("claim_id")) | Q(pk__in=versions.values("target_id")))
        return middle(disputed.order_by("pk")) or middle(Event.objects.order_by("pk"))

    @cached_property
    def event_person(self) -> Person | None:
        """Whose events the events' person filter asks for: the picked event's (else the picked person)."""
        return self.event.person if self.event else self.person

    @cached_property
    def participant(self) -> Person | None:
        """The person who took part in most events (else the picked person: an empty list)."""
        pk = most_common(Participation, "person_id")
        return Person.objects.get(pk=pk) if pk is not None else self.person

    @cached_property
    def event_organisation(self) -> Organisation | None:
        """The top of the tree of the organisation most events name (its units match
        too), else the largest police force."""
        pk = most_common(Event.objects.filter(organisation__isnull=False), "organisation_id")
        if pk is None:
            return self.police
        root = Organisation.objects.get(pk=pk).path.split("/")[0]
        return Organisation.objects.filter(path=root).order_by("pk").first()

    @cached_property
    def dispute(self) -> ClaimLink | None:
        """A contradicts link, of whatever claims: a dispute."""
        return middle(ClaimLink.objects.filter(kind="contradicts").order_by("pk"))

    @cached_property
    def disputed_person(self) -> Person | None:
        """The person the picked dispute's first claim is about (else the events' person)."""
        claim = self.dispute.claim if self.dispute else None
        person = getattr(claim, "person", None) or getattr(claim, "subject", None)
        return person or self.event_person

    @cached_property
    def dispute_type(self) -> str | None:
        """The type of the picked dispute's first claim (events without one: an empty list)."""
        return self.dispute.claim_type.model if self.dispute else "event"

    @cached_property
    def candidacy(self) -> Candidacy | None:
        """The picked person's first candidacy with a contest, else any."""
        official = Candidacy.objects.filter(person=self.person, contest__isnull=False).order_by("pk").first()
        return official or middle(Candidacy.objects.order_by("pk"))

    def identifier(self, resource: str) -> str | None:
        """scheme:value of the identifier of the record the list's detail reads, else
        any of its kind; one no one has (in a scheme of the kind) without any."""
        model, owner, nobody = IDENTIFIED[resource]
        record = self.detail_record(resource)
        mine = model.objects.filter(**{owner: record}).order_by("pk").first() if record is not None else None
        found = mine or middle(model.objects.order_by("pk"))
        return f"{found.scheme}:{found.value}" if found else nobody

    def status(self, model) -> str:
        """A status other than the commonest (confirmed), where the data has one."""
        return (
            most_common(model, "status", exclude=["confirmed"]) or most_common(model, "status") or ClaimStatus.CONFIRMED
        )

    def review_status(self, model) -> str:
        return most_common(model, "review_status") or ReviewStatus.DRAFT

    def kind(self, model) -> str:
        return most_common(model, "kind") or model.Kind.values[0]

    @cached_property
    def words(self) -> dict:
        """Search texts: a person's alias, a party's and a force's first word, places' names."""
        first = lambda name: name.split()[0] if name else None  # noqa: E731
        return {
            "persons": self.alias.name if self.alias else None,
            "parties": first(self.party.name) if self.party else None,
            "organisations": first(self.police.name) if self.police else None,
            "places": self.district.name if self.district else None,
            "constituencies": self.constituency.name if self.constituency else None,
            "contests": self.constituency.name if self.constituency else None,
        }

    def detail_record(self, resource: str):
        return {
            "persons": self.person,
            "postings": self.posting,
            "parties": self.party,
            "organisations": self.police,
            "places": self.state,
            "elections": self.election,
            "constituencies": self.constituency,
            "contests": self.contest,
            "sources": self.source,
            "person-merges": self.merge,
            "possible-matches": self.possible_match,
            "events": self.event,
            "candidacies": self.candidacy,
            "disputes": self.dispute,
            "claim-links": self.claim_link,
        }.get(resource)

    def detail_key(self, resource: str) -> str | None:
        """The id or slug of the record a detail (and its history) reads."""
        record = self.detail_record(resource)
        if record is None:
            return None
        return getattr(record, "slug", None) or str(record.pk)
