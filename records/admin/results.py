"""Official results: constituencies, contests and alliances, and the check of
what sources claim against the results (records.selectors).

Official results are imported (manage.py import_results), thousands of rows an
election: pages show them read-only and never one query per row; the totals
and claim checks are computed with a fixed number of queries per election.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.html import format_html, format_html_join

from records.admin.base import NormalisedNameSearchMixin, PreloadedRelationsForm, RecordAdmin, RecordInline
from records.admin.citations import CitationInline, admin_change_url
from records.admin.identifiers import ConstituencyIdentifierInline
from records.admin.official import (
    EMPTY,
    NO_RESULTS,
    WinnerPartyFilter,
    changelist_url,
    number,
    party_link,
    verdict,
    winner_link,
    winner_of,
    winners_prefetch,
    winning_candidacies,
)
from records.models import (
    Alliance,
    Candidacy,
    Constituency,
    ConstituencyAlias,
    Contest,
    Party,
    PartyResult,
)
from records.selectors import official_tally

# -- contests ---------------------------------------------------------------


class ContestCandidacyInline(RecordInline):
    """A contest's candidates by votes, read-only: they come from the dataset
    (each opens in its own page). NOTA is the contest's nota_votes, not a row."""

    model = Candidacy
    fk_name = "contest"
    fields = ("rank", "person", "party", "votes", "won", "margin", "status")
    readonly_fields = fields
    ordering = (F("votes").desc(nulls_last=True), "rank", "id")
    select_related = ("party",)
    verbose_name_plural = "candidates, by votes"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contest)
class ContestAdmin(NormalisedNameSearchMixin, RecordAdmin):
    fields = (
        "election",
        "constituency",
        ("total_votes", "nota_votes", "electors"),
        "result_declared",
        "result",
    )
    readonly_fields = ("result",)
    list_display = (
        "constituency_number",
        "constituency_name",
        "election",
        "winner",
        "winner_party",
        "margin",
        "total_votes",
        "nota_votes",
    )
    list_display_links = ("constituency_number", "constituency_name")
    ordering = ("election_id", "constituency__number")  # the model's is by constituency id: import order
    list_select_related = ("constituency", "election")
    list_prefetch_related = (winners_prefetch(),)
    list_filter = (("election", admin.RelatedOnlyFieldListFilter), "constituency__reservation", WinnerPartyFilter)
    search_fields = ("constituency__name", "constituency__search_name")
    search_help_text = "The constituency's name; case, accents and punctuation are ignored."
    autocomplete_fields = ("election", "constituency")
    inlines = (ContestCandidacyInline, CitationInline)

    def get_queryset(self, request):
        # For sorting by the winner's party (the margin is stored: Contest.winner_margin).
        winner = winning_candidacies(OuterRef("pk"))
        return super().get_queryset(request).annotate(winner_party_name=Subquery(winner.values("party__name")[:1]))

    @admin.display(description="no.", ordering="constituency__number")
    def constituency_number(self, contest):
        return contest.constituency.number

    @admin.display(description="constituency", ordering="constituency__name")
    def constituency_name(self, contest):
        return contest.constituency.name

    @admin.display(description="winner")
    def winner(self, contest):
        return winner_link(winner_of(contest))

    @admin.display(description="winner's party", ordering="winner_party_name")
    def winner_party(self, contest):
        winner = winner_of(contest)
        return party_link(winner.party) if winner else None

    @admin.display(description="margin", ordering="winner_margin")
    def margin(self, contest):
        return contest.winner_margin

    @admin.display(description="result")
    def result(self, contest):
        if contest.pk is None:
            return EMPTY
        winner = winner_of(contest)
        nota = EMPTY
        if contest.nota_votes is not None:
            share = f" ({contest.nota_votes * 100 / contest.total_votes:.2f} % of votes)" if contest.total_votes else ""
            nota = f"{contest.nota_votes:,}{share}"
        if winner is None:
            return format_html("No winner recorded. NOTA: {}.", nota)
        return format_html(
            "Won by {} ({}) with {} votes, by {} votes. NOTA (none of the above): {}.",
            winner_link(winner),
            party_link(winner.party) or "no party",
            number(winner.votes),
            number(winner.margin),
            nota,
        )


# -- constituencies ---------------------------------------------------------


class ContestInline(RecordInline):
    """A constituency's contests, one per election, read-only (each opens in its own page)."""

    model = Contest
    fields = ("election", "total_votes", "nota_votes", "electors", "winner", "winner_party", "margin")
    readonly_fields = fields
    ordering = (F("election__start_earliest").asc(nulls_last=True), "election_id")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(winners_prefetch())

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="winner")
    def winner(self, contest):
        return winner_link(winner_of(contest))

    @admin.display(description="winner's party")
    def winner_party(self, contest):
        winner = winner_of(contest)
        return party_link(winner.party) if winner else None

    @admin.display(description="margin")
    def margin(self, contest):
        winner = winner_of(contest)
        return number(winner.margin) if winner else None


class ConstituencyAliasInline(RecordInline):
    model = ConstituencyAlias
    fields = ("name", "kind", "search_name", "status")
    readonly_fields = ("search_name",)


@admin.register(Constituency)
class ConstituencyAdmin(NormalisedNameSearchMixin, RecordAdmin):
    fields = ("slug", "jurisdiction", "number", "name", "search_name", "reservation", "district")
    list_display = ("number", "name", "jurisdiction", "reservation", "district")
    list_select_related = ("jurisdiction", "district")
    list_filter = ("reservation", ("jurisdiction", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "search_name", "slug", "aliases__name", "aliases__search_name")
    search_help_text = "The constituency's name, another name or its slug; case, accents and punctuation are ignored."
    autocomplete_fields = ("jurisdiction", "district")
    readonly_fields = ("search_name",)
    inlines = (ConstituencyAliasInline, ConstituencyIdentifierInline, ContestInline, CitationInline)


@admin.register(ConstituencyAlias)
class ConstituencyAliasAdmin(NormalisedNameSearchMixin, RecordAdmin):
    list_display = ("name", "kind", "constituency", "status")
    list_select_related = ("constituency",)
    list_filter = ("status", "kind")
    search_fields = ("name", "search_name", "constituency__name", "constituency__search_name")
    search_help_text = "The other name or the constituency's name; case, accents and punctuation are ignored."
    autocomplete_fields = ("constituency",)
    fields = ("constituency", "name", "search_name", "kind", "status")
    readonly_fields = ("search_name",)
    inlines = (CitationInline,)


# -- alliances --------------------------------------------------------------


class AllianceForm(PreloadedRelationsForm):
    def clean(self):
        data = super().clean()
        leader, parties = data.get("leader"), data.get("parties")
        if leader is not None and parties is not None and leader not in parties:
            self.add_error("parties", f"The leader, {leader}, is a member too: add it.")
        return data


@admin.register(Alliance)
class AllianceAdmin(RecordAdmin):
    form = AllianceForm
    fields = ("name", "slug", "election", "leader", "parties", "status", "official_seats")
    readonly_fields = ("official_seats",)
    list_display = ("name", "election", "leader", "members", "status")
    list_select_related = ("election", "leader")
    list_prefetch_related = ("parties",)
    list_filter = ("status", ("election", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug", "leader__name")
    search_help_text = "The alliance's name or its leading party."
    autocomplete_fields = ("election", "leader", "parties")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CitationInline,)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is not None else tuple(f for f in fields if f != "official_seats")

    @admin.display(description="members")
    def members(self, alliance):
        return ", ".join(party.abbreviation or party.name for party in alliance.parties.all())

    @admin.display(description="official seats")
    def official_seats(self, alliance):
        """The members' seats in the official results, and what the leader's
        claims say of seats with allies (four queries)."""
        if alliance.pk is None or alliance.election_id is None:
            return EMPTY
        tally = official_tally(alliance.election)
        if not tally:
            return f"Cannot tell: {NO_RESULTS}."
        members = sorted(
            alliance.parties.all(), key=lambda p: (-(tally[p.pk].seats_won if p.pk in tally else 0), p.name)
        )
        total = sum(tally[p.pk].seats_won for p in members if p.pk in tally)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    party_link(party),
                    number(tally[party.pk].seats_won if party.pk in tally else 0),
                    number(tally[party.pk].contested if party.pk in tally else 0),
                    number(tally[party.pk].vote_share if party.pk in tally else None),
                )
                for party in members
            ),
        )
        claims = PartyResult.objects.filter(
            election_id=alliance.election_id, party_id=alliance.leader_id, seats_with_allies__isnull=False
        ).order_by("id")
        claimed = format_html_join(
            "",
            '<li><a href="{}">claimed: {} seats with allies</a>: {}</li>',
            (
                (admin_change_url(claim), number(claim.seats_with_allies), verdict(claim.seats_with_allies == total))
                for claim in claims
            ),
        )
        return format_html(
            '<table id="alliance-seats"><thead><tr><th>party</th><th>seats won</th><th>contests</th>'
            "<th>vote share</th></tr></thead><tbody>{}</tbody>"
            "<tfoot><tr><th>together</th><th>{}</th><th></th><th></th></tr></tfoot></table><ul>{}</ul>",
            rows,
            number(total),
            claimed,
        )


# -- a party's official results (shown on the party's page) -------------------


def party_record(party: Party) -> str:
    """Per election: the party's candidacies, those in official results, seats
    won and votes, linked to the candidacy list (one query)."""
    if party.pk is None:
        return EMPTY
    official = Q(contest__isnull=False)
    rows = (
        Candidacy.objects.filter(party=party)
        .values("election_id", "election__name", "election__start_earliest")
        .annotate(
            total=Count("id"),
            contested=Count("id", filter=official),
            won=Count("id", filter=official & Q(won=True)),
            votes=Sum("votes", filter=official),
        )
        .order_by(F("election__start_earliest").asc(nulls_last=True), "election_id")
    )
    items = format_html_join(
        "",
        '<li>{}: <a href="{}">{} candidacies</a>, {} in official results, {} won, {} votes</li>',
        (
            (
                row["election__name"],
                changelist_url(Candidacy, party__id__exact=party.pk, election__id__exact=row["election_id"]),
                number(row["total"]),
                number(row["contested"]),
                number(row["won"]),
                number(row["votes"] or 0),
            )
            for row in rows
        ),
    )
    return format_html("<ul>{}</ul>", items) if items else "None."
