"""The admin's "Add a document" page (on sources): a curator pastes a
document's text or uploads it (.txt or .html), gives its details, and the
document is recorded with no claim yet; claims are made from it on its
workbench page. The text rules: records/document_text.py."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from records.curation.documents import DocumentDetails, DuplicateDocument, add_document, check_language_tag
from records.document_text import NotUtf8, decode_utf8, html_to_text, looks_like_html
from records.models import Source

PERMISSION = "records.add_source"
# A document's UTF-8 bytes, pasted or uploaded; under the request body limit
# (DJANGO_REQUEST_BODY_MAX_BYTES, 1 MiB), which answers 413 to anything bigger.
MAX_DOCUMENT_BYTES = 1_000_000
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")


class AddDocumentForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField"}),
        help_text="The document's text as published. Quotes are checked against it exactly: "
        "it is stored as given, after ' date YYYY-MM-DD ' (the publication date).",
    )
    upload = forms.FileField(
        required=False,
        label="or a file",
        help_text="A .txt or .html file in UTF-8, at most 1 MB. HTML is reduced to its text: paragraphs "
        "separated by a blank line; scripts, styles, navigation, asides and footers left out.",
    )
    published_on = forms.DateField(
        label="publication date", widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD."
    )
    title = forms.CharField(required=False, max_length=500)
    publisher = forms.CharField(required=False, max_length=200)
    url = forms.URLField(required=False, max_length=1000, label="URL", assume_scheme="https")
    not_stated = forms.MultipleChoiceField(
        choices=[(name, name) for name in Source.STATABLE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="not stated",
        help_text="Tick what the document itself does not state: an empty title, publisher or URL must be ticked "
        "here, so that nobody has to guess whether it is unknown or not entered yet.",
    )
    language = forms.CharField(initial="en", max_length=16, help_text="BCP 47 language tag: en, hi, en-IN...")
    license = forms.CharField(required=False, max_length=200)
    slug = forms.SlugField(
        required=False,
        max_length=120,
        help_text="The document's key; by default its publication date and the start of its SHA-256.",
    )

    def clean_language(self) -> str:
        tag = self.cleaned_data["language"].strip()
        check_language_tag(tag)
        return tag

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug and Source.objects.filter(slug=slug).exists():
            raise ValidationError(f"A source already has the key {slug!r}.")
        return slug

    def clean_upload(self) -> str | None:
        """The uploaded file's text (HTML reduced), or None without a file."""
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        name = upload.name or ""
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise ValidationError(f"Upload a .txt or .html file, not {name!r}.")
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(f"The file has {upload.size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}.")
        try:
            text = decode_utf8(upload.read())
        except NotUtf8 as exc:
            raise ValidationError(str(exc)) from None
        return html_to_text(text) if looks_like_html(name, text) else text

    def clean(self):
        data = super().clean()
        pasted, uploaded = data.get("text"), data.get("upload")
        if pasted and uploaded is not None:
            raise ValidationError("Paste the text or upload a file, not both.")
        if pasted and len(pasted.encode("utf-8")) > MAX_DOCUMENT_BYTES:
            raise ValidationError(f"The text is over {MAX_DOCUMENT_BYTES:,} bytes (UTF-8), the limit for a document.")
        body = uploaded if uploaded is not None else pasted
        if "upload" not in self.errors and not (body or "").strip():
            raise ValidationError("The document has no text: paste it or upload a file.")
        data["body"] = body
        for name in Source.STATABLE:
            given, ticked = bool(data.get(name)), name in data.get("not_stated", ())
            if given and ticked:
                self.add_error(name, f"Given, yet ticked as not stated: the document states its {name}.")
            elif not given and not ticked and name not in self.errors:
                self.add_error(name, f"Give the {name}, or tick it under 'not stated' if the document has none.")
        return data


def add_document_view(model_admin, request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = AddDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = DocumentDetails(
            published_on=data["published_on"],
            **{name: data[name] for name in ("title", "publisher", "url", "language", "license", "slug")},
            not_stated=tuple(data["not_stated"]),
        )
        try:
            source = add_document(body=data["body"], details=details)
        except DuplicateDocument as exc:
            existing = exc.existing
            form.add_error(
                None,
                format_html(
                    'This document is already recorded: <a href="{}">{}</a> ({}). Nothing was added.',
                    reverse("admin:records_source_change", args=[existing.pk]),
                    existing,
                    existing.slug,
                ),
            )
        except (ValidationError, ValueError) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(request, f"Added {source.slug}: {len(source.text):,} characters.")
            return redirect(reverse("admin:records_source_workbench", args=[source.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Add a document",
        "form": form,
    }
    return TemplateResponse(request, "admin/records/source/add_document.html", context)
