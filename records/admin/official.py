"""What the results pages share: official totals and the check of what sources
claim against them (records.selectors), winners of contests, and small formatters."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator

from records.admin.citations import admin_change_url
from records.models import (
    Candidacy,
    Citation,
    Contest,
    Election,
    Party,
    Source,
)
from records.selectors import ClaimCheck, ElectionResults, FieldCheck, check_claims

NO_RESULTS = "no official results imported for this election"  # records.selectors's words
FIELD_LABELS = {"seats_won": "seats won", "seats_with_allies": "seats with allies", "vote_share": "vote share"}
EMPTY = "—"


def changelist_url(model, **filters) -> str:
    url = reverse(f"admin:records_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def number(value: int | Decimal | None) -> str:
    if value is None:
        return EMPTY
    return str(value) if isinstance(value, Decimal) else f"{value:,}"


# -- claims against official results ----------------------------------------


def verdict(agrees: bool | None) -> str:
    return {True: "agrees", False: "disagrees", None: "cannot check"}[agrees]


def verdict_html(agrees: bool | None) -> str:
    return format_html('<span class="verdict">{} {}</span>', _boolean_icon(agrees), verdict(agrees))


def citations_of(records: list) -> dict[int, list[Citation]]:
    """Each record's citations with their sources (texts not loaded), in one query."""
    if not records:
        return {}
    out: dict[int, list[Citation]] = {record.pk: [] for record in records}
    citations = (
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(records[0]),
            object_id__in=list(out),
        )
        .select_related("source")
        .defer("source__text")
        .order_by("object_id", "start", "id")
    )
    for citation in citations:
        out[citation.object_id].append(citation)
    return out


def sources_html(sources: list[Source]) -> str:
    if not sources:
        return "none imported"
    return format_html_join(
        ", ",
        '<a href="{}">{}</a> (license: {})',
        ((admin_change_url(source), source.slug, source.license or "not stated") for source in sources),
    )


def citation_html(citation: Citation) -> str:
    source = citation.source
    where = (
        format_html("“{}”", Truncator(citation.quote).chars(300))
        if citation.quote
        else format_html("row <code>{}</code>", citation.locator)
    )
    return format_html(
        '<a href="{}">{}</a>, {}{}: {}',
        admin_change_url(source),
        source.slug,
        source.published_on or "date unknown",
        format_html(" (on {})", citation.field) if citation.field else "",
        where,
    )


def field_check_text(check: FieldCheck) -> str:
    text = f"{FIELD_LABELS[check.field]}: {number(check.claimed)} vs {number(check.official)}, {verdict(check.agrees)}"
    return f"{text} ({check.note})" if check.note else text


def official_summary(election: Election, results: ElectionResults) -> str:
    if not results.contests:
        return f"None: {NO_RESULTS}."
    return format_html(
        '<a href="{}">{} contests</a> with <a href="{}">{} candidacies</a>; dataset: {}',
        changelist_url(Contest, election__id__exact=election.pk),
        number(results.contests),
        changelist_url(Candidacy, election__id__exact=election.pk, official="yes"),
        number(results.candidacies),
        sources_html(results.sources),
    )


def cross_check_table(results: ElectionResults) -> str:
    """Per claim: a heading (party, status, overall verdict, the claim's sources
    and the official dataset), then one row per field, claimed next to official."""
    if not results.contests:
        return f"Nothing to check claims against: {NO_RESULTS}."
    if not results.checks:
        return "No party results are claimed for this election."
    official = sources_html(results.sources)
    citations = citations_of([check.claim for check in results.checks])
    claims = []
    for check in results.checks:
        claim = check.claim
        cited = citations.get(claim.pk) or []
        heading = format_html(
            '<tr><th colspan="5"><a href="{}">{}</a> ({}): {}'
            '<div class="help">claimed in: {}<br>official: {}</div></th></tr>',
            admin_change_url(claim),
            claim.party,
            claim.get_status_display(),
            verdict_html(check.agrees),
            format_html_join("; ", "{}", ((citation_html(c),) for c in cited)) if cited else "no citation",
            official,
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (FIELD_LABELS[c.field], number(c.claimed), number(c.official), verdict_html(c.agrees), c.note)
                for c in check.checks
            ),
        )
        claims.append((heading, rows))
    return format_html(
        '<table id="cross-check"><thead><tr><th>field</th><th>claimed</th><th>official</th><th>verdict</th>'
        "<th>note</th></tr></thead>{}</table>",
        format_html_join("", "<tbody>{}{}</tbody>", claims),
    )


def attach_checks(results) -> None:
    """Sets ``official_check`` (a ClaimCheck, or None without official results)
    on each PartyResult: the tally is computed once per election, never per row."""
    results = list(results)
    elections = {result.election_id: result.election for result in results}
    with_results = set(
        Contest.objects.filter(election_id__in=elections).order_by().values_list("election_id", flat=True).distinct()
    )
    checks = {}
    for election_id in sorted(with_results):
        checks.update((check.claim.pk, check) for check in check_claims(elections[election_id]))
    for result in results:
        result.official_check = checks.get(result.pk)


def check_summary(check: ClaimCheck | None) -> str:
    if check is None:
        return format_html('{}<div class="help">{}</div>', verdict_html(None), NO_RESULTS)
    lines = [field_check_text(c) for c in check.checks if c.claimed is not None]
    return format_html(
        '{}<div class="help">{}</div>', verdict_html(check.agrees), format_html_join("; ", "{}", ((t,) for t in lines))
    )


# -- winners ----------------------------------------------------------------


def winners_prefetch() -> Prefetch:
    """A contest's winner(s), with person and party, as ``contest.winners``: one query a page."""
    return Prefetch(
        "candidacies",
        queryset=Candidacy.objects.filter(won=True).select_related("person", "party").order_by("id"),
        to_attr="winners",
    )


def winner_of(contest: Contest) -> Candidacy | None:
    winners = getattr(contest, "winners", None)
    if winners is None:  # not prefetched: a single contest's page
        winners = list(contest.candidacies.filter(won=True).select_related("person", "party").order_by("id")[:1])
    return winners[0] if winners else None


def winner_link(candidacy: Candidacy | None) -> str | None:
    if candidacy is None:
        return None
    return format_html('<a href="{}">{}</a>', admin_change_url(candidacy.person), candidacy.person)


def party_link(party: Party | None) -> str | None:
    return format_html('<a href="{}">{}</a>', admin_change_url(party), party.abbreviation or party) if party else None


def winning_candidacies(contest_id: OuterRef | int):
    return Candidacy.objects.filter(contest=contest_id, won=True).order_by("id")


class WinnerPartyFilter(admin.SimpleListFilter):
    """Contests won by a party, or by a candidate of none; the choices are the
    parties that won any (in the election filtered on, if any), with their
    seats (one query)."""

    title = "winner's party"
    parameter_name = "winner_party"
    NO_PARTY = "none"

    def lookups(self, request, model_admin):
        wins = Candidacy.objects.filter(won=True, contest__isnull=False)
        election = request.GET.get("election__id__exact", "")
        if election.isdigit():
            wins = wins.filter(contest__election_id=election)
        rows = wins.values("party_id", "party__name").annotate(seats=Count("id")).order_by("-seats", "party__name")
        return [
            (str(row["party_id"] or self.NO_PARTY), f"{row['party__name'] or 'no party'} ({row['seats']})")
            for row in rows
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        winners = winning_candidacies(OuterRef("pk"))
        if value == self.NO_PARTY:
            return queryset.filter(Exists(winners.filter(party__isnull=True)))
        if not value.isdigit():
            raise IncorrectLookupParameters(f"{self.parameter_name} must be a party id or {self.NO_PARTY!r}")
        return queryset.filter(Exists(winners.filter(party_id=value)))
