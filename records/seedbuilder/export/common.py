"""What the export writes, by model."""

from __future__ import annotations

from records.models import (
    Candidacy,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Government,
    Organisation,
    OrganisationAlias,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    Posting,
)

ENTITY_SECTIONS = {Place: "places", Organisation: "organisations", Person: "persons", Election: "elections"}
CLAIM_SECTIONS = {
    PersonRelation: "relations",
    Posting: "postings",
    Event: "events",
    Candidacy: "candidacies",
    Government: "governments",
}
NESTED = (PersonAlias, OrganisationAlias, PersonIdentifier, ElectionPhase, PartyResult, ClaimLink)
EXPORTED = (*ENTITY_SECTIONS, *CLAIM_SECTIONS, *NESTED)
LINKABLE = {Posting: "posting", Event: "event", Candidacy: "candidacy"}
PERSON_VALUE_FIELDS = ("birth_date", "gender", "native_place", "social_group")
