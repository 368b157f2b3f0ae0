"""Organisations: the tree of governments, services, forces and parties."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q

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
    organisation_filters,
)
from records.api.identifiers import after, identifier_spec, identifiers_part
from records.api.readspec import Field, Many, Ref, Spec, Timestamp, fields
from records.api.refs import PLACE_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW
from records.api.writes.identifiers import IdentifiedRecordWriteSerializer
from records.models import (
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Party,
)
from records.search import SPELLING_HELP, indexed_name_search
from records.search_rank import RANK_HELP, ranked

ORGANISATION_ALIAS = Spec(OrganisationAlias, "OrganisationAlias", [*fields("id name kind status"), Citations()])

ORGANISATION = Spec(
    Organisation,
    "Organisation",
    [
        *fields("id slug name abbreviation kind"),
        Field("parent", "parent_id"),
        Field("path"),
        Ref("place", PLACE_REF, allow_null=True),
        Many("aliases", ORGANISATION_ALIAS, fk="organisation"),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="An organisation in the tree of organisations: a government, a service, a force, a party...",
)
ORGANISATION_IDENTIFIER = identifier_spec(OrganisationIdentifier, "OrganisationIdentifier")
ORGANISATION_DETAIL = Spec(
    Organisation,
    "OrganisationDetail",
    after(ORGANISATION.parts, "aliases", identifiers_part(ORGANISATION_IDENTIFIER, "organisation")),
    doc=ORGANISATION.doc,
)


class PartyFilterSet(RecordsFilterSet):
    """What lists of organisations and of parties (organisations of kind "party") filter on."""

    q = text_filter(
        "Name, abbreviation or any alias contains this (case- and accent-insensitive), or has each of its words "
        f"in any order. {SPELLING_HELP} {RANK_HELP} Example: Samajvadi finds the Samajwadi Party first, "
        "Bhartiya Janta finds the Bharatiya Janata Party.",
        example="Samajvadi",
        method="filter_q",
    )
    identifier = IdentifierFilter(
        kind="organisation",
        help_text="The party with this identifier in another database, as scheme:value (wikidata:Q10230).",
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"name": "name", "abbreviation": "abbreviation", "id": "id"}, default="name")

    class Meta:
        model = Party
        fields = []

    def filter_q(self, queryset, name, value):
        # One id set from the three searches (a UNION), each served by an index (records/search.py).
        by_name = Organisation.objects.filter(indexed_name_search(Organisation, value)).order_by().values("id")
        by_abbreviation = Organisation.objects.filter(abbreviation__iexact=value).order_by().values("id")
        by_alias = OrganisationAlias.objects.filter(indexed_name_search(OrganisationAlias, value))
        found = by_name.union(by_abbreviation, by_alias.order_by().values("organisation_id"))
        aliases = (OrganisationAlias, "organisation")
        return ranked(queryset.filter(id__in=found), value, aliases=aliases, also_exact=Q(abbreviation__iexact=value))


class OrganisationFilterSet(PartyFilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices, help_text="Kind of organisation.")
    within_id, within = organisation_filters(field="id")
    identifier = IdentifierFilter(
        kind="organisation",
        help_text="The organisation with this identifier in another database, as scheme:value (wikidata:Q10230).",
    )

    class Meta:
        model = Organisation
        fields = []


class OrganisationWriteSerializer(IdentifiedRecordWriteSerializer):
    """An organisation in the tree of organisations; renaming its slug moves what lies within it."""

    identifier_model = OrganisationIdentifier

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "abbreviation", "parent", "place", "identifiers", REVIEW, CITATIONS]


@documented("organisation", "organisations")
@writes.documented_writes("organisation", "organisations")
class OrganisationViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Organisation.objects.all()
    list_spec = ORGANISATION
    detail_spec = ORGANISATION_DETAIL
    write_serializer_class = OrganisationWriteSerializer
    filterset_class = OrganisationFilterSet
