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

import django_filters as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from records.api.errors import NOT_FOUND, Conflict, ErrorSerializer
from records.api.lookup import MAX_ID
from records.api.readspec import Computed, Field, Ref, Spec, Timestamp, fields
from records.api.refs import PERSON_REF
from records.api.resources.base import ReadViewSet, list_schema
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


PERSON_MERGE = Spec(
    PersonMerge,
    "PersonMerge",
    [
        Field("id"),
        Ref("kept", PERSON_REF, help_text="The person the removed record went into."),
        *fields("removed_id removed_name note"),
        Field("merged_by", "merged_by__username", schema=serializers.CharField(read_only=True, allow_null=True)),
        Timestamp("merged_at"),
        Computed(
            "active",
            serializers.BooleanField(read_only=True, help_text="False once undone."),
            ("undone_at",),
            lambda undone_at: undone_at is None,
        ),
        Field("undone_by", "undone_by__username", schema=serializers.CharField(read_only=True, allow_null=True)),
        Timestamp("undone_at"),
    ],
    read_only=True,
)


def merge_json(pk: int) -> dict:
    """The JSON of one merge, as the list shows it (a write's answer)."""
    rows = PersonMerge.objects.filter(pk=pk).values(*PERSON_MERGE.columns())
    return PERSON_MERGE.build(list(rows))[0]


class PersonMergeFilterSet(filters.FilterSet):
    """No filters: the list has one order, newest first; any parameter but paging is a 400."""

    class Meta:
        model = PersonMerge
        fields = []


class MergeRequestSerializer(serializers.Serializer):
    remove = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the duplicate person to merge into this one."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


MERGED = OpenApiResponse(
    inline_serializer(
        name="Merged",
        fields={
            "status": serializers.IntegerField(),
            "code": serializers.CharField(help_text='"merged"'),
            "detail": serializers.CharField(),
            "location": serializers.URLField(help_text="The kept person's URL."),
        },
    ),
    description="The person was merged into another record: `Location` (and `location`) is the kept person's "
    "URL. Undoing the merge makes the URL answer again.",
)


@extend_schema_view(
    list=list_schema(
        PERSON_MERGE,
        operation_id="person_merges_list",
        summary="List person merges",
        description="Every merge of a duplicate person record, newest first; undone ones included "
        "(`active` false). Keyset-paginated, or every one as CSV.",
    ),
    retrieve=extend_schema(
        operation_id="person_merges_retrieve",
        summary="Get one person merge",
        description="One merge by id: which duplicate went into which person, who made it, when and why, "
        "and whether it was undone.",
        responses={200: PERSON_MERGE.serializer_class, 404: NOT_FOUND},
        auth=[],
    ),
)
class PersonMergeViewSet(ReadViewSet):
    queryset = PersonMerge.objects.order_by("-merged_at", "-id")
    list_spec = PERSON_MERGE
    filterset_class = PersonMergeFilterSet
    permission_classes = [CanMergePeople]
    lookup_value_regex = "[^/.]+"  # DRF's: the schema documents the id as the integer it is

    @extend_schema(
        operation_id="person_merges_undo",
        summary="Undo a person merge",
        description="Recreates the removed person with the same id and fields and moves back exactly what the "
        "merge moved. Only the latest active merge touching a person can be undone (undo later ones first). "
        "Needs the change and delete permissions on people.",
        request=None,
        responses={200: PERSON_MERGE.serializer_class, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="undo")
    def undo(self, request, *args, **kwargs):
        merge = self.get_object()
        try:
            merge = undo_merge(merge, request.user)
        except MergeError as error:
            raise Conflict(str(error)) from error
        return Response(merge_json(merge.pk))
