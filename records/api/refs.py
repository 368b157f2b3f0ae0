"""Brief references to records, shared by every resource's read spec."""

from __future__ import annotations

from rest_framework import serializers

from records.api.readspec import Field, Ref, Spec
from records.models import Constituency, Election, Organisation, Party, Person, Place

PERSON_REF = Spec(Person, "PersonRef", [Field("id"), Field("slug"), Field("name")])
PLACE_REF = Spec(Place, "PlaceRef", [Field("id"), Field("slug"), Field("name"), Field("kind")])
ORGANISATION_REF = Spec(
    Organisation,
    "OrganisationRef",
    [Field("id"), Field("slug"), Field("name"), Field("abbreviation"), Field("kind")],
)
PARTY_REF = Spec(Party, "PartyRef", [Field("id"), Field("slug"), Field("name"), Field("abbreviation")])
ELECTION_REF = Spec(Election, "ElectionRef", [Field("id"), Field("slug"), Field("name")])


def reservation() -> Field:
    return Field(
        "reservation",
        schema=serializers.ChoiceField(
            choices=Constituency.Reservation.choices,
            allow_blank=True,
            read_only=True,
            help_text="GEN (general), SC or ST (reserved for Scheduled Castes or Tribes); empty where not known.",
        ),
    )


CONSTITUENCY_REF = Spec(
    Constituency,
    "ConstituencyRef",
    [
        Field("id"),
        Field("slug"),
        Field("number"),
        Field("name"),
        reservation(),
        Ref("district", PLACE_REF, allow_null=True),
    ],
    read_only=True,
)
