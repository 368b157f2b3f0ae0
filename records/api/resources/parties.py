"""Parties: organisations of kind "party", with leaders and election results."""

from __future__ import annotations

from django.db.models import Q

from records.api import writes
from records.api.identifiers import identifiers_part
from records.api.readspec import Many, Spec
from records.api.resources.base import RecordViewSet, documented
from records.api.resources.elections import RESULT_IN_PARTY
from records.api.resources.governments import GOVERNS
from records.api.resources.organisations import ORGANISATION, ORGANISATION_IDENTIFIER, PartyFilterSet
from records.api.resources.postings import PARTY_OFFICE
from records.api.writes.base import CITATIONS, REVIEW
from records.api.writes.identifiers import IdentifiedRecordWriteSerializer
from records.models import (
    OrganisationIdentifier,
    Party,
    Posting,
)

PARTY = ORGANISATION.only(
    "Party",
    ["id", "slug", "name", "abbreviation", "aliases", "citations", "updated_at", "review_status"],
    doc="A political party, with the other names sources give it.",
    model=Party,
)

PARTY_DETAIL = Spec(
    Party,
    "PartyDetail",
    [
        *PARTY.parts[:5],
        identifiers_part(ORGANISATION_IDENTIFIER, "organisation"),
        Many("leaders", PARTY_OFFICE, model=Posting, fk="organisation", where=Q(role__iexact="leader")),
        Many("results", RESULT_IN_PARTY, fk="party"),
        Many("governs", GOVERNS, fk="party", help_text="The places sources say the party governed, and when."),
        *PARTY.parts[5:],
    ],
    doc=PARTY.doc,
)


class PartyWriteSerializer(IdentifiedRecordWriteSerializer):
    """A party is an organisation of kind "party"; its kind is not sent."""

    identifier_model = OrganisationIdentifier

    class Meta:
        model = Party
        fields = ["slug", "name", "abbreviation", "parent", "place", "identifiers", REVIEW, CITATIONS]


@documented("party", "parties", " with aliases, identifiers, leaders, election results and the places it governed")
@writes.documented_writes("party", "parties")
class PartyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Party.objects.all()
    list_spec = PARTY
    detail_spec = PARTY_DETAIL
    write_serializer_class = PartyWriteSerializer
    filterset_class = PartyFilterSet
