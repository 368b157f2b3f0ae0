"""Postings: a person in a role for a period, and the events of a career."""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from rest_framework import serializers

from records.api import writes
from records.api.claim_parts import Citations, Links, Review, claim_key
from records.api.contradictions import contradicting_events
from records.api.filtering import (
    DateMatch,
    DateMatchFilterSet,
    KeysetOrderingFilter,
    StrictDateFilter,
    disputed_filter,
    fuzzy_active_on,
    fuzzy_on_or_after,
    fuzzy_on_or_before,
    review_status_filter,
    text_filter,
)
from records.api.filtersets.relations import (
    organisation_filters,
    person_filters,
    place_filters,
    status_filter,
)
from records.api.readspec import Field, Fuzzy, Loaded, Many, Ref, Spec, Timestamp, fields
from records.api.refs import ORGANISATION_REF, PARTY_REF, PERSON_REF, PLACE_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW, RecordWriteSerializer
from records.models import (
    Event,
    Posting,
)

POSTING = Spec(
    Posting,
    "Posting",
    [
        Field("id"),
        claim_key(),
        Ref("person", PERSON_REF),
        *fields("role rank"),
        Ref("organisation", ORGANISATION_REF, allow_null=True),
        Ref("place", PLACE_REF, allow_null=True),
        Ref("serves", PERSON_REF, allow_null=True, help_text="The person the post serves, where a source names one."),
        Fuzzy("start"),
        Fuzzy("end"),
        Field("previous", "previous_id", help_text="Id of the posting held just before, where a source says."),
        *fields("note status"),
        Citations(),
        Links(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A posting as listed: who, what, where, when, how certain, and why we know.",
)
PERSON_POSTING = POSTING.only(
    "PersonPosting",
    [
        *("id", "key", "role", "rank", "organisation", "place", "serves", "start", "end", "previous", "note"),
        "status",
        *("citations", "links"),
    ],
    doc="A posting inside its person's record (the person is the parent).",
)
MEMBERSHIP = POSTING.only(
    "Membership",
    ["id", "key", "party", "role", "start", "end", "status", "citations", "links"],
    {"party": Ref("party", PARTY_REF, source="organisation")},
    doc="A posting in a party: membership or party office.",
)
PARTY_OFFICE = POSTING.only(
    "PartyOffice", ["id", "person", "role", "start", "end", "status", "citations"], doc=POSTING.doc
)

EVENT = Spec(
    Event,
    "Event",
    [
        Field("id"),
        claim_key(),
        *fields("kind title"),
        Ref("organisation", ORGANISATION_REF, allow_null=True),
        Fuzzy("date"),
        Many(
            "participants",
            PERSON_REF,
            model=Event.participants.through,
            fk="event_id",
            prefix="person__",
            order_by=("person__name", "person__id"),
        ),
        Loaded(
            "contradicts",
            serializers.ListField(
                child=serializers.IntegerField(),
                read_only=True,
                help_text="Ids of events another source tells differently: those a `contradicts` claim link joins "
                "this one to, either side (/disputes/), in the events' order (undated last).",
            ),
            lambda ids, page: contradicting_events(ids, page.knowledge),
            default=[],
        ),
        Field("status"),
        Citations(),
        Links(),
    ],
)


class PostingFilterSet(DateMatchFilterSet):
    person_id, person = person_filters()
    role = text_filter("Role contains this text (case-insensitive).", lookup_expr="icontains")
    rank = text_filter("Rank, exactly (case-insensitive), e.g. ADG.", method="filter_rank")
    organisation_id, organisation = organisation_filters()
    place_id, place = place_filters()
    status = status_filter()
    disputed = disputed_filter()
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

    def filter_rank(self, queryset, name, value):
        # iexact, written as UPPER() = UPPER() on both databases so that posting_rank_start_idx serves it.
        return queryset.filter(Exact(Upper("rank"), Upper(Value(value))))

    def filter_active_on(self, queryset, name, day):
        # Walking down the start or end days, the rows read first started after the day.
        order = (self.form.cleaned_data.get("ordering") or ["start"])[0]
        end_first = order not in ("-start", "-end")
        return queryset.filter(fuzzy_active_on(day, self.date_mode, end_first=end_first))

    def filter_dates(self, queryset, name, day):
        field = "start" if name.startswith("started") else "end"
        before = name.endswith("before")
        compare = fuzzy_on_or_before if before else fuzzy_on_or_after
        queryset = queryset.filter(compare(field, day, self.date_mode))
        if self.date_mode == DateMatch.CERTAINLY:
            # Implied by the condition (a sort day lies within its date's bounds), and it lets
            # the (sort day, id) index serve the range: a page without scanning up to it.
            queryset = queryset.filter(**{f"{field}_sort__{'lte' if before else 'gte'}": day})
        return queryset


class PostingWriteSerializer(RecordWriteSerializer):
    """A person in a role for a period; dates are fuzzy, the previous posting the same person's."""

    class Meta:
        model = Posting
        fields = [
            "person",
            "role",
            "rank",
            "organisation",
            "place",
            "serves",
            "start",
            "end",
            "previous",
            "note",
            "status",
            REVIEW,
            CITATIONS,
        ]


@documented("posting", "postings")
@writes.documented_writes("posting", "postings")
class PostingViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Posting.objects.all()
    list_spec = POSTING
    write_serializer_class = PostingWriteSerializer
    filterset_class = PostingFilterSet
