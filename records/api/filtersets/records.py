"""Filtersets of the records lists: people, postings, parties, organisations,
places, elections, sources."""

from __future__ import annotations

from datetime import date

import django_filters as filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from records.api.filtering import (
    DateMatchFilterSet,
    IntegerFilter,
    KeysetOrderingFilter,
    RecordsFilterSet,
    StrictBooleanFilter,
    StrictDateFilter,
    fuzzy_active_on,
    fuzzy_on_or_after,
    fuzzy_on_or_before,
    review_status_filter,
    text_filter,
)
from records.api.filtersets.relations import (
    STATUS_HELP,
    organisation_filters,
    party_filters,
    person_filters,
    place_filters,
)
from records.models import (
    Candidacy,
    Citation,
    ClaimStatus,
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
from records.search import SPELLING_HELP, indexed_name_search, spelling_match


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
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={
            "start_sort": "start",
            "end_sort": "end",
            "career_position": "career",
            "role": "role",
            "updated_at": "updated",
            "id": "id",
        },
        default="start",
        compound={"career_position": ("person_id", "career_position")},
        help_text="Sort order; prefix with - for descending. Default: start. "
        "start and end sort by the earliest day a posting can have started and the latest day it can have "
        "ended; an open side (../2021, 2022-01/..) sorts at its known bound, and postings with no date on "
        "that side come last in both directions. career: person by person (by id), each person's career in "
        "order: a posting comes after its `previous`, then by the earliest day it can have started (or ended, "
        "or the date of a posting it precedes); postings nothing places come last, in the order recorded.",
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

    q = text_filter(
        "Name or any alias contains this (case-, accent- and punctuation-insensitive), or has each of its words "
        f"in any order. {SPELLING_HELP} Aseem Arun, Arun Asim and Shri Asim K. Arun find Asim Arun.",
        method="filter_q",
    )
    party_id, party = party_filters(
        field="organisation",
        help_text=" A member of it, or holding one of its offices: a posting in the party (claimed by a source). "
        "People known only as its candidates (e.g. from official results) are found with candidate_party.",
    )
    candidate_party_id, candidate_party = party_filters(
        help_text=" People who stood for it in an election: a candidacy, official or claimed.",
        method="filter_candidate_party",
    )
    organisation_id, organisation = organisation_filters()
    place_id, place = place_filters()
    role = text_filter("Held a role containing this text.", lookup_expr="icontains")
    active_on = StrictDateFilter(method="filter_active_on", help_text="Held some posting on this date.")
    status = filters.MultipleChoiceFilter(
        choices=ClaimStatus.choices, help_text="Status of the matching posting. " + STATUS_HELP
    )
    review_status = review_status_filter()
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
            # EXISTS, probed person by person in list order through the index on
            # (person, bounds), stops after a page of matches; "id IN" the
            # postings' people first collects every match (73,000 people held a
            # post on 2015-01-01 in a 100k corpus: 890 ms).
            queryset = queryset.filter(Exists(postings.filter(person_id=OuterRef("pk"))))
        for name, value in self.form.cleaned_data.items():
            if name not in self.posting_params:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        # One id set from two searches (a UNION, not an OR): each a trigram
        # index scan (records/search.py), instead of testing every person in list order.
        by_name = Person.objects.filter(indexed_name_search(Person, value)).order_by().values("id")
        by_alias = PersonAlias.objects.filter(indexed_name_search(PersonAlias, value)).order_by().values("person_id")
        return queryset.filter(id__in=by_name.union(by_alias))

    def filter_candidate_party(self, queryset, name, party):
        return queryset.filter(id__in=Candidacy.objects.filter(party=party).values("person_id"))

    def filter_active_on(self, postings, name, day):
        # The plain comparisons: with the span test's lower estimate PostgreSQL
        # plans this semi-join worse (it scans every posting held on the day,
        # about 0.2 s at 1M postings, instead of walking the name order, 0.05 s).
        return postings.filter(fuzzy_active_on(day, self.date_mode, span=False))


class PartyFilterSet(RecordsFilterSet):
    q = text_filter(
        "Name, abbreviation or any alias contains this (case- and accent-insensitive), or has each of its words "
        f"in any order. {SPELLING_HELP}",
        method="filter_q",
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"name": "name", "abbreviation": "abbreviation", "id": "id"}, default="name")

    class Meta:
        model = Party
        fields = []

    def filter_q(self, queryset, name, value):
        by_alias = OrganisationAlias.objects.filter(spelling_match(value)).values("organisation_id")
        return queryset.filter(spelling_match(value) | Q(abbreviation__iexact=value) | Q(id__in=by_alias))


class OrganisationFilterSet(PartyFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices, help_text="Kind of organisation.")
    within_id, within = organisation_filters(field="id")

    class Meta:
        model = Organisation
        fields = []


class PlaceFilterSet(RecordsFilterSet):
    q = text_filter(
        f"Name contains this (case-, accent- and punctuation-insensitive), or has each of its words in any order. "
        f"{SPELLING_HELP}",
        method="filter_q",
    )
    kind = filters.ChoiceFilter(choices=Place.Kind.choices, help_text="Kind of place.")
    within_id, within = place_filters(field="id")
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"name": "name", "path": "path", "id": "id"}, default="path")

    class Meta:
        model = Place
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(spelling_match(value))


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
    review_status = review_status_filter()
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


class SourceFilterSet(RecordsFilterSet):
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
