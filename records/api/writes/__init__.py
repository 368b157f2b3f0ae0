"""The write API: create, update and delete for curators, on the read API's
resources (records.api.views mixes RecordWritesMixin into each viewset).
Importing it registers the schema extension for record references."""

from records.api.writes.schema import documented_writes
from records.api.writes.serializers import (
    ConstituencyWriteSerializer,
    ContestWriteSerializer,
    ElectionWriteSerializer,
    OrganisationWriteSerializer,
    PartyWriteSerializer,
    PersonWriteSerializer,
    PlaceWriteSerializer,
    PostingWriteSerializer,
    SourceWriteSerializer,
)
from records.api.writes.views import RecordWritesMixin

__all__ = [
    "ConstituencyWriteSerializer",
    "ContestWriteSerializer",
    "ElectionWriteSerializer",
    "OrganisationWriteSerializer",
    "PartyWriteSerializer",
    "PersonWriteSerializer",
    "PlaceWriteSerializer",
    "PostingWriteSerializer",
    "RecordWritesMixin",
    "SourceWriteSerializer",
    "documented_writes",
]
