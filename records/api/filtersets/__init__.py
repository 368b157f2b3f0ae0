"""One filterset per list endpoint."""

from records.api.filtersets.records import (
    ElectionFilterSet,
    OrganisationFilterSet,
    PartyFilterSet,
    PersonFilterSet,
    PlaceFilterSet,
    PostingFilterSet,
    SourceFilterSet,
)
from records.api.filtersets.results import ConstituencyFilterSet, ContestFilterSet

__all__ = [
    "ConstituencyFilterSet",
    "ContestFilterSet",
    "ElectionFilterSet",
    "OrganisationFilterSet",
    "PartyFilterSet",
    "PersonFilterSet",
    "PlaceFilterSet",
    "PostingFilterSet",
    "SourceFilterSet",
]
