"""Elections, their phases, party results and candidacies."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F

from records.admin.base import (
    PreloadedRelationsForm,
    RecordAdmin,
    RecordInline,
    fuzzy_bounds,
    fuzzy_date_column,
    fuzzy_date_row,
)
from records.admin.citations import CitationInline
from records.admin.official import (
    attach_checks,
    check_summary,
    cross_check_table,
    official_summary,
)
from records.models import Candidacy, Election, ElectionPhase, PartyResult
from records.selectors import election_results


class ElectionPhaseInline(RecordInline):
    model = ElectionPhase
    fields = ("number", "poll_date", "poll_date_earliest", "poll_date_latest", "status")
    readonly_fields = fuzzy_bounds("poll_date")


class PartyResultInline(RecordInline):
    model = PartyResult
    fields = ("party", "seats_won", "seats_with_allies", "vote_share", "status")
    autocomplete_fields = ("party",)


class CandidacyForm(PreloadedRelationsForm):
    """A candidacy in a contest belongs to the contest's election."""

    def clean(self):
        data = super().clean()
        election = data.get("election", self.instance.election if self.instance.election_id else None)
        if "contest" in self.fields:
            contest = data.get("contest")
        else:  # read-only here: the instance's (joined to its election)
            contest = self.instance.contest if self.instance.contest_id else None
        if contest is not None and election is not None and contest.election_id != election.pk:
            field = "election" if "election" in self.fields else None
            self.add_error(field, f"The contest {contest} is in {contest.election}, not in {election}.")
        return data


class ElectionCandidacyInline(RecordInline):
    """On an election's page: the candidacies sources claim (in no contest). The
    official results (thousands of candidacies) are linked from the page."""

    model = Candidacy
    form = CandidacyForm
    fields = ("person", "party", "place", "status")
    autocomplete_fields = ("person", "party", "place")
    verbose_name_plural = "candidacies claimed by sources (official ones: see Official results)"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(contest__isnull=True)


class PersonCandidacyInline(RecordInline):
    """On a person's page: every candidacy, claimed or in official results
    (whose contest, votes, rank and win come from the dataset)."""

    model = Candidacy
    form = CandidacyForm
    fields = ("election", "party", "place", "contest", "votes", "rank", "won", "status")
    readonly_fields = ("contest", "votes", "rank", "won")
    autocomplete_fields = ("election", "party", "place")
    select_related = ("contest__constituency", "contest__election")
    ordering = (F("election__start_earliest").asc(nulls_last=True), "election_id", "id")


@admin.register(Election)
class ElectionAdmin(RecordAdmin):
    list_display = (
        "name",
        "jurisdiction",
        "body",
        "seats",
        fuzzy_date_column("start"),
        fuzzy_date_column("end"),
        fuzzy_date_column("counting"),
        "status",
    )
    list_select_related = ("jurisdiction", "body")
    list_filter = (
        "status",
        ("jurisdiction", admin.RelatedOnlyFieldListFilter),
        ("body", admin.RelatedOnlyFieldListFilter),
        ("start_earliest", admin.DateFieldListFilter),
    )
    search_fields = ("name", "slug", "jurisdiction__name", "body__name")
    search_help_text = "The election's name or slug, its jurisdiction or the body elected."
    autocomplete_fields = ("jurisdiction", "body")
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        ("name", "slug"),
        ("jurisdiction", "body"),
        "seats",
        fuzzy_date_row("start"),
        fuzzy_date_row("end"),
        fuzzy_date_row("announced"),
        fuzzy_date_row("counting"),
        "status",
    )
    readonly_fields = (*fuzzy_bounds("start", "end", "announced", "counting"), "official_results", "cross_check")
    inlines = (ElectionPhaseInline, PartyResultInline, ElectionCandidacyInline, CitationInline)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Official results", {"fields": ("official_results", "cross_check")})]

    @staticmethod
    def official(election):
        """Loaded once for the page's two fields (a fixed number of queries)."""
        if not hasattr(election, "_official_results"):
            election._official_results = election_results(election)
        return election._official_results

    @admin.display(description="imported")
    def official_results(self, election):
        return official_summary(election, self.official(election))

    @admin.display(description="claims checked")
    def cross_check(self, election):
        return cross_check_table(self.official(election))


@admin.register(ElectionPhase)
class ElectionPhaseAdmin(RecordAdmin):
    list_display = ("election", "number", fuzzy_date_column("poll_date"), "status")
    list_select_related = ("election",)
    list_filter = (
        "status",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("poll_date_earliest", admin.DateFieldListFilter),
    )
    search_fields = ("election__name", "election__slug")
    search_help_text = "The election's name or slug."
    autocomplete_fields = ("election",)
    fields = ("election", "number", fuzzy_date_row("poll_date"), "status")
    readonly_fields = fuzzy_bounds("poll_date")
    inlines = (CitationInline,)


@admin.register(PartyResult)
class PartyResultAdmin(RecordAdmin):
    list_display = ("election", "party", "seats_won", "seats_with_allies", "vote_share", "status", "official")
    list_select_related = ("election", "party")
    list_filter = (
        "status",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("party", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("election__name", "party__name", "party__abbreviation")
    search_help_text = "The election's name, or the party's name or abbreviation."
    autocomplete_fields = ("election", "party")
    fields = ("election", "party", ("seats_won", "seats_with_allies"), "vote_share", "status")
    readonly_fields = ("official",)
    inlines = (CitationInline,)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return (*fields, "official") if obj is not None else fields

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        attach_checks(changelist.result_list)  # the tally once per election on the page
        return changelist

    @admin.display(description="official results")
    def official(self, result):
        if not hasattr(result, "official_check"):  # the change page
            attach_checks([result])
        return check_summary(result.official_check)


class OfficialResultFilter(admin.SimpleListFilter):
    title = "official result"
    parameter_name = "official"

    def lookups(self, request, model_admin):
        return (("yes", "in official results (a contest)"), ("no", "claimed by sources (no contest)"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(contest__isnull=self.value() == "no")
        return queryset


@admin.register(Candidacy)
class CandidacyAdmin(RecordAdmin):
    form = CandidacyForm
    list_display = ("person", "election", "party", "place", "constituency", "votes", "rank", "won", "status")
    list_select_related = ("person", "election", "party", "place", "contest__constituency", "contest__election")
    list_filter = (
        "status",
        OfficialResultFilter,
        "won",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("party", admin.RelatedOnlyFieldListFilter),
        ("place", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "person__name",
        "person__aliases__name",
        "ballot_name",
        "election__name",
        "party__name",
        "place__name",
        "contest__constituency__name",
    )
    search_help_text = "The person's name, other name or ballot name, the election, party, place or constituency."
    autocomplete_fields = ("person", "election", "party", "place", "contest")
    fields = (
        "person",
        "election",
        "party",
        "place",
        "contest",
        "ballot_name",
        ("votes", "rank", "won", "margin"),
        "status",
    )
    inlines = (CitationInline,)

    @admin.display(description="constituency", ordering="contest__constituency__number")
    def constituency(self, candidacy):
        return candidacy.contest.constituency if candidacy.contest_id else None
