"""One filterset per list endpoint. Relation filters come in pairs: ``x_id``
(a number) and ``x`` (a human key); both reject unknown records with a 400."""

from __future__ import annotations

from datetime import date

import django_filters as filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from records.api.filtering import (
    DateMatchFilterSet,
    IntegerFilter,
    KeysetOrderingFilter,
    RecordIdFilter,
    RecordKeyFilter,
    StrictBooleanFilter,
    StrictDateFilter,
    fuzzy_active_on,
    fuzzy_on_or_after,
    fuzzy_on_or_before,
    name_search,
    text_filter,
)
from records.models import (
    Candidacy,
    Citation,
    ClaimStatus,
    Constituency,
    Contest,
    Election,
    Event,
    Organisation,
    OrganisationAlias,
    Party,
    PartyResult,
    Person,
    PersonAlias,
    PersonRelation,
    Place,
    Posting,
    Source,
)

MAX_VOTES = 2**31 - 1  # the largest vote count or margin a column holds
STATUS_HELP = "Claim status; repeat the parameter for several (status=confirmed&status=expected)."


def organisation_filters(field: str = "organisation"):
    return (
        RecordIdFilter(
            field_name=field,
            queryset=Organisation.objects.all(),
            noun="organisation",
            subtree=True,
            help_text="Organisation id; its units match too.",
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Organisation.objects.all(),
            noun="organisation",
            subtree=True,
            lookups=("slug", "abbreviation__iexact"),
            help_text="Organisation slug or abbreviation; its units match too (up-police includes up-ats).",
        ),
    )


def place_filters(field: str = "place"):
    return (
        RecordIdFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            help_text="Place id; places within it match too.",
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            help_text="Place slug; places within it match too (uttar-pradesh includes kanpur).",
        ),
    )


def party_filters(field: str = "party", help_text: str = "", **kwargs):
    return (
        RecordIdFilter(
            field_name=field, queryset=Party.objects.all(), noun="party", help_text=f"Party id.{help_text}", **kwargs
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Party.objects.all(),
            noun="party",
            lookups=("slug", "abbreviation__iexact"),
            help_text=f"Party slug or abbreviation (bjp, BJP).{help_text}",
            **kwargs,
        ),
    )


def person_filters(field: str = "person"):
    return (
        RecordIdFilter(field_name=field, queryset=Person.objects.all(), noun="person", help_text="Person id."),
        RecordKeyFilter(field_name=field, queryset=Person.objects.all(), noun="person", help_text="Person slug."),
    )


class PostingFilterSet(DateMatchFilterSet):
    person_id, person = person_filters()
    role = text_filter("Role contains this text (case-insensitive).", lookup_expr="icontains")
    rank = text_filter("Rank, exactly (case-insensitive), e.g. ADG.", lookup_expr="iexact")
    organisation_id, organisation = organisation_filters()
    place_id, place = place_filters()
    status = filters.MultipleChoiceFilter(choices=ClaimStatus.choices, help_text=STATUS_HELP)
    active_on = StrictDateFilter(method="filter_active_on", help_text="Held on this date (see date_match).")
    started_before = StrictDateFilter(method="filter_dates", help_text="Started on or before this date.")
    started_after = StrictDateFilter(method="filter_dates", help_text="Started on or after this date.")
    ended_before = StrictDateFilter(method="filter_dates", help_text="Ended on or before this date.")
    ended_after = StrictDateFilter(method="filter_dates", help_text="Ended on or after this date.")
    ordering = KeysetOrderingFilter(
        fields={"start_earliest": "start", "end_latest": "end", "role": "role", "updated_at": "updated", "id": "id"},
        default="start",
    )

    class Meta:
        model = Posting
        fields = []

    def filter_active_on(self, queryset, name, day):
        return queryset.filter(fuzzy_active_on(day, self.date_mode))

    def filter_dates(self, queryset, name, day):
        field = "start" if name.startswith("started") else "end"
        compare = fuzzy_on_or_before if name.endswith("before") else fuzzy_on_or_after
        return queryset.filter(compare(field, day, self.date_mode))


class PersonFilterSet(DateMatchFilterSet):
    """Posting filters (party, organisation, place, role, active_on, status)
    describe one and the same posting of the person."""

    q = text_filter("Name or any alias contains this (case-, accent- and punctuation-insensitive).", method="filter_q")
    party_id, party = party_filters(field="organisation")
    organisation_id, organisation = organisation_filters()
    place_id, place = place_filters()
    role = text_filter("Held a role containing this text.", lookup_expr="icontains")
    active_on = StrictDateFilter(method="filter_active_on", help_text="Held some posting on this date.")
    status = filters.MultipleChoiceFilter(
        choices=ClaimStatus.choices, help_text="Status of the matching posting. " + STATUS_HELP
    )
    ordering = KeysetOrderingFilter(
        fields={"name": "name", "birth_date_earliest": "birth_date", "updated_at": "updated", "id": "id"},
        default="name",
    )
    posting_params = (
        "party_id",
        "party",
        "organisation_id",
        "organisation",
        "place_id",
        "place",
        "role",
        "active_on",
        "status",
    )

    class Meta:
        model = Person
        fields = []

    def filter_queryset(self, queryset):
        self.date_mode = self.form.cleaned_data.get("date_match") or "certainly"
        postings = Posting.objects.all()
        used = False
        for name in self.posting_params:
            value = self.form.cleaned_data.get(name)
            if value not in (None, "", []):
                postings = self.filters[name].filter(postings, value)
                used = True
        if used:
            queryset = queryset.filter(id__in=postings.values("person_id"))
        for name, value in self.form.cleaned_data.items():
            if name not in self.posting_params:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        aliases = PersonAlias.objects.filter(name_search(value, "search_name")).values("person_id")
        return queryset.filter(name_search(value, "search_name") | Q(id__in=aliases))

    def filter_active_on(self, postings, name, day):
        return postings.filter(fuzzy_active_on(day, self.date_mode))


class PartyFilterSet(filters.FilterSet):
    q = text_filter("Name, abbreviation or any alias contains this (case- and accent-insensitive).", method="filter_q")
    ordering = KeysetOrderingFilter(fields={"name": "name", "abbreviation": "abbreviation", "id": "id"}, default="name")

    class Meta:
        model = Party
        fields = []

    def filter_q(self, queryset, name, value):
        by_alias = OrganisationAlias.objects.filter(name_search(value, "search_name")).values("organisation_id")
        return queryset.filter(name_search(value, "search_name") | Q(abbreviation__iexact=value) | Q(id__in=by_alias))


class OrganisationFilterSet(PartyFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices, help_text="Kind of organisation.")
    within_id, within = organisation_filters(field="id")

    class Meta:
        model = Organisation
        fields = []


class PlaceFilterSet(filters.FilterSet):
    q = text_filter("Name contains this (case-, accent- and punctuation-insensitive).", method="filter_q")
    kind = filters.ChoiceFilter(choices=Place.Kind.choices, help_text="Kind of place.")
    within_id, within = place_filters(field="id")
    ordering = KeysetOrderingFilter(fields={"name": "name", "path": "path", "id": "id"}, default="path")

    class Meta:
        model = Place
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(name_search(value, "search_name"))


class ElectionFilterSet(DateMatchFilterSet):
    jurisdiction_id, jurisdiction = place_filters(field="jurisdiction")
    body_id, body = organisation_filters(field="body")
    year = IntegerFilter(
        method="filter_year", min_value=1, max_value=9999, help_text="Polling started in this year (see date_match)."
    )
    start_after = StrictDateFilter(method="filter_start", help_text="Polling started on or after this date.")
    start_before = StrictDateFilter(method="filter_start", help_text="Polling started on or before this date.")
    has_results = StrictBooleanFilter(method="filter_has_results", help_text="Has (or has no) party results.")
    status = filters.MultipleChoiceFilter(choices=ClaimStatus.choices, help_text=STATUS_HELP)
    ordering = KeysetOrderingFilter(
        fields={"start_earliest": "start", "name": "name", "seats": "seats", "id": "id"}, default="start"
    )

    class Meta:
        model = Election
        fields = []

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            fuzzy_on_or_after("start", date(year, 1, 1), self.date_mode)
            & fuzzy_on_or_before("start", date(year, 12, 31), self.date_mode)
        )

    def filter_start(self, queryset, name, day):
        compare = fuzzy_on_or_after if name.endswith("after") else fuzzy_on_or_before
        return queryset.filter(compare("start", day, self.date_mode))

    def filter_has_results(self, queryset, name, value):
        if value is None:
            return queryset
        has = Exists(PartyResult.objects.filter(election=OuterRef("pk")))
        return queryset.filter(has if value else ~has)


# Records whose citations mention a person: the person and their claims.
PERSON_CLAIMS = {
    PersonAlias: "person",
    PersonRelation: "subject",
    Posting: "person",
    Event: "person",
    Candidacy: "person",
}


class SourceFilterSet(filters.FilterSet):
    published_after = StrictDateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after this date."
    )
    published_before = StrictDateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before this date."
    )
    kind = filters.ChoiceFilter(choices=Source.Kind.choices, help_text="Kind of source.")
    mentions_id, mentions = person_filters(field="mentions")
    ordering = KeysetOrderingFilter(
        fields={"published_on": "published", "slug": "slug", "id": "id"}, default="published"
    )

    class Meta:
        model = Source
        fields = []

    def filter_queryset(self, queryset):
        for name in ("mentions_id", "mentions"):
            person = self.form.cleaned_data.pop(name, None)
            if person is not None:
                queryset = queryset.filter(id__in=self.citing(person).values("source_id"))
        return super().filter_queryset(queryset)

    @staticmethod
    def citing(person: Person):
        types = ContentType.objects.get_for_models(Person, *PERSON_CLAIMS)
        condition = Q(content_type=types[Person], object_id=person.pk)
        for model, field in PERSON_CLAIMS.items():
            ids = model.objects.filter(**{field: person}).values("id")
            condition |= Q(content_type=types[model], object_id__in=ids)
        relations_as_object = PersonRelation.objects.filter(object=person).values("id")
        condition |= Q(content_type=types[PersonRelation], object_id__in=relations_as_object)
        return Citation.objects.filter(condition)


# -- official results -----------------------------------------------------------


def election_filters(field: str = "election", help_text: str = "", **kwargs):
    return (
        RecordIdFilter(
            field_name=field,
            queryset=Election.objects.all(),
            noun="election",
            help_text=f"Election id.{help_text}",
            **kwargs,
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Election.objects.all(),
            noun="election",
            help_text=f"Election slug (up-2017).{help_text}",
            **kwargs,
        ),
    )


def district_filters(field: str):
    return (
        RecordIdFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            help_text="District (place) id; places within it match too.",
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            help_text="District (place) slug; places within it match too.",
        ),
    )


RESERVATION_HELP = "Reserved for: GEN (general), SC (Scheduled Castes) or ST (Scheduled Tribes)."


class ConstituencyFilterSet(filters.FilterSet):
    q = text_filter("Name contains this (case-, accent- and punctuation-insensitive).", method="filter_q")
    jurisdiction_id, jurisdiction = place_filters(field="jurisdiction")
    district_id, district = district_filters("district")
    reservation = filters.ChoiceFilter(choices=Constituency.Reservation.choices, help_text=RESERVATION_HELP)
    election_id, election = election_filters(
        help_text=" Constituencies with a contest in it.", method="filter_election"
    )
    ordering = KeysetOrderingFilter(fields={"number": "number", "name": "name", "id": "id"}, default="number")

    class Meta:
        model = Constituency
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(name_search(value, "search_name"))

    def filter_election(self, queryset, name, election):
        return queryset.filter(id__in=Contest.objects.filter(election=election).values("constituency_id"))


class ContestFilterSet(filters.FilterSet):
    """The winner's margin and the constituency's number are annotations of the
    contests list (``winner_margin``, ``constituency_number``, see ContestViewSet):
    the margin filters and the ordering use them, and the keyset paginator resumes
    on them."""

    election_id, election = election_filters()
    constituency_id = RecordIdFilter(
        field_name="constituency",
        queryset=Constituency.objects.all(),
        noun="constituency",
        help_text="Constituency id.",
    )
    constituency = RecordKeyFilter(
        field_name="constituency",
        queryset=Constituency.objects.all(),
        noun="constituency",
        help_text="Constituency slug (uttar-pradesh-002-nakur).",
    )
    jurisdiction_id, jurisdiction = place_filters(field="constituency__jurisdiction")
    district_id, district = district_filters("constituency__district")
    reservation = filters.ChoiceFilter(
        field_name="constituency__reservation",
        choices=Constituency.Reservation.choices,
        help_text="The constituency is reserved for: GEN (general), SC (Scheduled Castes) or ST (Scheduled Tribes).",
    )
    winner_party_id, winner_party = party_filters(
        help_text=" Contests won by its candidate.", method="filter_winner_party"
    )
    margin_min = IntegerFilter(
        field_name="winner_margin",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_VOTES,
        help_text="The winner's margin (votes ahead of the runner-up) is at least this many votes. "
        "Contests without a known margin are left out.",
    )
    margin_max = IntegerFilter(
        field_name="winner_margin",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_VOTES,
        help_text="The winner's margin (votes ahead of the runner-up) is at most this many votes. "
        "Contests without a known margin are left out.",
    )
    ordering = KeysetOrderingFilter(
        fields={
            "constituency_number": "number",
            "winner_margin": "margin",
            "total_votes": "total_votes",
            "id": "id",
        },
        default="number",
        help_text="Sort order; prefix with - for descending: number (the constituency's), margin (the winner's), "
        "total_votes. NULLs last. Default: number.",
    )

    class Meta:
        model = Contest
        fields = []

    def filter_winner_party(self, queryset, name, party):
        won = Candidacy.objects.filter(contest=OuterRef("pk"), won=True, party=party)
        return queryset.filter(Exists(won))
