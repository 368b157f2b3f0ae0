"""GET /api/v1/<resource>/<id or slug>/history/: a record's versions, newest
first, each with what changed against the version before it.

Public like every read. A version names its author by username only (never
an email or anything else of the account). A deleted record's history stays
readable by its id (its detail is a 404), so a merged-away person's or a
removed posting's past can still be traced."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action

from records import remembered
from records.api.errors import BAD_REQUEST, ErrorSerializer
from records.api.keyset import PagePlan
from records.api.lookup import record_slot_q
from records.api.pagination import KeysetPagination
from records.compiled_queries import CompiledQuery, Slot
from records.curation.changes import changes_between, compared_fields

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name; a relation's value is the related record's id.")
    old = serializers.JSONField(allow_null=True, help_text="The value before; null for a new record.")
    new = serializers.JSONField(allow_null=True, help_text="The value after.")


class VersionSerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text="The version's own id.")
    date = serializers.DateTimeField(help_text="When the change was made.")
    type = serializers.ChoiceField(choices=list(HISTORY_TYPES.values()))
    user = serializers.CharField(allow_null=True, help_text="Username of who made it; null for imports and scripts.")
    reason = serializers.CharField(
        allow_null=True, help_text='Why, where given (e.g. "merged #12 into #7", "marked as verified").'
    )
    changes = ChangeSerializer(
        many=True,
        help_text="What differs from the previous version (for a new record: every field it was created with; "
        "empty for a deletion, or when no earlier version was recorded). Fuzzy dates are compared as written; "
        "bookkeeping and derived columns (updated_at, date bounds, normalised names) are left out.",
    )


class VersionPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous (newer) page, if any.")
    count = serializers.IntegerField(allow_null=True, help_text="Number of versions; null unless count=true.")
    results = VersionSerializer(many=True)


class HistoryPagination(KeysetPagination):
    """Newest first; a cursor holds the last version's date and id."""


def history_plan(model) -> PagePlan:
    """The pages of one record's versions, newest first: its id a slot (``record``)."""
    history = model.history.model
    versions = model.history.filter(id=Slot("record", history._meta.get_field("id")))
    columns = ["history_id", "history_date", "history_type", "history_user_id", "history_user__username"]
    columns += ["history_change_reason", *(field.attname for field in compared_fields(model))]
    return PagePlan(versions.order_by("-history_date", "-history_id"), columns)


def pagination_parameters() -> list[OpenApiParameter]:
    """page_size, cursor and count, as the lists document them (filters=False leaves them out)."""
    return [
        OpenApiParameter(p["name"], type=p["schema"], location=p["in"], required=False, description=p["description"])
        for p in HistoryPagination().get_schema_operation_parameters(None)
    ]


def document_history(noun: str, plural: str):
    """The schema of a resource's history action, with a stable operation id."""
    return extend_schema(
        operation_id=f"{plural.replace(' ', '_')}_history",
        summary=f"History of one {noun}",
        description=f"Every recorded version of the {noun}, newest first, each with the changes against the one "
        "before; keyset-paginated (follow `next`). The history of a deleted record stays readable by its id.",
        responses={
            200: VersionPageSerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(ErrorSerializer, description="No such record, now or in the past."),
        },
        filters=False,
        parameters=pagination_parameters(),
        auth=[],
    )


class HistoryMixin:
    """Adds the ``history`` action to a read viewset whose model has a history."""

    @classmethod
    def answer_models(cls, action):
        if action == "history":  # the versions (and their authors' names), and the live record for its id
            model = cls.queryset.model
            return {model, model.history.model, get_user_model()}
        return super().answer_models(action)

    @action(
        detail=True,
        methods=["get"],
        url_path="history",
        permission_classes=[permissions.AllowAny],
        pagination_class=HistoryPagination,
        filter_backends=[],
        serializer_class=VersionSerializer,
    )
    def history(self, request, *args, **kwargs):
        model = self.queryset.model
        record_id = self.history_record_id(model)
        versions = getattr(request, "data_versions", None)

        def total() -> int:
            return remembered.count(model.history.filter(id=record_id), versions)

        plan = remembered.plan((model, "history", router.db_for_read(model)), versions, lambda: history_plan(model))
        paginator = self.paginator
        rows = paginator.paginate_plan(plan, request, given={"record": record_id}, total=total)
        page = [SimpleNamespace(**row) for row in rows]  # versions, as changes_between reads them
        previous = self.version_before(model, record_id, page[-1]) if page else None
        fields = compared_fields(model)
        chain = [*page, previous]
        data = [
            {
                "history_id": version.history_id,
                "date": version.history_date,
                "type": HISTORY_TYPES[version.history_type],
                "user": version.history_user__username if version.history_user_id else None,
                "reason": version.history_change_reason,
                "changes": [] if version.history_type == "-" else changes_between(fields, chain[i + 1], version),
            }
            for i, version in enumerate(page)
        ]
        return paginator.get_paginated_response(VersionSerializer(data, many=True).data)

    def history_record_id(self, model) -> int:
        """The id the URL names: a live record's, or a deleted one's by its id
        (or its last slug). One query, two for a record not live; each compiled
        once, the URL's key a slot (as a detail reads its record)."""
        named = self.lookup_key()
        if named is None:
            raise Http404
        field, value = named
        versions = getattr(self.request, "data_versions", None)
        using = router.db_for_read(model)
        # A version keeps the record's id under the same name ("pk" is the version's own).
        record_id = model._meta.pk.attname

        def live() -> CompiledQuery:
            return CompiledQuery(self.queryset.filter(record_slot_q(model, field)).order_by().values(record_id)[:1])

        def past() -> CompiledQuery:
            by = record_slot_q(model.history.model, record_id if field == "pk" else field)
            latest = model.history.filter(by).order_by("-history_date", "-history_id")
            return CompiledQuery(latest.values(record_id)[:1])

        for where, make in (("live", live), ("past", past)):
            found = remembered.plan((type(self), where, field, using), versions, make).values(key=value)
            if found:
                return found[0][record_id]
        raise Http404

    @staticmethod
    def version_before(model, record_id, oldest):
        """The version just before the page's oldest one (it holds the old values)."""
        earlier = Q(history_date__lt=oldest.history_date) | Q(
            history_date=oldest.history_date, history_id__lt=oldest.history_id
        )
        return model.history.filter(earlier, id=record_id).order_by("-history_date", "-history_id").first()
