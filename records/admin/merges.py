"""Person merges: the record of which duplicate went into which person."""

from __future__ import annotations

from django.contrib import admin

from records.models import PersonMerge


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ["removed_name", "removed_id", "kept", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["kept", "merged_by"]
    list_filter = ["merged_at", "undone_at"]
    search_fields = ["removed_name", "kept__name"]
    fields = readonly_fields = [f.name for f in PersonMerge._meta.fields]

    def has_add_permission(self, request):
        return False  # merges are made by the merge action, never by hand
