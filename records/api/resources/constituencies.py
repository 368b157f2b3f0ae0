"""Constituencies of elected bodies, numbered within their jurisdiction."""

from __future__ import annotations

import django_filters as filters

from records.api import writes
from records.api.claim_parts import Citations, Review
from records.api.filtering import (
    IdentifierFilter,
    KeysetOrderingFilter,
    RecordsFilterSet,
    review_status_filter,
    text_filter,
)
from records.api.filtersets.relations import (
    RESERVATION_HELP,
    district_filters,
    election_filters,
    place_filters,
)
from records.api.identifiers import after, identifier_spec, identifiers_part
from records.api.readspec import Field, Many, Ref, Spec, Timestamp, fields
from records.api.refs import PLACE_REF, reservation
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW
from records.api.writes.identifiers import IdentifiedRecordWriteSerializer
from records.models import (
    Constituency,
    ConstituencyAlias,
    ConstituencyIdentifier,
    Contest,
)
from records.search import SPELLING_HELP, indexed_name_search
from records.search_rank import RANK_HELP, ranked

CONSTITUENCY_ALIAS = Spec(
    ConstituencyAlias,
    "ConstituencyAlias",
    [*fields("id name kind status"), Citations()],
    doc="Another name a source gives the constituency; its citations say which sources use it.",
)

CONSTITUENCY = Spec(
    Constituency,
    "Constituency",
    [
        *fields("id slug"),
        Field("number", help_text="Number within its jurisdiction."),
        Field("name"),
        Ref("jurisdiction", PLACE_REF),
        reservation(),
        Ref("district", PLACE_REF, allow_null=True, help_text="The district it lies in, where known."),
        Many("aliases", CONSTITUENCY_ALIAS, fk="constituency"),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A constituency of an elected body, numbered within its jurisdiction.",
    read_only=True,
)
CONSTITUENCY_IDENTIFIER = identifier_spec(ConstituencyIdentifier, "ConstituencyIdentifier")
CONSTITUENCY_DETAIL = Spec(
    Constituency,
    "ConstituencyDetail",
    after(CONSTITUENCY.parts, "aliases", identifiers_part(CONSTITUENCY_IDENTIFIER, "constituency")),
    doc=CONSTITUENCY.doc + " Its `identifiers` include its number in each delimitation (eci-ac:2008:UP:14).",
    read_only=True,
)


class ConstituencyFilterSet(RecordsFilterSet):
    reads = (Contest, ConstituencyAlias)  # election (through its contests), q
    q = text_filter(
        f"Name or any alias contains this (case-, accent- and punctuation-insensitive), or has each of its words "
        f"in any order. {SPELLING_HELP} {RANK_HELP} Example: Kanauj finds Kannauj, Urban Gorakhpur finds "
        "Gorakhpur Urban.",
        example="Kanauj",
        method="filter_q",
    )
    jurisdiction_id, jurisdiction = place_filters(field="jurisdiction", joined=True)
    district_id, district = district_filters("district")
    reservation = filters.ChoiceFilter(choices=Constituency.Reservation.choices, help_text=RESERVATION_HELP)
    identifier = IdentifierFilter(
        kind="constituency",
        help_text="The constituency with this identifier in another database, as scheme:value: eci-ac:2008:UP:14 is "
        "assembly constituency 14 of Uttar Pradesh as the 2008 delimitation numbers it.",
    )
    election_id, election = election_filters(
        help_text=" Constituencies with a contest in it.", method="filter_election"
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"number": "number", "name": "name", "id": "id"}, default="number")

    class Meta:
        model = Constituency
        fields = []

    def filter_q(self, queryset, name, value):
        # One id set from two searches (a UNION), each served by an index (records/search.py).
        by_name = Constituency.objects.filter(indexed_name_search(Constituency, value)).order_by().values("id")
        by_alias = ConstituencyAlias.objects.filter(indexed_name_search(ConstituencyAlias, value))
        found = by_name.union(by_alias.order_by().values("constituency_id"))
        return ranked(queryset.filter(id__in=found), value, aliases=(ConstituencyAlias, "constituency"))

    def filter_election(self, queryset, name, election):
        return queryset.filter(id__in=Contest.objects.filter(election=election).values("constituency_id"))


class ConstituencyWriteSerializer(IdentifiedRecordWriteSerializer):
    """A constituency, numbered from 1 within its jurisdiction."""

    identifier_model = ConstituencyIdentifier

    class Meta:
        model = Constituency
        fields = ["slug", "jurisdiction", "number", "name", "reservation", "district", "identifiers", REVIEW, CITATIONS]


@documented("constituency", "constituencies")
@writes.documented_writes("constituency", "constituencies")
class ConstituencyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Constituency.objects.all()
    list_spec = CONSTITUENCY
    detail_spec = CONSTITUENCY_DETAIL
    write_serializer_class = ConstituencyWriteSerializer
    filterset_class = ConstituencyFilterSet
