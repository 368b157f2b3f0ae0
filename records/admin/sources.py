"""Sources (verbatim documents) and citations (their exact words, tied to records)."""

from __future__ import annotations

import functools
from collections import defaultdict

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Count
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from records.admin.adding import add_document_view
from records.admin.base import LABEL_RELATED, RecordAdmin, labelled
from records.admin.citations import CitationForm, admin_change_url, quote_in_context
from records.admin.documents import record_document_view
from records.admin.workbench import (
    annotation_download_view,
    claim_view,
    document_download_view,
    link_view,
    new_record_view,
    verify_view,
    workbench_view,
)
from records.models import Citation, Source
from records.models.base import CitedRecord

CITED_BY_SHOWN = 100  # records of each kind listed on a source's page


def cited_record_models():
    """The models a citation can point at: concrete cited records."""
    return [
        model
        for model in apps.get_app_config("records").get_models()
        if issubclass(model, CitedRecord) and not model._meta.proxy
    ]


def link_to(record) -> str:
    """The record's label, linked to its change page when it has one."""
    try:
        return format_html('<a href="{}">{}</a>', admin_change_url(record), record)
    except NoReverseMatch:
        return format_html("{}", record)


class SourceForm(forms.ModelForm):
    """What the document does not state, as checkboxes (the field is a JSON list)."""

    not_stated = forms.MultipleChoiceField(
        choices=[(name, name) for name in Source.STATABLE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Source._meta.get_field("not_stated").help_text,
    )

    class Meta:
        model = Source
        fields = ("not_stated",)  # the admin adds its own `fields`


# The workbench's pages and actions: (URL after <id>/workbench/, view, URL name after records_source_).
WORKBENCH_URLS = (
    ("", workbench_view, "workbench"),
    ("claim/", claim_view, "claim"),
    ("link/", link_view, "link"),
    ("new-record/", new_record_view, "new_record"),
    ("verify/", verify_view, "verify"),
    ("annotation.yaml", annotation_download_view, "annotation"),
    ("document.txt", document_download_view, "document"),
)


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    form = SourceForm
    list_display = ("__str__", "slug", "kind", "publisher", "published_on", "language", "citation_count")
    list_filter = ("kind", "language", ("published_on", admin.DateFieldListFilter))
    list_defer = ("text",)  # the list shows no document text; a page of them would be heavy
    search_fields = ("slug", "title", "publisher", "url", "text")
    search_help_text = "Slug, title, publisher, URL or any words of the document."
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        ("slug", "kind"),
        "title",
        ("publisher", "published_on", "language"),
        "url",
        "not_stated",
        ("license", "path"),
        "sha256",
        "text",
        "cited_records",
    )

    def get_urls(self):
        own = [
            path(
                "record-document/",
                self.admin_site.admin_view(lambda request: record_document_view(self, request)),
                name="records_source_record_document",
            ),
            path(
                "add-document/",
                self.admin_site.admin_view(lambda request: add_document_view(self, request)),
                name="records_source_add_document",
            ),
            *(
                path(
                    f"<int:pk>/workbench/{suffix}",
                    self.admin_site.admin_view(functools.partial(view, self)),
                    name=f"records_source_{name}",
                )
                for suffix, view, name in WORKBENCH_URLS
            ),
        ]
        return own + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        # Documents are verbatim: they change by rebuilding the fixtures from
        # seeds/, never by hand. A new source (say, a dataset known by its URL)
        # needs its file's hash entered once.
        if obj is None:
            return ("text", "cited_records")
        return ("text", "sha256", "cited_records")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, source):
        return source.citation_total

    @admin.display(description="cited by")
    def cited_records(self, source):
        """The records citing this source, by kind, each linked to its page (the
        first CITED_BY_SHOWN of each kind, then a link to the citations of the rest).

        One query for the citations, then one in_bulk per kind of record: never
        a query per citation."""
        if source.pk is None:
            return "-"
        fields_by_record = defaultdict(set)
        for content_type_id, object_id, field in source.citations.order_by().values_list(
            "content_type_id", "object_id", "field"
        ):
            fields_by_record[content_type_id, object_id].add(field or "whole record")
        ids_by_type = defaultdict(list)
        for content_type_id, object_id in fields_by_record:
            ids_by_type[content_type_id].append(object_id)

        url = reverse("admin:records_citation_changelist") + f"?source__id__exact={source.pk}"
        sections = []
        for content_type_id, ids in ids_by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:  # a stale content type: its model no longer exists
                continue
            # A dataset is cited by thousands of records: list the first ones
            # and link to the citations for the rest.
            shown = sorted(ids)[:CITED_BY_SHOWN]
            records = labelled(model._default_manager.all()).in_bulk(shown)
            items = format_html_join(
                "",
                '<li>{} <span class="help">({})</span></li>',
                (
                    (
                        link_to(records[i]) if i in records else f"missing {model._meta.verbose_name} #{i}",
                        ", ".join(sorted(fields_by_record[content_type_id, i])),
                    )
                    for i in sorted(shown, key=lambda i: str(records.get(i, "")))
                ),
            )
            if len(ids) > len(shown):
                items += format_html(
                    '<li><a href="{}&amp;content_type__id__exact={}">… and {} more</a></li>',
                    url,
                    content_type_id,
                    len(ids) - len(shown),
                )
            sections.append((model._meta.verbose_name_plural, len(ids), items))
        sections.sort()
        return format_html(
            '<p><a href="{}">{} citations</a> of {} records</p>{}',
            url,
            sum(len(fields) for fields in fields_by_record.values()),
            len(fields_by_record),
            format_html_join("", "<h4>{} ({})</h4><ul>{}</ul>", sections),
        )


class CitationAdminForm(CitationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "content_type" in self.fields:
            names = [model._meta.model_name for model in cited_record_models()]
            self.fields["content_type"].queryset = ContentType.objects.filter(app_label="records", model__in=names)

    def clean(self):
        data = super().clean()
        content_type, object_id = data.get("content_type"), data.get("object_id")
        if content_type and object_id is not None:
            model = content_type.model_class()
            if not model._default_manager.filter(pk=object_id).exists():
                self.add_error("object_id", f"There is no {model._meta.verbose_name} #{object_id}.")
        return data


@admin.register(Citation)
class CitationAdmin(RecordAdmin):
    form = CitationAdminForm
    list_display = ("quote_excerpt", "source", "record_type", "record_link", "field", "said")
    list_select_related = ("source", "content_type")
    list_defer = ("source__text",)
    # Each record's label, one query per kind of record on the page.
    list_prefetch_related = (
        GenericPrefetch("record", [labelled(model.objects.all()) for model in LABEL_RELATED if model is not Citation]),
    )
    list_filter = (("source", admin.RelatedOnlyFieldListFilter), ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("quote", "said", "field", "locator", "source__slug", "source__title")
    search_help_text = (
        "Words of the quote, the relative date words, the field, the dataset row, or the source's slug or title."
    )
    autocomplete_fields = ("source",)
    fields = (
        "source",
        ("content_type", "object_id"),
        "record_link",
        "field",
        "quote",
        ("start", "end"),
        "locator",
        "said",
        "evidence",
    )
    readonly_fields = ("record_link", "evidence")

    @admin.display(description="quote", ordering="quote")
    def quote_excerpt(self, citation):
        if not citation.quote and citation.locator:  # a dataset row
            return format_html("row <code>{}</code>", citation.locator)
        return Truncator(citation.quote).chars(80)

    @admin.display(description="record type", ordering="content_type__model")
    def record_type(self, citation):
        return citation.content_type.name

    @admin.display(description="record")
    def record_link(self, citation):
        if citation.pk is None:
            return "-"
        if Citation._meta.get_field("record").is_cached(citation):  # prefetched on the changelist
            record = citation.record
        else:  # the change page: one query, joined to what the label needs
            model = citation.content_type.model_class()
            record = model and labelled(model._default_manager.filter(pk=citation.object_id)).first()
        return link_to(record) if record is not None else f"missing #{citation.object_id}"

    @admin.display(description="in context")
    def evidence(self, citation):
        return quote_in_context(citation)
