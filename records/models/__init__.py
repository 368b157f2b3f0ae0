from records.models.base import ClaimStatus, ReviewStatus
from records.models.elections import Candidacy, Election, ElectionPhase, PartyResult
from records.models.gazetteer import Organisation, OrganisationAlias, Party, Place
from records.models.governments import Government
from records.models.identifiers import ConstituencyIdentifier, OrganisationIdentifier, PlaceIdentifier
from records.models.identity import PossibleMatch
from records.models.links import ClaimLink
from records.models.merges import PersonMerge
from records.models.people import Person, PersonAlias, PersonIdentifier, PersonRelation
from records.models.postings import Event, Posting
from records.models.results import Alliance, Constituency, ConstituencyAlias, Contest
from records.models.sources import Citation, Source

__all__ = [
    "Alliance",
    "Candidacy",
    "Citation",
    "ClaimLink",
    "ClaimStatus",
    "Constituency",
    "ConstituencyAlias",
    "ConstituencyIdentifier",
    "Contest",
    "Election",
    "ElectionPhase",
    "Event",
    "Government",
    "Organisation",
    "OrganisationAlias",
    "OrganisationIdentifier",
    "Party",
    "PartyResult",
    "Person",
    "PersonAlias",
    "PersonIdentifier",
    "PersonMerge",
    "PersonRelation",
    "Place",
    "PlaceIdentifier",
    "PossibleMatch",
    "Posting",
    "ReviewStatus",
    "Source",
]
