"""Every record's History page in the admin (django-simple-history): who
changed what and when, field by field against the previous version, with
"revert to this version"; in a fixed number of queries per page."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from simple_history.admin import SimpleHistoryAdmin

from records.curation.changes import ignored_field_names


class RecordHistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/records/history_list.html"
    history_list_per_page = 50

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # The related records each change shows are joined, with what their labels read.
        from records.admin.base import LABEL_RELATED

        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        # Each version's number within this record's history (1 = the oldest),
        # not its row id, which counts the versions of every record.
        queryset = queryset.annotate(
            version=Window(RowNumber(), order_by=[F("history_date").asc(), F("history_id").asc()])
        )
        labels = []
        for field in history_manager.model.tracked_fields:
            if isinstance(field, models.ForeignKey):
                target = field.related_model._meta.concrete_model
                labels += [f"{field.name}__{name}" for name in LABEL_RELATED.get(target, ())]
        return queryset.select_related(*labels)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Like simple-history's, without bookkeeping and derived columns
        (updated_at, a fuzzy date's bounds, a normalised name)."""
        ignored = ignored_field_names(self.model)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=ignored, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def save_model(self, request, obj, form, change):
        match = request.resolver_match
        if match and match.url_name.endswith("_simple_history"):  # the "revert to this version" form
            obj._change_reason = f"reverted to version {self.version_number(obj, int(match.args[1]))}"
        super().save_model(request, obj, form, change)

    def version_number(self, obj, history_id: int) -> int:
        """The number the history page shows for that version of `obj`."""
        versions = obj.history.model.objects.filter(id=obj.pk)
        target = versions.get(history_id=history_id)
        earlier = versions.filter(history_date__lt=target.history_date) | versions.filter(
            history_date=target.history_date, history_id__lte=history_id
        )
        return earlier.count()
