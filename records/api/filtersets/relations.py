"""Relation filters in pairs: ``x_id`` (a number) and ``x`` (a human key); both
reject unknown records with a 400."""

from __future__ import annotations

import django_filters as filters
from django.db.models import F, Value
from django.db.models.functions import Concat

from records.api.filtering import (
    RecordIdFilter,
    RecordKeyFilter,
)
from records.models import (
    ClaimStatus,
    Election,
    Organisation,
    Party,
    Person,
    Place,
)

MAX_VOTES = 2**31 - 1  # the largest vote count or margin a column holds
STATUS_HELP = "Claim status; repeat the parameter for several (status=confirmed&status=expected)."


class StatusFilter(filters.MultipleChoiceFilter):
    """The list's own claim status, one or several. Not DISTINCT (django-filter's
    default): the column is the row's own, so no row can match twice, and
    DISTINCT over a page's joins turned a 20 ms query into 0.7 s. Several
    statuses are compared through an expression, which no index serves: the
    page then comes from the order's index (a status index would fetch every
    posting of those statuses and sort them: 1.5 s at 1M postings)."""

    def filter(self, qs, value):
        if not value or len(value) == len(self.field.choices):
            return qs
        if len(value) == 1:
            return qs.filter(**{self.field_name: value[0]})
        return qs.alias(status_compared=Concat(F(self.field_name), Value(""))).filter(status_compared__in=value)


def status_filter(**kwargs) -> StatusFilter:
    return StatusFilter(choices=ClaimStatus.choices, help_text=STATUS_HELP, **kwargs)


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


def place_filters(field: str = "place", joined: bool = False):
    """``joined``: see _RelatedRecordFilter.descendants."""
    return (
        RecordIdFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            joined=joined,
            help_text="Place id; places within it match too.",
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Place.objects.all(),
            noun="place",
            subtree=True,
            joined=joined,
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


def person_filters(field: str = "person", help_text: str = "", **kwargs):
    return (
        RecordIdFilter(
            field_name=field, queryset=Person.objects.all(), noun="person", help_text=f"Person id.{help_text}", **kwargs
        ),
        RecordKeyFilter(
            field_name=field,
            queryset=Person.objects.all(),
            noun="person",
            help_text=f"Person slug.{help_text}",
            **kwargs,
        ),
    )


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
