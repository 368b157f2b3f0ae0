"""The write operations in the OpenAPI document: ids, summaries, the If-Match,
ETag and Location headers, the success responses (the read detail), and what
a record reference accepts."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from records.api.errors import ErrorSerializer
from records.api.lookup import MAX_ID, SLUG, has_slug

# 400, 401, 403, 404, 412, 428 (and 413, 429) are documented for every write by
# records.api.schema.RecordsAutoSchema; a write may also conflict with other records.
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Other records refer to this one, or a concurrent change to the same records won."
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version the change is based on (from a GET of the record, or the last write's "
    "response); `*` for whatever version is current.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The new version's ETag: the `If-Match` of the next change.",
)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new record's URL."
)


def documented_writes(noun: str, plural: str):
    """Schema for create, update, partial update and delete of a viewset
    with a ``write_serializer_class``; responses are the read detail."""

    def decorate(viewset):
        detail = viewset.detail_serializer_class or viewset.serializer_class
        write = viewset.write_serializer_class
        return extend_schema_view(
            create=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_create",
                summary=f"Create a {noun}",
                description=f"Curators only. Answers with the new {noun} as a GET of it would, its ETag and Location.",
                request=write,
                responses={201: detail, 409: CONFLICT},
                parameters=[ETAG, LOCATION],
            ),
            update=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_update",
                summary=f"Update a {noun}",
                description="Curators only; `If-Match` is required. Every required field is sent; "
                "fields left out keep their values (citations included).",
                request=write,
                responses={200: detail, 409: CONFLICT},
                parameters=[IF_MATCH, ETAG],
            ),
            partial_update=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_partial_update",
                summary=f"Change some fields of a {noun}",
                description="Curators only. Only the fields sent change; `If-Match` is required.",
                request=write,
                responses={200: detail, 409: CONFLICT},
                parameters=[IF_MATCH, ETAG],
            ),
            destroy=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_destroy",
                summary=f"Delete a {noun}",
                description="Curators only; `If-Match` is required. Its history is kept. What belongs to the "
                "record goes with it (its citations; a person's postings, names, relations, events and candidacies; "
                "an election's phases, results, alliances and contests); a record others merely refer to is a 409 "
                "naming them.",
                responses={204: None, 409: CONFLICT},
                parameters=[IF_MATCH],
            ),
        )(viewset)

    return decorate


class RecordRefFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "records.api.writes.fields.RecordRefField"

    def map_serializer_field(self, auto_schema, direction):
        model = self.target.get_queryset().model
        by_id = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        if not has_slug(model):
            return by_id
        by_slug = {"type": "string", "pattern": f"^{SLUG.pattern}$"}
        return {"oneOf": [by_id, by_slug]}
