"""Curators record a document with what it says, in one request:

POST /api/v1/documents/ {"slug", "text", "annotation"} -> 201 what was recorded

The same path as ``manage.py ingest_document`` (records/ingest/): records are
matched by natural keys, nothing recorded is overwritten, all or nothing. A
document already recorded (the same bytes) answers 200 and changes nothing;
any problem is a 400 listing every one as ``file: claim (line N): reason``.
Needs the permission to add sources and citations (the curator group has it).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from records.api.errors import BAD_REQUEST, ErrorSerializer
from records.ingest import IngestFailed, ingest_texts

INGEST_PERMISSIONS = ("records.add_source", "records.add_citation")
MAX_TEXT = 1_000_000  # characters of a document or its annotation


class CanRecordDocuments(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        return user.has_perms(INGEST_PERMISSIONS)


class DocumentRequestSerializer(serializers.Serializer):
    slug = serializers.SlugField(
        max_length=100, help_text="The source's key, e.g. 003_b84d1872df6a742e (a seed file's name)."
    )
    text = serializers.CharField(
        max_length=MAX_TEXT,
        trim_whitespace=False,
        help_text="The document, verbatim: ' date YYYY-MM-DD ' then its text. Its UTF-8 bytes' SHA-256 must be the "
        "annotation's source.sha256.",
    )
    annotation = serializers.CharField(
        max_length=MAX_TEXT,
        trim_whitespace=False,
        help_text="What the document says, in the annotation format of seeds/README.md (YAML).",
    )


RESULT = inline_serializer(
    name="DocumentRecorded",
    fields={
        "source": serializers.CharField(help_text="The source's slug."),
        "recorded": serializers.BooleanField(help_text="False when the document was recorded before (no change)."),
        "created": serializers.DictField(child=serializers.IntegerField(), help_text="Records made, per kind."),
        "updated": serializers.DictField(child=serializers.IntegerField(), help_text="Records that gained a value."),
        "unchanged": serializers.DictField(child=serializers.IntegerField(), help_text="Records matched as they were."),
        "citations_added": serializers.IntegerField(),
    },
)


class DocumentIngestView(APIView):
    permission_classes = [CanRecordDocuments]

    @extend_schema(
        operation_id="documents_create",
        summary="Record a document and what it says",
        description="Curators only. The document and its annotation are recorded as `manage.py ingest_document` "
        "does: matched by natural keys (sha256, names and aliases, claim keys), nothing recorded overwritten, all "
        "or nothing. 201 with what was made; 200 when the same document was recorded before (nothing changes); "
        "400 listing every problem (`file: claim (line N): reason`), nothing written.",
        request=DocumentRequestSerializer,
        responses={
            201: RESULT,
            200: RESULT,
            400: BAD_REQUEST,
            401: OpenApiResponse(ErrorSerializer, description="No credentials."),
            403: OpenApiResponse(ErrorSerializer, description="The account may not record sources."),
        },
    )
    def post(self, request):
        body = DocumentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            result = ingest_texts(data["slug"], data["text"], data["annotation"], folder="request")
        except IngestFailed as exc:
            raise exceptions.ValidationError({"annotation": [str(p) for p in exc.problems]}) from None
        recorded = bool(result.ingested)
        source = result.ingested[0] if recorded else result.already[0]
        counts = result.counts
        data = {
            "source": source,
            "recorded": recorded,
            "created": dict(counts.created),
            "updated": dict(counts.updated),
            "unchanged": dict(counts.unchanged),
            "citations_added": counts.citations,
        }
        return Response(data, status=status.HTTP_201_CREATED if recorded else status.HTTP_200_OK)
