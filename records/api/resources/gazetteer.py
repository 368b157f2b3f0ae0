"""Places, organisations and parties: the gazetteer's read specs."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from records.api.readspec import Citations, Field, Many, Ref, Review, Spec, Timestamp
from records.api.refs import PLACE_REF
from records.api.resources.elections import RESULT_IN_PARTY
from records.api.resources.postings import PARTY_OFFICE
from records.models import Organisation, OrganisationAlias, Party, Place, Posting

ORGANISATION_ALIAS = Spec(
    OrganisationAlias, "OrganisationAlias", [Field("id"), Field("name"), Field("kind"), Field("status"), Citations()]
)

PLACE = Spec(
    Place,
    "Place",
    [
        Field("id"),
        Field("slug"),
        Field("name"),
        Field("kind"),
        Field("parent", "parent_id"),
        Field("path"),
        Field("other_names", schema=serializers.ListField(child=serializers.CharField(), read_only=True)),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A place in the tree of places: a country, state, district, city...",
)

ORGANISATION = Spec(
    Organisation,
    "Organisation",
    [
        Field("id"),
        Field("slug"),
        Field("name"),
        Field("abbreviation"),
        Field("kind"),
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
        Many("leaders", PARTY_OFFICE, model=Posting, fk="organisation", where=Q(role__iexact="leader")),
        Many("results", RESULT_IN_PARTY, fk="party"),
        *PARTY.parts[5:],
    ],
    doc=PARTY.doc,
)
