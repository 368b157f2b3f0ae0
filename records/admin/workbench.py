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

from records.admin.claiming import (
    DRAFTED,
    ClaimForm,
    LinkForm,
    claim_by_reference,
    claim_label,
    document_claims,
    reference_choices,
)
from records.curation.claims import NEW_RECORDS, claim_from_selection, link_from_selection, record_from_selection
from records.curation.review import may_verify, verify
from records.models import ClaimLink, ClaimStatus, Organisation, ReviewStatus, Source
from records.seedbuilder.export import ExportFailed, export_annotation
from records.suggestions import Kind
from records.suggestions.stored import compute_suggestions, kept_suggestions

PERMISSIONS = ("records.view_source", "records.add_citation")
CLAIM_PERMISSIONS = (
    "records.add_posting",
    "records.add_event",
    "records.add_candidacy",
    "records.add_personrelation",
    "records.add_personalias",
    "records.add_partyresult",
    "records.add_claimlink",
)
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
    return _workbench(model_admin, request, source)


def _claim_targets(source: Source) -> list[tuple[str, str]]:
    """The claims the forms may name (records/admin/claiming.py ``document_claims``)."""
    return document_claims(source, kept_suggestions(source)["items"])[0]


def _back(source: Source):
    return redirect(reverse("admin:records_source_workbench", args=[source.pk]))


def _change_link(record, labels: dict[str, str] | None = None) -> str:
    """A link to the record's admin page, named as the workbench's lists name it;
    a claim link by its two claims' labels where ``labels`` ("type:id" -> label) has them."""
    meta = record._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    if meta.model_name != "claimlink":
        return format_html('<a href="{}">{}</a>', url, claim_label(record))
    labels = labels or {}
    later = labels.get(f"{record.claim_type.model}:{record.claim_id}", f"{record.claim_type.model} {record.claim_id}")
    earlier = labels.get(
        f"{record.target_type.model}:{record.target_id}", f"{record.target_type.model} {record.target_id}"
    )
    return format_html('<a href="{}">{} — {} — {}</a>', url, later, record.kind, earlier)


def claim_view(model_admin, request, pk):
    """A claim from the selected words (records/admin/claiming.py); the workbench again, with it or with why not."""
    source = _source_for(request, pk)
    if request.method != "POST":
        return _back(source)
    if not request.user.has_perms(CLAIM_PERMISSIONS):
        raise PermissionDenied
    form = ClaimForm(request.POST, targets=_claim_targets(source))
    if form.is_valid():
        data = form.cleaned_data
        values, dates = form.claim_values(source.text[data["start"] : data["end"]])
        try:
            claim = claim_from_selection(
                source=source,
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
                values=values,
                dates=dates,
                user=request.user,
                link=data.get("link"),
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            message = "Made {} (a draft: public reads show it once another curator verifies it)."
            messages.success(request, format_html(message, _change_link(claim)))
            return _back(source)
    return _workbench(model_admin, request, source, claim_form=form, status=400)


def link_view(model_admin, request, pk):
    """A link between two claims that exist, cited to the selected words."""
    source = _source_for(request, pk)
    if request.method != "POST":
        return _back(source)
    if not request.user.has_perm("records.add_claimlink"):
        raise PermissionDenied
    form = LinkForm(request.POST, targets=_claim_targets(source))
    if form.is_valid():
        data = form.cleaned_data
        try:
            link = link_from_selection(
                source=source,
                start=data["start"],
                end=data["end"],
                claim=data["claim"],
                kind=data["kind"],
                target=data["target"],
                user=request.user,
            )
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    form.add_error(None, message)
        else:
            messages.success(request, format_html("Linked: {} (a draft).", _change_link(link)))
            return _back(source)
    return _workbench(model_admin, request, source, link_form=form, status=400)


def new_record_view(model_admin, request, pk):
    """A new person or organisation from a suggested new name (records.curation.claims.record_from_selection)."""
    source = _source_for(request, pk)
    if request.method != "POST":
        return _back(source)
    kind = request.POST.get("kind", "")
    if kind not in NEW_RECORDS:
        messages.error(request, "Say whether the name is a person or an organisation.")
        return _back(source)
    if not request.user.has_perm(f"records.add_{kind}"):
        raise PermissionDenied
    try:
        start, end = int(request.POST.get("start", "")), int(request.POST.get("end", ""))
        record = record_from_selection(
            source=source,
            start=start,
            end=end,
            kind=kind,
            user=request.user,
            organisation_kind=request.POST.get("organisation_kind", ""),
            confirmed=request.POST.get("confirmed") == "1",
        )
    except ValueError:
        messages.error(request, "Select the words that name it.")
    except ValidationError as exc:
        messages.error(request, " ".join(message for messages_ in exc.message_dict.values() for message in messages_))
    else:
        url = reverse(f"admin:records_{kind}_change", args=[record.pk])
        message = 'Added the {} <a href="{}">{}</a> ({}), a draft: claims may name it now.'
        messages.success(request, format_html(message, record._meta.verbose_name, url, record.name, record.slug))
    return _back(source)


def verify_view(model_admin, request, pk):
    """A second curator verifies a pending record cited to this document (and the links drafted with it)."""
    source = _source_for(request, pk)
    if request.method != "POST":
        return _back(source)
    try:
        record = claim_by_reference(request.POST.get("record", ""), allowed=DRAFTED)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(source)
    if not request.user.has_perm(f"records.change_{record._meta.model_name}"):
        raise PermissionDenied
    if record.review_status == ReviewStatus.VERIFIED:
        messages.info(request, "It was verified already.")
        return _back(source)
    try:
        verified = verify(record, request.user, reason=f"verified on the workbench of {source.slug}")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(source)
    also = f" and {len(verified) - 1} link(s) drafted with it" if len(verified) > 1 else ""
    messages.success(request, format_html("Verified {}{}: public reads show it now.", _change_link(record), also))
    return _back(source)


def _pending(records: list, user, labels: dict[str, str]) -> list[dict]:
    """The records waiting for a second curator, and whether ``user`` may verify each."""
    return [
        {
            "reference": f"{record._meta.model_name}:{record.pk}",
            "link": _change_link(record, labels),
            "drafted_by": record.drafted_by,
            "may_verify": may_verify(user, record),
        }
        for record in sorted(records, key=lambda r: (r._meta.model_name, r.pk))
    ]


def _workbench(model_admin, request, source: Source, claim_form=None, link_form=None, status: int = 200):
    kept = kept_suggestions(source)
    targets, waiting = document_claims(source, kept["items"])
    if claim_form is None:
        claim_form = ClaimForm(initial={"status": ClaimStatus.CONFIRMED}, targets=targets)
    if link_form is None:
        link_form = LinkForm(initial={"kind": ClaimLink.Kind.CONFIRMS}, targets=targets)
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
        "link_form": link_form,
        "pending": _pending(waiting, request.user, dict(targets)),
        "choices": reference_choices(kept["items"]),
        "organisation_kinds": Organisation.Kind.choices,
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
