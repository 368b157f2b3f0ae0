"""Brief references to records, shared by every resource's read spec."""

from __future__ import annotations

from rest_framework import serializers

from records.api.readspec import Field, Ref, Spec, fields
from records.models import Constituency, Election, Organisation, Party, Person, Place

PERSON_REF = Spec(Person, "PersonRef", [*fields("id slug name")])
PLACE_REF = Spec(Place, "PlaceRef", [*fields("id slug name kind")])
ORGANISATION_REF = Spec(
    Organisation,
    "OrganisationRef",
    [*fields("id slug name abbreviation kind")],
)
PARTY_REF = Spec(Party, "PartyRef", [*fields("id slug name abbreviation")])
ELECTION_REF = Spec(Election, "ElectionRef", [*fields("id slug name")])


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
        *fields("id slug number name"),
        reservation(),
        Ref("district", PLACE_REF, allow_null=True),
    ],
    read_only=True,
)
