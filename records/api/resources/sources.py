"""Sources: the documents and datasets every record cites, with their claims."""

from __future__ import annotations

import functools
import hashlib

import django_filters as filters
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from records.api import writes
from records.api.dependencies import spec_models
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.filtering import (
    KeysetOrderingFilter,
    RecordsFilterSet,
    StrictDateFilter,
)
from records.api.filtersets.relations import (
    person_filters,
)
from records.api.history import pagination_parameters
from records.api.keyset import PagePlan
from records.api.readspec import Computed, Day, Field, Many, Spec, Timestamp, fields
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import ModelWriteSerializer
from records.models import (
    Candidacy,
    Citation,
    Event,
    Person,
    PersonAlias,
    PersonRelation,
    Posting,
    Source,
)

CLAIM_CITATION = Spec(
    Citation,
    "ClaimCitation",
    [
        Field("id"),
        Field(
            "record_type",
            "content_type__model",
            schema=serializers.CharField(read_only=True, help_text='Kind of record: "person", "posting", "event"...'),
        ),
        Field("record_id", "object_id", schema=serializers.IntegerField(read_only=True)),
        *fields("field quote start end said locator"),
    ],
    doc="A quote of this source and the record it supports.",
)
IN_TEXT_ORDER = ("start", "id")

# A dataset cites thousands of records: its detail carries the first claims,
# the rest are a paginated list (/sources/{id}/claims/).
CLAIMS_IN_DETAIL = 100

SOURCE = Spec(
    Source,
    "Source",
    [
        *fields("id slug kind title publisher url"),
        Field(
            "not_stated",
            schema=serializers.ListField(
                child=serializers.ChoiceField(choices=Source.STATABLE),
                read_only=True,
                help_text='What the document itself does not state, of "title", "publisher" and "url": an empty '
                "title, publisher or url named here is absent from the document; one not named here is not known "
                "(yet).",
            ),
        ),
        Day("published_on"),
        *fields("language license path sha256"),
        Timestamp("updated_at"),
    ],
)


def claims_url(context: dict, pk: int) -> str:
    path = reverse("source-claims", kwargs={"pk": pk})
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


SOURCE_DETAIL = Spec(
    Source,
    "SourceDetail",
    [
        *SOURCE.parts[:-1],
        Field("text"),
        Many(
            "claims",
            CLAIM_CITATION,
            model=Citation,
            fk="source",
            order_by=IN_TEXT_ORDER,
            limit=CLAIMS_IN_DETAIL,  # a detail: one source; claims_url lists them all
        ),
        Field(
            "claims_count",
            schema=serializers.IntegerField(read_only=True, help_text="How many quotes records cite from it."),
        ),
        Computed(
            "claims_url",
            serializers.URLField(
                read_only=True,
                help_text=f"Every claim, paginated (the detail shows the first {CLAIMS_IN_DETAIL}).",
            ),
            ("id",),
            claims_url,
            with_context=True,
        ),
        SOURCE.parts[-1],
    ],
)


class ClaimPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    count = serializers.IntegerField(allow_null=True, help_text="Number of claims; null unless count=true.")
    results = CLAIM_CITATION.serializer(many=True)


# Records whose citations mention a person, besides the person: their claims,
# by the field that names them (a relation names them on either side).
PERSON_CLAIMS = (
    (PersonAlias, "person"),
    (PersonRelation, "subject"),
    (Posting, "person"),
    (Event, "person"),
    (Candidacy, "person"),
    (PersonRelation, "object"),
)


@functools.cache
def citing_statement() -> str:
    """The ids of the sources cited for a person (two parameters: the person's
    content type and id) or a claim of theirs (two more per kind of claim): one
    lookup of the citations' (type, record) index per kind, in a union. As one
    OR of them, PostgreSQL read every source's citations in turn (0.5 s at a
    million). The statement is the same for every person, so it is written
    once per process: built from querysets on each request, its eight parts
    took longer to compile than the page took to read (3 ms of 13)."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:  # qualified: the parts nest a table in another
        return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"

    cited = (
        f"SELECT {column(Citation, 'source')} FROM {quote(Citation._meta.db_table)} "
        f"WHERE {column(Citation, 'content_type')} = %s AND {column(Citation, 'object_id')}"
    )
    parts = [f"{cited} = %s"]
    for model, field in PERSON_CLAIMS:
        claims = f"SELECT {column(model, model._meta.pk.name)} FROM {quote(model._meta.db_table)}"
        parts.append(f"{cited} IN ({claims} WHERE {column(model, field)} = %s)")
    return " UNION ".join(parts)


class SourceFilterSet(RecordsFilterSet):
    reads = (Person, *(model for model, _ in PERSON_CLAIMS))  # mentions: the citations of a person and their claims
    published_after = StrictDateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after this date."
    )
    published_before = StrictDateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before this date."
    )
    kind = filters.ChoiceFilter(choices=Source.Kind.choices, help_text="Kind of source.")
    mentions_id, mentions = person_filters(field="mentions")
    ordering = KeysetOrderingFilter(
        fields={"published_on": "published", "slug": "slug", "id": "id"}, default="published"
    )

    class Meta:
        model = Source
        fields = []

    def filter_queryset(self, queryset):
        for name in ("mentions_id", "mentions"):
            person = self.form.cleaned_data.pop(name, None)
            if person is not None:
                queryset = queryset.filter(id__in=self.citing(person))
        return super().filter_queryset(queryset)

    @staticmethod
    def citing(person: Person) -> RawSQL:
        """The ids of the sources cited for the person or a claim of theirs (``citing_statement``)."""
        types = ContentType.objects.get_for_models(Person, *(model for model, _ in PERSON_CLAIMS))
        params = [types[Person].pk, person.pk]
        for model, _ in PERSON_CLAIMS:
            params += [types[model].pk, person.pk]
        return RawSQL(citing_statement(), params)


class SourceWriteSerializer(ModelWriteSerializer):
    """A source's text is kept byte for byte (no whitespace trimmed); its
    sha256 is computed from the text when not given. The text of a source
    that records cite cannot change: their offsets index into it."""

    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The verbatim text; citation offsets index into it.",
    )
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        required=False,
        help_text="SHA-256 of the document's bytes; computed from the text (UTF-8) when omitted.",
    )
    not_stated = serializers.ListField(
        child=serializers.ChoiceField(choices=Source.STATABLE),
        required=False,
        max_length=len(Source.STATABLE),
        help_text='What the document itself does not state: some of "title", "publisher", "url" (each then empty).',
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "kind",
            "title",
            "publisher",
            "url",
            "not_stated",
            "published_on",
            "language",
            "license",
            "path",
            "text",
            "sha256",
        ]

    def validate(self, attrs):
        text = attrs.get("text", self.instance.text if self.instance else "")
        if "sha256" not in attrs and "text" in attrs:
            attrs["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if self.instance is not None and "text" in attrs and attrs["text"] != self.instance.text:
            cited = self.instance.citations.count()
            if cited:
                raise serializers.ValidationError(
                    {"text": [f"{cited} citations quote this text at fixed offsets; it cannot change."]}
                )
        return super().validate(attrs)


@documented("source", "sources", ", with its verbatim text and every quote records cite from it")
@writes.documented_writes("source", "sources")
class SourceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Source.objects.all()
    list_spec = SOURCE
    detail_spec = SOURCE_DETAIL
    write_serializer_class = SourceWriteSerializer
    filterset_class = SourceFilterSet

    @classmethod
    def answer_models(cls, action):
        if action == "claims":
            return spec_models(CLAIM_CITATION) | {Source}  # the source the URL names, then its citations
        return super().answer_models(action)

    def detail_queryset(self):
        claims_count = (
            Citation.objects.filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("id"))
        )
        return Source.objects.annotate(claims_count=Coalesce(Subquery(claims_count.values("n")), 0))

    @extend_schema(
        operation_id="sources_claims",
        summary="Every claim of one source",
        description="The quotes that records cite from the source, in the text's order (a dataset's, which have "
        "no offsets, last, by id); keyset-paginated (follow `next`).",
        responses={200: ClaimPageSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        filters=False,
        parameters=pagination_parameters(),
        auth=[],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claims",
        filter_backends=[],
        serializer_class=CLAIM_CITATION.serializer_class,
    )
    def claims(self, request, *args, **kwargs):
        self.refuse_unknown_parameters(filters={})

        def plan() -> PagePlan:  # kept per source while sources and citations are unchanged
            source = get_object_or_404(Source.objects.only("id"), self.lookup())
            claims = Citation.objects.filter(source=source).order_by(*IN_TEXT_ORDER)
            return PagePlan(claims, CLAIM_CITATION.columns())

        rows = self.paginator.paginate_plan(self.page_plan(request, plan), request)
        return self.paginator.get_paginated_response(CLAIM_CITATION.build(rows))
