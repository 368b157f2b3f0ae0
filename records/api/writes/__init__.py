"""The write API: create, update and delete for curators, on the read API's
resources (each resource's module in records/api/resources/ mixes
RecordWritesMixin into its viewset and declares its write serializer).
Importing it registers the schema extension for record references."""

from records.api.writes.schema import documented_writes
from records.api.writes.views import RecordWritesMixin

__all__ = ["RecordWritesMixin", "documented_writes"]
