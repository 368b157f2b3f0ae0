"""Candidacies: a person standing in an election, as a source claims it
(announced, expected, speculated...) or as official results give it (with a contest)."""

from __future__ import annotations

from records.api.claim_parts import Review
from records.api.filtering import (
    KeysetOrderingFilter,
    RecordsFilterSet,
    StrictBooleanFilter,
    disputed_filter,
    review_status_filter,
)
from records.api.filtersets.relations import (
    election_filters,
    party_filters,
    person_filters,
    place_filters,
    status_filter,
)
from records.api.readspec import Ref, Spec, Timestamp
from records.api.refs import PERSON_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.resources.persons import CANDIDACY_IN_PERSON
from records.models import Candidacy

CANDIDACY_RECORD = Spec(
    Candidacy,
    "CandidacyRecord",
    [
        CANDIDACY_IN_PERSON.parts[0],
        Ref("person", PERSON_REF),
        *CANDIDACY_IN_PERSON.parts[1:],
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A person standing in an election: a claim of a source, or an official result when it has a contest.",
    read_only=True,
)


class CandidacyFilterSet(RecordsFilterSet):
    person_id, person = person_filters()
    election_id, election = election_filters()
    party_id, party = party_filters()
    place_id, place = place_filters()
    status = status_filter()
    official = StrictBooleanFilter(
        field_name="contest",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only official results (with a contest); false: only what sources claim.",
    )
    won = StrictBooleanFilter(help_text="Whether the contest was won (official results only).")
    disputed = disputed_filter()
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={"election_id": "election", "votes": "votes", "updated_at": "updated", "id": "id"},
        default="id",
        help_text="Sort order; prefix with - for descending. Default: id. election: by election id; "
        "votes: claims without votes last in both directions.",
    )

    class Meta:
        model = Candidacy
        fields = []


@documented("candidacy", "candidacies", " with its election, party, place, contest and citations")
class CandidacyViewSet(RecordViewSet):
    queryset = Candidacy.objects.all()
    list_spec = CANDIDACY_RECORD
    filterset_class = CandidacyFilterSet
    # Eight to-one joins, every filter a condition on the page's own rows or an
    # id list: PostgreSQL planned them in 40 ms, in 2.5 ms as written (records/api/resources/base.py).
    page_joins_as_written = True
