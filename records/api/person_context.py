"""A person's short context in list rows: what tells two namesakes apart.

Built from the person's postings and candidacies as ``.values()`` rows: two
queries for a whole page of people (a list), none for a detail, which has
read them already (records/api/resources/persons.py).

- ``post``: the last post in career order (records/careers.py) that a date
  places, not a party membership (undated posts come last in career order,
  but nothing says they are the latest);
- ``party``: the party of the last membership in career order (placed by a
  date where one is), or, without
  one, of the latest candidacy with a party (``via`` says which);
- ``candidacy``: the latest candidacy, by its election's first day of polling.

``CONTEXT_SCHEMA`` documents it in the OpenAPI schema.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from rest_framework import serializers

from records.api.readspec import Page
from records.api.refs import ELECTION_REF, PARTY_REF, PLACE_REF
from records.careers import CAREER_FIELDS, latest_placed
from records.compiled_queries import Ids, compiled
from records.models import Candidacy, Organisation, Posting

CONSTITUENCY = "contest__constituency"
CONSTITUENCY_REF = ("id", "slug", "number", "name")


def ref_fields(relation: str, spec) -> list[str]:
    return spec.columns(f"{relation}__")


def ref(row: Mapping, relation: str, spec) -> dict | None:
    """The nested reference, or None when the relation is empty (a LEFT JOIN gave NULLs)."""
    if row[f"{relation}__id"] is None:
        return None
    if isinstance(spec, tuple):
        return {f: row[f"{relation}__{f}"] for f in spec}
    return spec.build_one(row, Page(), f"{relation}__")


# The ``.values()`` names person_context reads.
CONTEXT_POSTING_FIELDS = (
    *CAREER_FIELDS,
    "role",
    "organisation__kind",
    *ref_fields("organisation", PARTY_REF),
    "place__name",
    "start",
    "end",
    "status",
)
CONTEXT_CANDIDACY_FIELDS = (
    "id",
    *ref_fields("election", ELECTION_REF),
    "election__start_earliest",
    *ref_fields("party", PARTY_REF),
    *(f"{CONSTITUENCY}__{f}" for f in CONSTITUENCY_REF),
    *ref_fields("place", PLACE_REF),
    "won",
    "status",
)

PARTY = Organisation.Kind.PARTY


def person_context(postings: Iterable[Mapping], candidacies: Iterable[Mapping]) -> dict:
    postings = {p["id"]: p for p in postings}
    posts = [p for p in postings.values() if p["organisation__kind"] != PARTY]
    post = postings[latest_placed(posts)] if posts else None
    memberships = [p for p in postings.values() if p["organisation__kind"] == PARTY]
    # Latest election first; undated elections count as the oldest.
    latest_first = sorted(candidacies, key=lambda c: (c["election__start_earliest"] or date.min, c["id"]), reverse=True)
    party = None
    if memberships:
        membership = postings[latest_placed(memberships)]
        party = {
            **ref(membership, "organisation", PARTY_REF),
            "role": membership["role"],
            "status": membership["status"],
            "via": "membership",
        }
    else:
        with_party = next((c for c in latest_first if c["party__id"] is not None), None)
        if with_party is not None:
            party = {
                **ref(with_party, "party", PARTY_REF),
                "role": None,
                "status": with_party["status"],
                "via": "candidacy",
            }
    return {
        "post": _post(post) if post else None,
        "party": party,
        "candidacy": _candidacy(latest_first[0]) if latest_first else None,
    }


def _post(p: Mapping) -> dict:
    return {
        "id": p["id"],
        "role": p["role"],
        "organisation": p["organisation__name"],
        "place": p["place__name"],
        "start": p["start"] or None,
        "end": p["end"] or None,
        "status": p["status"],
    }


def _candidacy(c: Mapping) -> dict:
    return {
        "id": c["id"],
        "election": ref(c, "election", ELECTION_REF),
        "constituency": ref(c, CONSTITUENCY, CONSTITUENCY_REF),
        "place": ref(c, "place", PLACE_REF),
        "won": c["won"],
        "status": c["status"],
    }


def person_contexts(person_ids: list[int]) -> dict[int, dict]:
    """The context of each of a page of people, in two queries (none for no one),
    compiled once (records/compiled_queries.py)."""
    if not person_ids:
        return {}
    postings: dict[int, list] = defaultdict(list)
    for row in compiled("context postings", _postings).values(people=person_ids):
        postings[row["person_id"]].append(row)
    candidacies: dict[int, list] = defaultdict(list)
    for row in compiled("context candidacies", _candidacies).values(people=person_ids):
        candidacies[row["person_id"]].append(row)
    return {pk: person_context(postings[pk], candidacies[pk]) for pk in person_ids}


def _postings():
    people = Posting.objects.filter(person_id__in_ids=Ids("people"))
    return people.order_by().values("person_id", *CONTEXT_POSTING_FIELDS)


def _candidacies():
    people = Candidacy.objects.filter(person_id__in_ids=Ids("people"))
    return people.order_by().values("person_id", *CONTEXT_CANDIDACY_FIELDS)


# -- its schema ------------------------------------------------------------------


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


CONTEXT_SCHEMA = PersonContextSerializer(
    read_only=True, help_text="What tells namesakes apart: the last post, the party, the latest candidacy."
)
