"""Person merges in the API: merge a duplicate into a person, list merges,
undo one. (The persons viewset's merge action and the 301 of a removed
person's URL: records/api/resources/persons.py.)

POST /api/v1/persons/{id}/merge/ {"remove": <id>, "note": "..."} -> 200 {"merge", "person"}
GET  /api/v1/person-merges/ and /api/v1/person-merges/{id}/
POST /api/v1/person-merges/{id}/undo/ -> 200 the merge, now undone

Merging and undoing need the change and delete permissions on people (the
curator group has them): 401 without credentials, 403 without them. Both call
records.curation.merge, as the admin does."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from records.api.errors import BAD_REQUEST, NOT_FOUND, Conflict, ErrorSerializer
from records.api.lookup import MAX_ID
from records.api.pagination import KeysetPagination
from records.api.refs import PERSON_REF
from records.curation.merge import MergeError, undo_merge
from records.models import PersonMerge
from records.roles import MERGE_PERMISSIONS

UNAUTHORIZED = OpenApiResponse(ErrorSerializer, description="No credentials: send `Authorization: Token <key>`.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="The account may not merge people (curators may).")
REFUSED = OpenApiResponse(ErrorSerializer, description="The merge or undo cannot be done; `detail` says why.")


class CanMergePeople(permissions.BasePermission):
    """Reads for all; merging and undoing need records.change_person and records.delete_person."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        return user.has_perms(MERGE_PERMISSIONS)


class PersonMergeSerializer(serializers.ModelSerializer):
    kept = PERSON_REF.serializer(read_only=True, help_text="The person the removed record went into.")
    merged_by = serializers.CharField(source="merged_by.username", read_only=True, allow_null=True)
    undone_by = serializers.CharField(source="undone_by.username", read_only=True, allow_null=True)
    active = serializers.BooleanField(source="is_active", read_only=True, help_text="False once undone.")

    class Meta:
        model = PersonMerge
        fields = ["id", "kept", "removed_id", "removed_name", "note", "merged_by", "merged_at", "active"]
        fields += ["undone_by", "undone_at"]
        read_only_fields = fields


class MergeRequestSerializer(serializers.Serializer):
    remove = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the duplicate person to merge into this one."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


MERGED = inline_serializer(
    name="Merged",
    fields={
        "status": serializers.IntegerField(),
        "code": serializers.CharField(help_text='"merged"'),
        "detail": serializers.CharField(),
        "location": serializers.URLField(help_text="The kept person's URL."),
    },
)


@extend_schema_view(
    list=extend_schema(
        operation_id="person_merges_list",
        summary="List person merges",
        description="Every merge of a duplicate person record, newest first; undone ones included "
        "(`active` false). Keyset-paginated.",
        responses={200: PersonMergeSerializer(many=True), 400: BAD_REQUEST},
        auth=[],
    ),
    retrieve=extend_schema(
        operation_id="person_merges_retrieve",
        summary="Get one person merge",
        responses={200: PersonMergeSerializer, 404: NOT_FOUND},
        auth=[],
    ),
)
class PersonMergeViewSet(viewsets.ReadOnlyModelViewSet):
    # Only what the serializer shows: the related rows' every column cost more to compile than to read.
    queryset = (
        PersonMerge.objects.select_related("kept", "merged_by", "undone_by")
        .only(
            *("id", "removed_id", "removed_name", "note", "merged_at", "undone_at"),
            *("kept__id", "kept__slug", "kept__name", "merged_by__username", "undone_by__username"),
        )
        .order_by("-merged_at", "-id")
    )
    serializer_class = PersonMergeSerializer
    permission_classes = [CanMergePeople]
    pagination_class = KeysetPagination
    filter_backends = []

    @extend_schema(
        operation_id="person_merges_undo",
        summary="Undo a person merge",
        description="Recreates the removed person with the same id and fields and moves back exactly what the "
        "merge moved. Only the latest active merge touching a person can be undone (undo later ones first). "
        "Needs the change and delete permissions on people.",
        request=None,
        responses={200: PersonMergeSerializer, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="undo")
    def undo(self, request, *args, **kwargs):
        merge = self.get_object()
        try:
            merge = undo_merge(merge, request.user)
        except MergeError as error:
            raise Conflict(str(error)) from error
        return Response(PersonMergeSerializer(self.get_queryset().get(pk=merge.pk)).data)
