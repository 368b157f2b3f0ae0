"""Possible matches: the queue of "are these two one person?" questions an
import raised, each with its evidence as a table, an Accept (merge) and a
Reject button on its page, and the same as actions on the list. Both call
records.identity.decisions, as the API does; accepting is the person merge,
undone on the merge's page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils.html import format_html, format_html_join

from records.identity.decisions import MatchError, accept_match, reject_match
from records.models import PossibleMatch
from records.roles import MERGE_PERMISSIONS

DECISIONS = {"accept": accept_match, "reject": reject_match}


@admin.register(PossibleMatch)
class PossibleMatchAdmin(admin.ModelAdmin):
    list_display = ["id", "incoming_person", "existing_person", "score", "status", "source", "created_at"]
    list_display_links = ["id"]
    list_select_related = ["incoming", "existing", "source"]
    list_filter = ["status", ("source", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["incoming__name", "existing__name"]
    ordering = ["-id"]
    fields = readonly_fields = [
        "incoming_person",
        "existing_person",
        "score",
        "evidence_table",
        "status",
        "source",
        "created_at",
        "decided_by",
        "decided_at",
        "note",
        "merge_link",
        "decide",
    ]
    actions = ["accept_selected", "reject_selected"]

    def get_queryset(self, request):
        # Joined, so that a person merged away since reads as None instead of failing a lookup.
        return super().get_queryset(request).select_related("incoming", "existing", "source", "decided_by")

    def has_add_permission(self, request):
        return False  # raised by imports, never by hand

    def has_change_permission(self, request, obj=None):
        return False  # decided with the buttons, which check has_decide_permission

    def has_decide_permission(self, request):
        return request.user.has_perms(MERGE_PERMISSIONS)

    def get_urls(self):
        decide = re_path(
            r"^(?P<match_id>[0-9]+)/(?P<decision>accept|reject)/$",
            self.admin_site.admin_view(self.decide_view),
            name="records_possiblematch_decide",
        )
        return [decide, *super().get_urls()]

    # -- what a curator reads ---------------------------------------------------

    @admin.display(description="incoming person", ordering="incoming__name")
    def incoming_person(self, match):
        return _person_link(match.incoming, match.incoming_id)

    @admin.display(description="existing person", ordering="existing__name")
    def existing_person(self, match):
        return _person_link(match.existing, match.existing_id)

    @admin.display(description="evidence")
    def evidence_table(self, match):
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td style="text-align:right">{}</td><td>{}</td></tr>',
            (
                (piece.get("name", ""), f"{piece.get('weight', 0):+g}", piece.get("detail", ""))
                for piece in match.evidence
            ),
        )
        return format_html(
            '<table class="evidence"><thead><tr><th>evidence</th><th>weight</th><th>detail</th></tr></thead>'
            '<tbody>{}</tbody><tfoot><tr><th>score</th><th style="text-align:right">{}</th><th></th></tr></tfoot>'
            "</table>",
            rows,
            f"{match.score:g}",
        )

    @admin.display(description="merge")
    def merge_link(self, match):
        if match.merge_id is None:
            return "—"
        url = reverse("admin:records_personmerge_change", args=[match.merge_id])
        return format_html('<a href="{}">merge #{}</a> (undo it there)', url, match.merge_id)

    @admin.display(description="decide")
    def decide(self, match):
        if match.pk is None or match.status != PossibleMatch.Status.OPEN:
            return "—"
        accept = reverse("admin:records_possiblematch_decide", args=[match.pk, "accept"])
        reject = reverse("admin:records_possiblematch_decide", args=[match.pk, "reject"])
        return format_html(
            '<a class="button" href="{}">Accept: merge into the existing person</a> '
            '<a class="button" href="{}">Reject: two people</a>',
            accept,
            reject,
        )

    # -- deciding -----------------------------------------------------------------

    def decide_view(self, request, match_id, decision):
        match = get_object_or_404(PossibleMatch.objects.select_related("incoming", "existing"), pk=match_id)
        if not self.has_decide_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:records_possiblematch_change", args=[match.pk])
        if request.method == "POST":
            try:
                DECISIONS[decision](match, request.user, request.POST.get("note", ""))
            except MatchError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _done(match, decision), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{decision.capitalize()} possible match #{match.pk}",
            "opts": self.model._meta,
            "match": match,
            "decision": decision,
            "evidence": self.evidence_table(match),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/records/possiblematch/decide_confirmation.html", context)

    @admin.action(description="Accept selected matches (merge each)", permissions=["decide"])
    def accept_selected(self, request, queryset):
        self._decide_all(request, queryset, "accept")

    @admin.action(description="Reject selected matches (two people each)", permissions=["decide"])
    def reject_selected(self, request, queryset):
        self._decide_all(request, queryset, "reject")

    def _decide_all(self, request, queryset, decision):
        for match in queryset.order_by("pk"):
            try:
                DECISIONS[decision](match, request.user)
            except MatchError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _done(match, decision), messages.SUCCESS)


def _person_link(person, person_id):
    if person is None:  # merged away (or deleted) since the question was raised
        return f"#{person_id} (no longer a person of its own)"
    url = reverse("admin:records_person_change", args=[person.pk])
    return format_html('<a href="{}">{}</a> #{}', url, person.name, person.pk)


def _done(match, decision) -> str:
    if decision == "accept":
        return f"Accepted possible match #{match.pk}: merged #{match.incoming_id} into #{match.existing_id}."
    return f"Rejected possible match #{match.pk}: the two stay apart and will not be proposed again."
