from __future__ import annotations

from records.api.serializers.common import (
    REVIEW_FIELDS,
    CitedSerializer,
    FuzzyDateField,
    OrganisationRefSerializer,
    PartyRefSerializer,
    PersonRefSerializer,
    PlaceRefSerializer,
    ReviewedSerializer,
)
from records.models import Event, Posting

POSTING_FIELDS = ["id", "role", "rank", "organisation", "place", "start", "end", "previous", "note", "status"]


class PostingSerializer(CitedSerializer, ReviewedSerializer):
    """A posting as listed: who, what, where, when, how certain, and why we know."""

    person = PersonRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    place = PlaceRefSerializer(read_only=True, allow_null=True)
    start = FuzzyDateField()
    end = FuzzyDateField()

    class Meta:
        model = Posting
        fields = ["id", "person", *POSTING_FIELDS[1:], "citations", "updated_at", *REVIEW_FIELDS]
        extra_kwargs = {"previous": {"help_text": "Id of the posting held just before, where a source says."}}


class PersonPostingSerializer(PostingSerializer):
    """A posting inside its person's record (the person is the parent)."""

    class Meta(PostingSerializer.Meta):
        fields = [*POSTING_FIELDS, "citations"]


class MembershipSerializer(PostingSerializer):
    """A posting in a party: membership or party office."""

    party = PartyRefSerializer(source="organisation", read_only=True)

    class Meta(PostingSerializer.Meta):
        fields = ["id", "party", "role", "start", "end", "status", "citations"]


class PartyOfficeSerializer(PostingSerializer):
    class Meta(PostingSerializer.Meta):
        fields = ["id", "person", "role", "start", "end", "status", "citations"]


class EventSerializer(CitedSerializer):
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    participants = PersonRefSerializer(many=True, read_only=True)
    date = FuzzyDateField()

    class Meta:
        model = Event
        fields = ["id", "kind", "title", "organisation", "date", "participants", "contradicts", "status", "citations"]
        extra_kwargs = {"contradicts": {"help_text": "Ids of events another source tells differently."}}
