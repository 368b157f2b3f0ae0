"""A document's workbench (admin, curators only): its text with the
suggestions highlighted, the suggestions by kind with the records they may
name, the records already cited to it, and its annotation to download.

The text is rendered on the server: each stretch of it that suggestions
cover is a ``<mark>`` whose ``data-start``/``data-end`` are its offsets in
the stored text (what quotes are checked against) and whose ``data-s`` lists
the suggestions covering it; overlapping suggestions split the text at every
boundary, so marks never nest. A small script from static files
(records/workbench.js; no inline code, as the CSP wants) links the list and
the text and shows the offsets of a selection.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from records.admin.claiming import ClaimForm, reference_choices
from records.curation.claims import claim_from_selection
from records.models import ClaimStatus, Source
from records.seedbuilder.export import ExportFailed, export_annotation
from records.suggestions import Kind
from records.suggestions.stored import compute_suggestions, kept_suggestions

PERMISSIONS = ("records.view_source", "records.add_citation")
CLAIM_PERMISSIONS = ("records.add_posting", "records.add_event", "records.add_candidacy")
KIND_LABELS = {
    Kind.PERSON: "People",
    Kind.PARTY: "Parties",
    Kind.ORGANISATION: "Organisations",
    Kind.PLACE: "Places",
    Kind.CONSTITUENCY: "Constituencies",
    Kind.NEW_PERSON: "New names: people?",
    Kind.NEW_ORGANISATION: "New names: organisations?",
    Kind.DATE: "Dates",
    Kind.CUE: "Certainty cues",
}


def highlighted_text(text: str, items: list[dict]) -> SafeString:
    """``text`` escaped, each stretch that suggestions cover in a ``<mark>`` (see the module)."""
    starts, ends = defaultdict(list), defaultdict(list)
    for number, item in enumerate(items):
        if 0 <= item["start"] < item["end"] <= len(text):
            starts[item["start"]].append(number)
            ends[item["end"]].append(number)
    boundaries = sorted({0, len(text), *starts, *ends})
    active: dict[int, None] = {}  # the suggestions covering the current stretch, in order
    parts = []
    for start, end in pairwise(boundaries):
        for number in ends.get(start, ()):
            active.pop(number, None)
        for number in starts.get(start, ()):
            active[number] = None
        words = escape(text[start:end])
        if not active:
            parts.append(words)
            continue
        kinds = sorted({items[n]["kind"] for n in active}, key=Kind.ALL.index)
        parts.append(
            f'<mark class="wb-mark {" ".join(f"wb-{kind}" for kind in kinds)}" data-start="{start}" '
            f'data-end="{end}" data-s="{" ".join(map(str, active))}">{words}</mark>'
        )
    return mark_safe("".join(parts))


def _record_link(record: dict) -> str:
    app_label, model = record["model"].lower().split(".")
    try:
        url = reverse(f"admin:{app_label}_{model}_change", args=[record["pk"]])
    except NoReverseMatch:
        return format_html("{}", record["name"])
    return format_html('<a href="{}">{}</a>', url, record["name"])


def suggestion_groups(items: list[dict]) -> list[dict]:
    """The suggestions by kind, in Kind.ALL order, each with what the list shows."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for number, item in enumerate(items):
        records = item["candidates"] or ([item["record"]] if item["record"] else [])
        groups[item["kind"]].append(
            {
                **item,
                "number": number,
                "records": [
                    {"link": _record_link(r), "score": r["score"], "how": r["how"], "matched": r["matched"]}
                    for r in records
                ],
            }
        )
    return [
        {"kind": kind, "label": KIND_LABELS.get(kind, kind), "items": groups[kind]}
        for kind in Kind.ALL
        if kind in groups
    ]


def _source_for(request, pk) -> Source:
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    return get_object_or_404(Source, pk=pk)


def workbench_view(model_admin, request, pk):
    source = _source_for(request, pk)
    if request.method == "POST":  # "Suggest again": records added since may be named in the text
        compute_suggestions(source)
        messages.success(request, "The suggestions were computed again.")
        return redirect(reverse("admin:records_source_workbench", args=[source.pk]))
    return _workbench(model_admin, request, source, ClaimForm(initial={"status": ClaimStatus.CONFIRMED}))


def claim_view(model_admin, request, pk):
    """A claim from the selected words (records/admin/claiming.py); the workbench again, with it or with why not."""
    source = _source_for(request, pk)
    if request.method != "POST":
        return redirect(reverse("admin:records_source_workbench", args=[source.pk]))
    if not request.user.has_perms(CLAIM_PERMISSIONS):
        raise PermissionDenied
    form = ClaimForm(request.POST)
    if form.is_valid():
        values, dates = form.claim_values()
        data = form.cleaned_data
        try:
            claim = claim_from_selection(
                source=source, start=data["start"], end=data["end"], kind=data["kind"], values=values, dates=dates
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(
                request,
                format_html(
                    'Made the {} <a href="{}">{}</a> (a draft, until another curator verifies it).',
                    data["kind"],
                    reverse(f"admin:records_{data['kind']}_change", args=[claim.pk]),
                    claim,
                ),
            )
            return redirect(reverse("admin:records_source_workbench", args=[source.pk]))
    return _workbench(model_admin, request, source, form, status=400)


def _workbench(model_admin, request, source: Source, claim_form: ClaimForm, status: int = 200):
    kept = kept_suggestions(source)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": source,
        "title": f"Workbench: {source}",
        "source": source,
        "text": highlighted_text(source.text, kept["items"]),
        "kept": kept,
        "groups": suggestion_groups(kept["items"]),
        "cited": model_admin.cited_records(source),
        "claim_form": claim_form,
        "choices": reference_choices(kept["items"]),
    }
    return TemplateResponse(request, "admin/records/source/workbench.html", context, status=status)


def annotation_download_view(model_admin, request, pk):
    """The source's annotation as a YAML file; what cannot be exported is listed on the workbench."""
    source = _source_for(request, pk)
    try:
        annotation = export_annotation(source)
    except ExportFailed as exc:
        messages.error(request, "The annotation cannot be exported: " + "; ".join(exc.problems))
        return redirect(reverse("admin:records_source_workbench", args=[source.pk]))
    response = HttpResponse(annotation, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}.yaml"'
    return response


def document_download_view(model_admin, request, pk):
    """The stored text, byte for byte: with the annotation, what ``ingest_document`` records."""
    source = _source_for(request, pk)
    response = HttpResponse(source.text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}.txt"'
    return response
