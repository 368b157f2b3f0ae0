"""Places: the tree of countries, states, districts and cities."""

from __future__ import annotations

import django_filters as filters
from rest_framework import serializers

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
    place_filters,
)
from records.api.identifiers import identifier_spec, identifiers_part
from records.api.readspec import Field, Many, Spec, Timestamp, fields
from records.api.resources.base import RecordViewSet, documented
from records.api.resources.governments import GOVERNED_BY
from records.api.writes.base import CITATIONS, REVIEW
from records.api.writes.identifiers import IdentifiedRecordWriteSerializer
from records.models import (
    Place,
    PlaceIdentifier,
)
from records.search import SPELLING_HELP, indexed_name_search
from records.search_rank import RANK_HELP, ranked

PLACE = Spec(
    Place,
    "Place",
    [
        *fields("id slug name kind"),
        Field("parent", "parent_id"),
        Field("path"),
        Field("other_names", schema=serializers.ListField(child=serializers.CharField(), read_only=True)),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A place in the tree of places: a country, state, district, city...",
)
PLACE_IDENTIFIER = identifier_spec(PlaceIdentifier, "PlaceIdentifier")
PLACE_DETAIL = Spec(
    Place,
    "PlaceDetail",
    [
        *PLACE.parts[:-3],
        identifiers_part(PLACE_IDENTIFIER, "place"),
        Many("governed_by", GOVERNED_BY, fk="place", help_text="The parties sources say governed it, and when."),
        *PLACE.parts[-3:],
    ],
    doc=PLACE.doc,
)


class PlaceFilterSet(RecordsFilterSet):
    q = text_filter(
        f"Name or any of its other names contains this (case-, accent- and punctuation-insensitive), or has each of "
        f"its words in any order. {SPELLING_HELP} {RANK_HELP} Example: kanpoor finds Kanpur, UP finds Uttar Pradesh.",
        example="kanpoor",
        method="filter_q",
    )
    kind = filters.ChoiceFilter(choices=Place.Kind.choices, help_text="Kind of place.")
    within_id, within = place_filters(field="id")
    identifier = IdentifierFilter(
        kind="place",
        help_text="The place with this identifier in another database, as scheme:value (iso-3166-2:IN-UP).",
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"name": "name", "path": "path", "id": "id"}, default="path")

    class Meta:
        model = Place
        fields = []

    def filter_q(self, queryset, name, value):
        return ranked(queryset.filter(indexed_name_search(Place, value)), value)


class PlaceWriteSerializer(IdentifiedRecordWriteSerializer):
    """A place in the tree of places (a parent cannot lie within it)."""

    identifier_model = PlaceIdentifier

    other_names = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=100,
        help_text='Other names, e.g. ["UP"].',
    )

    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "parent", "other_names", "identifiers", REVIEW, CITATIONS]


@documented("place", "places", ", with its identifiers and the parties that governed it")
@writes.documented_writes("place", "places")
class PlaceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Place.objects.all()
    list_spec = PLACE
    detail_spec = PLACE_DETAIL
    write_serializer_class = PlaceWriteSerializer
    filterset_class = PlaceFilterSet
