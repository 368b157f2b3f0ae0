"""Evidence in view: every record's citations, each quote shown where it
stands in its source."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericStackedInline
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from records.admin.base import CuratedMixin, PreloadedRelationsForm
from records.models import Citation

EVIDENCE_CONTEXT = 100  # characters of source text either side of the quote


def admin_change_url(obj: models.Model) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def quote_in_context(citation: Citation) -> str:
    """The cited words highlighted inside the source text around them, with the
    source's publication date. All text is escaped by format_html."""
    if citation.pk is None or citation.source_id is None:
        return "-"
    source = citation.source
    if citation.start is None or citation.end is None:
        return dataset_row(citation)
    text, start, end = source.text, citation.start, citation.end
    lead_from, tail_to = max(0, start - EVIDENCE_CONTEXT), min(len(text), end + EVIDENCE_CONTEXT)
    before, quoted, after = text[lead_from:start], text[start:end], text[end:tail_to]
    if lead_from > 0:  # start and end on whole words
        before = "…" + before.split(" ", 1)[-1]
    if tail_to < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    warning = ""
    if quoted != citation.quote:
        warning = format_html('<strong class="errornote">Offsets {}-{} do not hold this quote.</strong>', start, end)
    return format_html(
        # spans, not divs: the admin wraps read-only values in <p>.
        '{}<span style="display: block; white-space: pre-wrap; max-width: 60em">{}<mark>{}</mark>{}</span>'
        '<span class="help" style="display: block"><a href="{}">{}</a>, published {}</span>',
        warning,
        before,
        quoted,
        after,
        admin_change_url(source),
        source,
        source.published_on or "on an unknown date",
    )


def dataset_row(citation: Citation) -> str:
    """Where a citation without offsets points: a row of a dataset."""
    source = citation.source
    return format_html(
        'Row <code>{}</code> of <a href="{}">{}</a>{}',
        citation.locator or "?",
        admin_change_url(source),
        source.slug,
        format_html(" ({})", source.license) if source.license else "",
    )


class CitationForm(PreloadedRelationsForm):
    """Offsets may be left empty: they are then those of the quote's first
    occurrence in the source (Citation.clean checks them either way)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text += " Leave empty to use the quote's first occurrence."

    def clean(self):
        data = super().clean()
        source, quote, start = data.get("source"), data.get("quote"), data.get("start")
        if source is None or not quote:
            return data
        if start is None:
            start = source.text.find(quote)
            if start < 0:
                self.add_error("quote", f"The quote does not occur in {source.slug}.")
                return data
            data["start"] = start
        if data.get("end") is None:
            data["end"] = start + len(quote)
        return data


class CitationInline(CuratedMixin, GenericStackedInline):
    """The citations of whatever record the page shows, each quote in context
    (stacked, as every inline: see RecordInline)."""

    model = Citation
    form = CitationForm
    extra = 0
    show_change_link = True
    fields = ("source", "field", "quote", "start", "end", "locator", "said", "evidence")
    readonly_fields = ("evidence",)
    autocomplete_fields = ("source",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}

    def get_queryset(self, request):
        # prefetch, not select_related: each source's text is read once, not once per row.
        return super().get_queryset(request).prefetch_related("source")

    @admin.display(description="in context")
    def evidence(self, citation):
        return quote_in_context(citation)
