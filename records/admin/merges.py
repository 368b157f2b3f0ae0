"""Person merges: the "Merge selected people..." action on the people list
(confirmation page: which record to keep, and why), and the merge records,
each with an "Undo merge" button and action. Both call records.curation.merge,
as the API does."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from records.curation.merge import MergeError, merge_people, undo_merge
from records.models import PersonMerge
from records.roles import MERGE_PERMISSIONS


@admin.action(description="Merge selected people…", permissions=["change", "delete"])
def merge_selected_people(modeladmin, request, queryset):
    """Exactly two people: a confirmation page picks the one to keep; the other is merged into it."""
    people = list(queryset.order_by("pk")[:3])
    if len(people) != 2:
        modeladmin.message_user(request, "Select exactly two people to merge.", messages.ERROR)
        return None
    if request.POST.get("confirm"):
        keep = request.POST.get("keep")
        kept = next((p for p in people if str(p.pk) == keep), None)
        if kept is None:
            modeladmin.message_user(request, "Choose the person to keep.", messages.ERROR)
            return None
        removed = next(p for p in people if p is not kept)
        try:
            merge = merge_people(kept, removed, request.user, note=request.POST.get("note", ""))
        except MergeError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        merge_url = reverse("admin:records_personmerge_change", args=[merge.pk])
        modeladmin.message_user(
            request,
            format_html(
                'Merged {} into {} (<a href="{}">merge #{}</a>, can be undone).', removed, kept, merge_url, merge.pk
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:records_person_change", args=[kept.pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge two people",
        "opts": modeladmin.model._meta,
        "people": [(person, _holdings(person)) for person in people],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "merge_selected_people",
    }
    return TemplateResponse(request, "admin/records/person/merge_confirmation.html", context)


def _holdings(person) -> dict[str, int]:
    return {
        "postings": person.postings.count(),
        "other names": person.aliases.count(),
        "candidacies": person.candidacies.count(),
        "events": person.events.count(),
        "citations": person.citations.count(),
    }


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ["removed_name", "removed_id", "kept", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["kept", "merged_by"]
    list_filter = ["merged_at", "undone_at"]
    search_fields = ["removed_name", "removed_slug", "kept__name"]
    fields = readonly_fields = [*(f.name for f in PersonMerge._meta.fields), "undo"]
    actions = ["undo_selected"]

    def has_add_permission(self, request):
        return False  # merges are made by the merge action, never by hand

    def has_undo_permission(self, request):
        return request.user.has_perms(MERGE_PERMISSIONS)

    def get_urls(self):
        undo = path("<int:merge_id>/undo/", self.admin_site.admin_view(self.undo_view), name="records_personmerge_undo")
        return [undo, *super().get_urls()]

    @admin.display(description="undo")
    def undo(self, merge):
        if merge.pk is None or merge.undone_at:
            return "—"
        url = reverse("admin:records_personmerge_undo", args=[merge.pk])
        return format_html('<a class="button" href="{}">Undo merge</a>', url)

    def undo_view(self, request, merge_id):
        merge = get_object_or_404(PersonMerge.objects.select_related("kept"), pk=merge_id)
        if not self.has_undo_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:records_personmerge_change", args=[merge.pk])
        if request.method == "POST":
            try:
                undo_merge(merge, request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Undid merge #{merge.pk}: {merge.removed_name} is back.", messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Undo merge #{merge.pk}",
            "opts": self.model._meta,
            "merge": merge,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/records/personmerge/undo_confirmation.html", context)

    @admin.action(description="Undo selected merges (latest first)", permissions=["undo"])
    def undo_selected(self, request, queryset):
        for merge in queryset.order_by("-merged_at", "-pk"):
            try:
                undo_merge(merge, request.user)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Undid merge #{merge.pk}.", messages.SUCCESS)
