"""Disputes: every pair of claims that sources tell differently, across the
dataset, with both sides, their statuses and their sources, in one list.

A dispute is a claim link of kind ``contradicts`` (records/models/links.py),
between claims of any type: postings, events, candidacies, party results,
relations. A pair is recorded once (the mirror link is refused), so each
dispute is listed once: ``claim`` is the link's claim, ``disputed_by`` its target."""

from __future__ import annotations

from collections import defaultdict

import django_filters as filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from records.api.claim_parts import Citations
from records.api.filtering import KeysetOrderingFilter, RecordsFilterSet
from records.api.filtersets.relations import person_filters
from records.api.readspec import Computed, Day, Field, Part, Ref, Spec
from records.api.refs import ELECTION_REF, PERSON_REF
from records.api.resources.base import ReadViewSet, documented
from records.api.resources.candidacies import CANDIDACY_RECORD
from records.api.resources.elections import PARTY_RESULT
from records.api.resources.events import EVENT_RECORD
from records.api.resources.postings import POSTING
from records.knowledge import known, known_side
from records.models import (
    Candidacy,
    ClaimLink,
    Constituency,
    Contest,
    Election,
    Event,
    Organisation,
    PartyResult,
    Person,
    PersonRelation,
    Place,
    Posting,
)
from records.models.links import LINKABLE

MIXED = "mixed"


def _type(name: str) -> Computed:
    return Computed("type", serializers.ChoiceField(choices=[name], help_text="The claim's type."), (), lambda: name)


NO_KEY = Computed(
    "key",
    serializers.CharField(help_text="Empty: claims of this type have no key (they are found by what they join)."),
    (),
    lambda: "",
)
SIDE_CORE = ["type", "id", "key", "person"]

# One side of a dispute: the claim in its own shape, with a common core (type,
# id, key, person, status, citations) and the fields that say what it claims.
SIDES: dict[str, Spec] = {
    "posting": POSTING.only(
        "DisputedPosting",
        [*SIDE_CORE, "role", "rank", "organisation", "place", "start", "end", "status", "citations"],
        {"type": _type("posting")},
        doc="A posting as one source tells it.",
    ),
    "event": EVENT_RECORD.only(
        "DisputedEvent",
        [*SIDE_CORE, "kind", "title", "organisation", "date", "status", "citations"],
        {"type": _type("event")},
        doc="An event as one source tells it.",
    ),
    "candidacy": CANDIDACY_RECORD.only(
        "DisputedCandidacy",
        [*SIDE_CORE, "election", "party", "place", "contest", "status", "citations"],
        {"type": _type("candidacy")},
        doc="A candidacy as one source (or the official results) tells it.",
    ),
    "partyresult": PARTY_RESULT.only(
        "DisputedPartyResult",
        [*SIDE_CORE, "election", "party", "seats_won", "seats_with_allies", "vote_share", "status", "citations"],
        {
            "type": _type("partyresult"),
            "key": NO_KEY,
            "person": Computed(
                "person",
                PERSON_REF.serializer(read_only=True, allow_null=True, help_text="Null: a party's result."),
                (),
                lambda: None,
            ),
            "election": Ref("election", ELECTION_REF),
        },
        doc="A party's result in an election as one source tells it.",
    ),
    "personrelation": Spec(
        PersonRelation,
        "DisputedRelation",
        [
            _type("personrelation"),
            Field("id"),
            NO_KEY,
            Ref("person", PERSON_REF, source="subject", help_text="The relation's subject."),
            Field("kind", help_text="What the object is to the subject (parent: the object is their parent)."),
            Ref("object", PERSON_REF),
            Field("status"),
            Citations(),
        ],
        doc="A relation between two people as one source tells it.",
        read_only=True,
    ),
}
assert set(SIDES) == set(LINKABLE), "every claim that can be linked can be disputed"


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="DisputedClaim",
        serializers={name: spec.serializer_class for name, spec in SIDES.items()},
        resource_type_field_name="type",
    )
)
class SideField(serializers.Field):
    """One side of a dispute: a claim of any type, as ``type`` says (schema only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)


class Sides(Part):
    """Both claims of a page of links, each in its type's shape (``SIDES``): one
    query per claim type on the page, their citations with the page's."""

    key = "claim"
    SLOT = "@sides"

    def keys(self):
        return ("claim", "disputed_by")

    def columns(self, prefix):
        return [f"{prefix}{side}_{column}" for side in ("claim", "target") for column in ("type_id", "id")]

    def load(self, spec, rows, prefix, page):
        wanted = defaultdict(set)
        for row in rows:
            for side in ("claim", "target"):
                wanted[row[f"{prefix}{side}_type_id"]].add(row[f"{prefix}{side}_id"])
        found = {}
        for type_id, ids in sorted(wanted.items()):
            side_spec = SIDES[ContentType.objects.get_for_id(type_id).model]
            claims = list(side_spec.model.objects.filter(pk__in=ids).order_by().values(*side_spec.columns()))
            side_spec.load(claims, page)
            found.update({(type_id, claim["id"]): (side_spec, claim) for claim in claims})
        for row in rows:
            row[prefix + self.SLOT] = found

    def values(self, row, prefix, page):
        found = row[prefix + self.SLOT]
        for key, side in (("claim", "claim"), ("disputed_by", "target")):
            hit = found.get((row[f"{prefix}{side}_type_id"], row[f"{prefix}{side}_id"]))
            yield key, hit[0].build_one(hit[1], page) if hit else None

    def schema_fields(self, model):
        return {
            "claim": SideField(help_text="One side: the link's claim. Null if that claim has been deleted since."),
            "disputed_by": SideField(
                help_text="The other side, which tells it differently: the link's target. Null if deleted since."
            ),
        }


def dispute_type(claim_type_id: int, target_type_id: int) -> str:
    if claim_type_id != target_type_id:
        return MIXED
    return ContentType.objects.get_for_id(claim_type_id).model


DISPUTE = Spec(
    ClaimLink,
    "Dispute",
    [
        Field("id", schema=serializers.IntegerField(help_text="The dispute's id: its link's (/claim-links/{id}/).")),
        Computed(
            "type",
            serializers.ChoiceField(
                choices=[*LINKABLE, MIXED],
                help_text="The type of the claims in dispute; mixed when the two sides are of different types.",
            ),
            ("claim_type_id", "target_type_id"),
            dispute_type,
        ),
        Sides(),
        Day(
            "since",
            schema=serializers.DateField(
                read_only=True, allow_null=True, help_text="Publication day of the first source cited for the link."
            ),
        ),
        Citations(help_text="The link's own citations: the words that tell the two claims apart."),
    ],
    doc="Two claims that sources tell differently (a `contradicts` link); neither is preferred.",
)

# The claims that are about a person, and the field that names them.
ABOUT_A_PERSON = ((Posting, "person"), (Event, "person"), (Candidacy, "person"), (PersonRelation, "subject"))
ABOUT_A_PERSON += ((PersonRelation, "object"),)


def about(person) -> Q:
    """Links with a claim about ``person`` on either side."""
    condition = Q()
    for model, field in ABOUT_A_PERSON:
        type_id = ContentType.objects.get_for_model(model).pk
        ids = model.objects.filter(**{field: person}).values("pk")
        for side in ("claim", "target"):
            condition |= Q(**{f"{side}_type_id": type_id, f"{side}_id__in": ids})
    return condition


class DisputeFilterSet(RecordsFilterSet):
    person_id, person = person_filters(
        method="filter_person", help_text=" Disputes with a claim about this person on either side."
    )
    type = filters.MultipleChoiceFilter(
        choices=[(name, name) for name in LINKABLE],
        method="filter_type",
        help_text="Disputes with a claim of this type on either side; repeat the parameter for several.",
    )
    ordering = KeysetOrderingFilter(fields={"id": "id"}, default="id")

    def filter_person(self, queryset, name, person):
        return queryset.filter(about(person))

    def filter_type(self, queryset, name, values):
        type_ids = [ContentType.objects.get_by_natural_key("records", value).pk for value in values]
        return queryset.filter(Q(claim_type_id__in=type_ids) | Q(target_type_id__in=type_ids))

    @classmethod
    def known(cls, knowledge):
        """A dispute is known once both its sides and the link are."""
        return known(ClaimLink, knowledge) & known_side(knowledge, "claim") & known_side(knowledge, "target")

    class Meta:
        model = ClaimLink
        fields = []


@documented("dispute", "disputes", ": both claims, their statuses and their sources, and the link's citations")
class DisputeViewSet(ReadViewSet):
    queryset = ClaimLink.objects.filter(kind=ClaimLink.Kind.CONTRADICTS)
    list_spec = DISPUTE
    filterset_class = DisputeFilterSet
    lookup_value_regex = r"[0-9]+"
    # Each side is read in its own type's shape (SIDES), by code of this module.
    reads = (Posting, Event, Candidacy, PartyResult, PersonRelation)  # the sides (LINKABLE)
    reads += (Person, Organisation, Place, Election, Contest, Constituency)  # what the sides name

    def list_queryset(self):
        return self.queryset.annotate(since=Min("citations__source__published_on"))
