"""The admin's "Record a document" page (on sources): a curator pastes a
document and its annotation and they are recorded as ``manage.py
ingest_document`` records them (records/ingest/), all or nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from records.ingest import IngestFailed, ingest_texts
from records.models import Source

PERMISSIONS = ("records.add_source", "records.add_citation")


class DocumentForm(forms.Form):
    slug = forms.SlugField(max_length=100, help_text="The source's key, e.g. 003_b84d1872df6a742e.")
    text = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text="Verbatim: ' date YYYY-MM-DD ' then the document. Its SHA-256 is the annotation's source.sha256.",
    )
    annotation = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text="What the document says, in the format of seeds/README.md (YAML).",
    )


def record_document_view(model_admin, request):
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    form, problems = DocumentForm(request.POST or None), []
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["slug"]
        # Browsers send textarea lines ending in CRLF: the document's bytes are its LF text.
        text = form.cleaned_data["text"].replace("\r\n", "\n")
        annotation = form.cleaned_data["annotation"].replace("\r\n", "\n")
        try:
            result = ingest_texts(slug, text, annotation, folder="form")
        except IngestFailed as exc:
            problems = [str(problem) for problem in exc.problems]
        if not problems:
            if result.already:
                messages.info(request, f"This document is already recorded ({result.already[0]}); nothing changed.")
                slug = result.already[0]
            else:
                slug = result.ingested[0]  # a document added before keeps its own key
                messages.success(request, f"Recorded {slug}: " + "; ".join(result.counts.lines()))
            source = Source.objects.get(slug=slug)
            return redirect(reverse("admin:records_source_change", args=[source.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Record a document",
        "form": form,
        "problems": problems,
    }
    return TemplateResponse(request, "admin/records/source/record_document.html", context)
