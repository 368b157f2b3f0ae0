"""Persons: the list row (with what tells namesakes apart) and the full record."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from records.api.person_context import person_contexts
from records.api.readspec import Citations, Field, Fuzzy, Loaded, Many, Ref, Review, Spec, Timestamp
from records.api.refs import CONSTITUENCY_REF, ELECTION_REF, PARTY_REF, PERSON_REF, PLACE_REF
from records.api.resources.postings import EVENT, MEMBERSHIP, PERSON_POSTING
from records.models import Candidacy, Contest, Organisation, Person, PersonAlias, PersonIdentifier, PersonRelation

# -- the schema of a person's context (computed by records/api/person_context.py) --


class ContextPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    organisation = serializers.CharField(allow_null=True, help_text="The organisation's name.")
    place = serializers.CharField(allow_null=True, help_text="The place's name.")
    start = serializers.CharField(allow_null=True, help_text="The fuzzy date as written; null when unknown.")
    end = serializers.CharField(allow_null=True, help_text="The fuzzy date as written; null when unknown.")
    status = serializers.CharField()


class ContextPartySerializer(PARTY_REF.serializer_class):
    role = serializers.CharField(
        allow_null=True, help_text='The role in the party ("member", "president"); null when via a candidacy.'
    )
    status = serializers.CharField(help_text="The status of the membership or candidacy it comes from.")
    via = serializers.ChoiceField(
        choices=["membership", "candidacy"],
        help_text="membership: the person's last party membership in career order (by date where one is); "
        "candidacy: no membership is recorded, and this is the party of the latest candidacy with one.",
    )

    class Meta(PARTY_REF.serializer_class.Meta):
        fields = [*PARTY_REF.serializer_class.Meta.fields, "role", "status", "via"]


class ContextConstituencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class ContextCandidacySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    election = ELECTION_REF.serializer()
    constituency = ContextConstituencySerializer(allow_null=True, help_text="The official contest's; null without one.")
    place = PLACE_REF.serializer(allow_null=True, help_text="The place a source names; null when none is named.")
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


# -- read specs -----------------------------------------------------------------

PERSON = Spec(
    Person,
    "Person",
    [
        Field("id"),
        Field("slug"),
        Field("name"),
        Fuzzy("birth_date"),
        Field("gender"),
        Field("social_group"),
        Ref("native_place", PLACE_REF, allow_null=True),
        Loaded(
            "context",
            PersonContextSerializer(
                read_only=True, help_text="What tells namesakes apart: the last post, the party, the latest candidacy."
            ),
            load=lambda ids, page: person_contexts(ids),
        ),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A person: name, birth date, native place, and what tells namesakes apart.",
)

PERSON_ALIAS = Spec(
    PersonAlias, "PersonAlias", [Field("id"), Field("name"), Field("kind"), Field("status"), Citations()]
)
PERSON_IDENTIFIER = Spec(PersonIdentifier, "PersonIdentifier", [Field("scheme"), Field("value")])

RELATION = Spec(
    PersonRelation,
    "Relation",
    [
        Field("id", schema=serializers.IntegerField()),
        Field(
            "relation",
            schema=serializers.ChoiceField(
                choices=["parent", "child", "spouse", "sibling", "relative"],
                help_text="What the other person is to this one.",
            ),
        ),
        Ref("person", PERSON_REF, source="other", read_only=False),
        Field("status", schema=serializers.CharField()),
        Citations(read_only=False),
    ],
)


def load_relations(person_ids: list[int], page) -> dict[int, list[dict]]:
    """Each person's relations both ways (two queries), as rows of RELATION:
    ``relation`` is what the other person is to this one."""
    out = {pk: [] for pk in person_ids}
    for mine, other in (("subject", "object"), ("object", "subject")):
        rows = PersonRelation.objects.filter(**{f"{mine}_id__in": person_ids}).values(
            "id", "kind", "status", f"{mine}_id", *PERSON_REF.columns(f"{other}__")
        )
        for row in rows:
            kind = "child" if mine == "subject" and row["kind"] == "parent" else row["kind"]
            other_person = {f"other{c[len(other) :]}": row[c] for c in PERSON_REF.columns(f"{other}__")}
            out[row[f"{mine}_id"]].append({"id": row["id"], "relation": kind, "status": row["status"], **other_person})
    rows = [row for relations in out.values() for row in relations]
    RELATION.load(rows, page)
    return {pk: sorted(relations, key=lambda r: r["id"]) for pk, relations in out.items()}


CONTEST_REF = Spec(Contest, "ContestRef", [Field("id"), Ref("constituency", CONSTITUENCY_REF)], read_only=True)

CANDIDACY_IN_PERSON = Spec(
    Candidacy,
    "CandidacyInPerson",
    [
        Field("id"),
        Ref("election", ELECTION_REF),
        Ref("party", PARTY_REF, allow_null=True),
        Ref("place", PLACE_REF, allow_null=True),
        Ref("contest", CONTEST_REF, allow_null=True, help_text="The official contest; null for a claim without one."),
        Field("ballot_name", help_text="The name as the official results give it; empty without a contest."),
        Field("votes", help_text="Votes received; null without a contest."),
        Field("rank", help_text="1 for the most votes in the contest; null without a contest."),
        Field("won", help_text="Whether the contest was won; null without a contest."),
        Field("margin", help_text="The winner's lead over the runner-up; null for others and without a contest."),
        Field("status"),
        Citations(),
    ],
    read_only=True,
)

PARTY = Organisation.Kind.PARTY
IN_CAREER_ORDER = ("career_position", "id")

PERSON_DETAIL = Spec(
    Person,
    "PersonDetail",
    [
        *PERSON.parts,
        Many("aliases", PERSON_ALIAS, fk="person"),
        Many("identifiers", PERSON_IDENTIFIER, fk="person"),
        Loaded(
            "relations",
            RELATION.serializer(many=True, read_only=True),
            load=load_relations,
            build=lambda rows, page: [RELATION.build_one(r, page) for r in rows],
        ),
        Many("postings", PERSON_POSTING, fk="person", where=~Q(organisation__kind=PARTY), order_by=IN_CAREER_ORDER),
        Many("memberships", MEMBERSHIP, fk="person", where=Q(organisation__kind=PARTY), order_by=IN_CAREER_ORDER),
        Many("candidacies", CANDIDACY_IN_PERSON, fk="person"),
        Many("events", EVENT, fk="person"),
        Citations(),
    ],
    doc="Everything about a person in one response.",
)
