from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.api.person_context import person_context, person_contexts
from records.api.representation import Attributes
from records.api.serializers.common import (
    REVIEW_FIELDS,
    CitationSerializer,
    CitedSerializer,
    ElectionRefSerializer,
    FuzzyDateField,
    PartyRefSerializer,
    PersonRefSerializer,
    PlaceRefSerializer,
    ReviewedSerializer,
)
from records.api.serializers.postings import EventSerializer, MembershipSerializer, PersonPostingSerializer
from records.api.serializers.results import ContestRefSerializer
from records.careers import career_order
from records.models import Candidacy, Organisation, Person, PersonAlias, PersonIdentifier


class ContextPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    organisation = serializers.CharField(allow_null=True, help_text="The organisation's name.")
    place = serializers.CharField(allow_null=True, help_text="The place's name.")
    start = serializers.CharField(allow_null=True, help_text="The fuzzy date as written; null when unknown.")
    end = serializers.CharField(allow_null=True, help_text="The fuzzy date as written; null when unknown.")
    status = serializers.CharField()


class ContextPartySerializer(PartyRefSerializer):
    role = serializers.CharField(
        allow_null=True, help_text='The role in the party ("member", "president"); null when via a candidacy.'
    )
    status = serializers.CharField(help_text="The status of the membership or candidacy it comes from.")
    via = serializers.ChoiceField(
        choices=["membership", "candidacy"],
        help_text="membership: the person's last party membership in career order (by date where one is); "
        "candidacy: no membership is recorded, and this is the party of the latest candidacy with one.",
    )

    class Meta(PartyRefSerializer.Meta):
        fields = [*PartyRefSerializer.Meta.fields, "role", "status", "via"]


class ContextConstituencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class ContextCandidacySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    election = ElectionRefSerializer()
    constituency = ContextConstituencySerializer(allow_null=True, help_text="The official contest's; null without one.")
    place = PlaceRefSerializer(allow_null=True, help_text="The place a source names; null when none is named.")
    won = serializers.BooleanField(allow_null=True)
    status = serializers.CharField()


class PersonContextSerializer(serializers.Serializer):
    post = ContextPostSerializer(
        allow_null=True, help_text="The last post in career order (see postings' ordering=career), not a party's."
    )
    party = ContextPartySerializer(allow_null=True)
    candidacy = ContextCandidacySerializer(
        allow_null=True, help_text="The latest candidacy, by its election's first day of polling."
    )


class PersonListSerializer(serializers.ListSerializer):
    """Works out the page's contexts together (two queries), not a person at a time."""

    def to_representation(self, data):
        people = list(data.all() if hasattr(data, "all") else data)
        self.child.page_contexts = person_contexts([p.pk for p in people])
        return super().to_representation(people)


class PersonSerializer(ReviewedSerializer):
    birth_date = FuzzyDateField()
    native_place = PlaceRefSerializer(read_only=True, allow_null=True)
    context = serializers.SerializerMethodField(
        help_text="What tells namesakes apart: the last post, the party, the latest candidacy."
    )
    page_contexts: dict = {}

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "name",
            "birth_date",
            "gender",
            "social_group",
            "native_place",
            "context",
            "updated_at",
            *REVIEW_FIELDS,
        ]
        list_serializer_class = PersonListSerializer

    @extend_schema_field(PersonContextSerializer(allow_null=False))
    def get_context(self, person):
        if person.pk in self.page_contexts:
            return self.page_contexts[person.pk]
        return person_contexts([person.pk])[person.pk]


class PersonAliasSerializer(CitedSerializer):
    class Meta:
        model = PersonAlias
        fields = ["id", "name", "kind", "status", "citations"]


class PersonIdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonIdentifier
        fields = ["scheme", "value"]


class RelationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    relation = serializers.ChoiceField(
        choices=["parent", "child", "spouse", "sibling", "relative"],
        help_text="What the other person is to this one.",
    )
    person = PersonRefSerializer()
    status = serializers.CharField()
    citations = CitationSerializer(many=True)


class CandidacyInPersonSerializer(CitedSerializer):
    election = ElectionRefSerializer(read_only=True)
    party = PartyRefSerializer(read_only=True, allow_null=True)
    place = PlaceRefSerializer(read_only=True, allow_null=True)
    contest = ContestRefSerializer(
        read_only=True, allow_null=True, help_text="The official contest; null for a claim without one."
    )

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "election",
            "party",
            "place",
            "contest",
            "ballot_name",
            "votes",
            "rank",
            "won",
            "margin",
            "status",
            "citations",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "ballot_name": {"help_text": "The name as the official results give it; empty without a contest."},
            "votes": {"help_text": "Votes received; null without a contest."},
            "rank": {"help_text": "1 for the most votes in the contest; null without a contest."},
            "won": {"help_text": "Whether the contest was won; null without a contest."},
            "margin": {"help_text": "The winner's lead over the runner-up; null for others and without a contest."},
        }


class PersonDetailSerializer(CitedSerializer, PersonSerializer):
    """Everything about a person in one response, built from prefetched rows."""

    aliases = PersonAliasSerializer(many=True, read_only=True)
    identifiers = PersonIdentifierSerializer(many=True, read_only=True)
    relations = serializers.SerializerMethodField()
    postings = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()
    candidacies = CandidacyInPersonSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "aliases",
            "identifiers",
            "relations",
            "postings",
            "memberships",
            "candidacies",
            "events",
            "citations",
        ]

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, person):
        cited = CitationSerializer(many=True)
        out = []
        for relation in person.relations_as_subject.all():  # person is the <kind> of other
            inverse = "child" if relation.kind == "parent" else relation.kind
            out.append(_relation(relation, inverse, relation.object, cited))
        for relation in person.relations_as_object.all():  # other is the <kind> of person
            out.append(_relation(relation, relation.kind, relation.subject, cited))
        return sorted(out, key=lambda r: r["id"])

    @extend_schema_field(PersonContextSerializer(allow_null=False))
    def get_context(self, person):
        # From the prefetched rows: no query.
        postings = [Attributes(p) for p in person.postings.all()]
        candidacies = [Attributes(c) for c in person.candidacies.all()]
        return person_context(postings, candidacies)

    @extend_schema_field(PersonPostingSerializer(many=True))
    def get_postings(self, person):
        rows = [p for p in _in_career_order(person) if not _is_party(p)]
        return PersonPostingSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, person):
        rows = [p for p in _in_career_order(person) if _is_party(p)]
        return MembershipSerializer(rows, many=True, context=self.context).data


def _in_career_order(person) -> list:
    postings = {p.pk: p for p in person.postings.all()}
    return [postings[pk] for pk in career_order(Attributes(p) for p in postings.values())]


def _is_party(posting) -> bool:
    return posting.organisation is not None and posting.organisation.kind == Organisation.Kind.PARTY


def _relation(relation, kind, other, cited) -> dict:
    return {
        "id": relation.id,
        "relation": kind,
        "person": PersonRefSerializer(other).data,
        "status": relation.status,
        "citations": cited.to_representation(relation.citations.all()),
    }
