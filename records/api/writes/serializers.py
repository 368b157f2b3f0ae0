"""The body of a create or update, per resource. Relations are ids or slugs;
fuzzy dates are strings as written ("2021-03", "../2022-01-10"); responses are
the read API's representation of the record (the read specs of records/api/resources/)."""

from __future__ import annotations

import hashlib

from rest_framework import serializers

from records.api.writes.base import ModelWriteSerializer, RecordWriteSerializer
from records.models import Constituency, Contest, Election, Organisation, Party, Person, Place, Posting, Source

REVIEW = "review_status"
CITATIONS = "citations"


class PersonWriteSerializer(RecordWriteSerializer):
    """A person: name and slug, and what sources state of them."""

    class Meta:
        model = Person
        fields = ["slug", "name", "birth_date", "native_place", "gender", "social_group", REVIEW, CITATIONS]


class PostingWriteSerializer(RecordWriteSerializer):
    """A person in a role for a period; dates are fuzzy, the previous posting the same person's."""

    class Meta:
        model = Posting
        fields = [
            "person",
            "role",
            "rank",
            "organisation",
            "place",
            "start",
            "end",
            "previous",
            "note",
            "status",
            REVIEW,
            CITATIONS,
        ]


class PlaceWriteSerializer(RecordWriteSerializer):
    """A place in the tree of places (a parent cannot lie within it)."""

    other_names = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=100,
        help_text='Other names, e.g. ["UP"].',
    )

    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "parent", "other_names", REVIEW, CITATIONS]


class OrganisationWriteSerializer(RecordWriteSerializer):
    """An organisation in the tree of organisations; renaming its slug moves what lies within it."""

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "abbreviation", "parent", "place", REVIEW, CITATIONS]


class PartyWriteSerializer(RecordWriteSerializer):
    """A party is an organisation of kind "party"; its kind is not sent."""

    class Meta:
        model = Party
        fields = ["slug", "name", "abbreviation", "parent", "place", REVIEW, CITATIONS]


class ElectionWriteSerializer(RecordWriteSerializer):
    """An election of one body in one jurisdiction; its dates are fuzzy, the end not before the start."""

    class Meta:
        model = Election
        fields = [
            "slug",
            "name",
            "jurisdiction",
            "body",
            "seats",
            "start",
            "end",
            "announced",
            "counting",
            "status",
            REVIEW,
            CITATIONS,
        ]


class ConstituencyWriteSerializer(RecordWriteSerializer):
    """A constituency, numbered from 1 within its jurisdiction."""

    class Meta:
        model = Constituency
        fields = ["slug", "jurisdiction", "number", "name", "reservation", "district", REVIEW, CITATIONS]


class ContestWriteSerializer(RecordWriteSerializer):
    """One election in one constituency, with its totals (NOTA within the total)."""

    class Meta:
        model = Contest
        fields = [
            "election",
            "constituency",
            "total_votes",
            "nota_votes",
            "electors",
            "result_declared",
            REVIEW,
            CITATIONS,
        ]


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
