"""Sources: the documents and datasets every record cites, with their claims."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from records.api.readspec import Computed, Day, Field, Many, Spec, Timestamp
from records.models import Citation, Source

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
        Field("field"),
        Field("quote"),
        Field("start"),
        Field("end"),
        Field("said"),
        Field("locator"),
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
        Field("id"),
        Field("slug"),
        Field("kind"),
        Field("title"),
        Field("publisher"),
        Field("url"),
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
        Field("language"),
        Field("license"),
        Field("path"),
        Field("sha256"),
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
