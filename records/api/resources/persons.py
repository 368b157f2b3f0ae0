"""Persons: the list row (with what tells namesakes apart) and the full record."""

from __future__ import annotations

import django_filters as filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from records.api import filtering, writes
from records.api.claim_parts import Citations, Links, Review, claim_key
from records.api.errors import BAD_REQUEST, NOT_FOUND, Conflict
from records.api.filtering import (
    DateMatchFilterSet,
    IdentifierFilter,
    KeysetOrderingFilter,
    StrictDateFilter,
    fuzzy_active_on,
    review_status_filter,
    text_filter,
)
from records.api.filtersets.relations import (
    STATUS_HELP,
    organisation_filters,
    party_filters,
    place_filters,
)
from records.api.identifiers import identifier_spec, identifiers_part
from records.api.merges import (
    FORBIDDEN,
    MERGED,
    PERSON_MERGE,
    REFUSED,
    UNAUTHORIZED,
    CanMergePeople,
    MergeRequestSerializer,
    merge_json,
)
from records.api.person_context import (
    CONTEXT_CANDIDACY_FIELDS,
    CONTEXT_POSTING_FIELDS,
    CONTEXT_SCHEMA,
    person_context,
    person_contexts,
)
from records.api.readspec import Derived, Field, Fuzzy, Loaded, Many, Ref, Spec, Timestamp, fields
from records.api.refs import CONSTITUENCY_REF, ELECTION_REF, PARTY_REF, PERSON_REF, PLACE_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.resources.postings import EVENT, MEMBERSHIP, PERSON_POSTING
from records.api.writes.base import CITATIONS, REVIEW
from records.api.writes.identifiers import IdentifiedRecordWriteSerializer
from records.curation.merge import MergeError, merge_people, merged_into
from records.knowledge import known
from records.models import (
    Candidacy,
    ClaimStatus,
    Constituency,
    Contest,
    Election,
    Organisation,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonMerge,
    PersonRelation,
    Place,
    Posting,
)
from records.search import SPELLING_HELP, indexed_name_search
from records.search_rank import RANK_HELP, ranked

# -- read specs -----------------------------------------------------------------

PERSON = Spec(
    Person,
    "Person",
    [
        *fields("id slug name"),
        Fuzzy("birth_date"),
        *fields("gender social_group"),
        Ref("native_place", PLACE_REF, allow_null=True),
        Loaded(
            "context",
            CONTEXT_SCHEMA,
            load=lambda ids, page: person_contexts(ids),
            reads=(Posting, Organisation, Place, Candidacy, Election, Contest, Constituency),
        ),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A person: name, birth date, native place, and what tells namesakes apart.",
)

PERSON_ALIAS = Spec(PersonAlias, "PersonAlias", [*fields("id name kind status"), Citations()])
PERSON_IDENTIFIER = identifier_spec(PersonIdentifier, "PersonIdentifier")

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
        Links(),
    ],
)


def load_relations(person_ids: list[int], page) -> dict[int, list[dict]]:
    """Each person's relations both ways (two queries), as rows of RELATION:
    ``relation`` is what the other person is to this one."""
    out = {pk: [] for pk in person_ids}
    for mine, other in (("subject", "object"), ("object", "subject")):
        rows = PersonRelation.objects.filter(known(PersonRelation, page.knowledge), **{f"{mine}_id__in": person_ids})
        rows = rows.values("id", "kind", "status", f"{mine}_id", *PERSON_REF.columns(f"{other}__"))
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
        claim_key(),
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
        Links(),
    ],
    read_only=True,
)

PARTY = Organisation.Kind.PARTY
IN_CAREER_ORDER = ("career_position", "id")

# The detail works out the context from the postings and candidacies it lists (no query of its own).
DETAIL_CONTEXT = Derived(
    "context",
    CONTEXT_SCHEMA,
    ("postings", "memberships", "candidacies"),
    lambda posts, memberships, candidacies: person_context([*posts, *memberships], candidacies),
)
PERSON_DETAIL = Spec(
    Person,
    "PersonDetail",
    [
        *(DETAIL_CONTEXT if part.key == "context" else part for part in PERSON.parts),
        Many("aliases", PERSON_ALIAS, fk="person"),
        identifiers_part(PERSON_IDENTIFIER, "person"),
        Loaded(
            "relations",
            RELATION.serializer(many=True, read_only=True),
            load=load_relations,
            reads=(PersonRelation, Person),
            build=lambda rows, page: [RELATION.build_one(r, page) for r in rows],
        ),
        Many(
            "postings",
            PERSON_POSTING,
            fk="person",
            where=~Q(organisation__kind=PARTY),
            order_by=IN_CAREER_ORDER,
            also=CONTEXT_POSTING_FIELDS,
        ),
        Many(
            "memberships",
            MEMBERSHIP,
            fk="person",
            where=Q(organisation__kind=PARTY),
            order_by=IN_CAREER_ORDER,
            also=CONTEXT_POSTING_FIELDS,
        ),
        Many("candidacies", CANDIDACY_IN_PERSON, fk="person", also=CONTEXT_CANDIDACY_FIELDS),
        Many("events", EVENT, fk="person"),
        Citations(),
    ],
    doc="Everything about a person in one response.",
)


class PersonFilterSet(DateMatchFilterSet):
    """Posting filters (party, organisation, place, role, active_on, status)
    describe one and the same posting of the person."""

    q = text_filter(
        "Name or any alias contains this (case-, accent- and punctuation-insensitive), or has each of its words "
        f"in any order. {SPELLING_HELP} {RANK_HELP} Example: Aseem Arun, Arun Asim and Shri Asim K. Arun find "
        "Asim Arun; Dohrey finds Anil Kumar Dohare.",
        example="Aseem Arun",
        method="filter_q",
    )
    identifier = IdentifierFilter(
        kind="person",
        help_text="The person with this identifier in another database, as scheme:value "
        "(myneta:http://myneta.info/uttarpradesh2017/candidate.php?candidate_id=1079, wikidata:Q42).",
    )
    party_id, party = party_filters(
        field="organisation",
        help_text=" A member of it, or holding one of its offices: a posting in the party (claimed by a source). "
        "People known only as its candidates (e.g. from official results) are found with candidate_party.",
    )
    candidate_party_id, candidate_party = party_filters(
        help_text=" People who stood for it in an election: a candidacy, official or claimed.",
        method="filter_candidate_party",
    )
    organisation_id, organisation = organisation_filters()
    place_id, place = place_filters()
    role = text_filter("Held a role containing this text.", lookup_expr="icontains")
    active_on = StrictDateFilter(method="filter_active_on", help_text="Held some posting on this date.")
    status = filters.MultipleChoiceFilter(
        choices=ClaimStatus.choices, help_text="Status of the matching posting. " + STATUS_HELP
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={"name": "name", "birth_date_earliest": "birth_date", "updated_at": "updated", "id": "id"},
        default="name",
    )
    reads = (Posting, Candidacy, PersonAlias)  # what the posting filters, candidate_party and q read
    # The posting filters on a related record: an index finds their postings.
    posting_records = ("party_id", "party", "organisation_id", "organisation", "place_id", "place")
    posting_params = (
        "party_id",
        "party",
        "organisation_id",
        "organisation",
        "place_id",
        "place",
        "role",
        "active_on",
        "status",
    )

    class Meta:
        model = Person
        fields = []

    def filter_queryset(self, queryset):
        self.date_mode = self.form.cleaned_data.get("date_match") or "certainly"
        cleaned = self.form.cleaned_data
        named = {name: cleaned[name] for name in self.posting_records if cleaned.get(name)}
        # Few postings (a police station's, a small party's): their people, collected
        # through the relation's index and sorted, instead of probing people in list
        # order for a match that may never come (persons?organisation= a station with
        # 550 postings: 196 ms at 100k people; 1.1 s for an organisation with none).
        collect = self.through_few(Posting, named)
        postings = Posting.objects.all()
        used = False
        for name in self.posting_params:
            value = cleaned.get(name)
            if value in (None, "", []):
                continue
            if name in named and collect is False:  # each person's own postings are read, not the record's
                postings = self.filters[name].probed(postings, value)
            else:
                postings = self.filters[name].filter(postings, value)
            used = True
        if used and collect:
            queryset = queryset.filter(id__in=postings.values("person_id"))
        elif used:
            # EXISTS, probed person by person in list order through the index on
            # (person, bounds), stops after a page of matches; "id IN" the
            # postings' people first collects every match (73,000 people held a
            # post on 2015-01-01 in a 100k corpus: 890 ms).
            queryset = queryset.filter(Exists(postings.filter(person_id=OuterRef("pk"))))
        for name, value in self.form.cleaned_data.items():
            if name not in self.posting_params:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        # One id set from two searches (a UNION, not an OR): each a trigram
        # index scan (records/search.py), instead of testing every person in list order.
        by_name = Person.objects.filter(indexed_name_search(Person, value)).order_by().values("id")
        by_alias = PersonAlias.objects.filter(indexed_name_search(PersonAlias, value)).order_by().values("person_id")
        return ranked(queryset.filter(id__in=by_name.union(by_alias)), value, aliases=(PersonAlias, "person"))

    def filter_candidate_party(self, queryset, name, party):
        if self.through_few(Candidacy, {"candidate_party": party}) is False:
            # A large party's candidates are probed in list order (its 9,000 of
            # 74,000 candidacies: 42 ms collected and sorted, 4 ms probed).
            probed = self.filters["candidate_party"].probed(Candidacy.objects.all(), party)
            return queryset.filter(Exists(probed.filter(person_id=OuterRef("pk"))))
        return queryset.filter(id__in=Candidacy.objects.filter(party=party).values("person_id"))

    def through_few(self, model, records: dict) -> bool | None:
        """Whether one of ``records`` (filter name -> the record it names) names
        at most FEW_FOR_PEOPLE rows of ``model``: counted on SQLite only, where
        the way people are found follows it. None on PostgreSQL, which weighs
        that by its statistics, and when no record is named."""
        if connection.vendor != "sqlite" or not records:
            return None
        few = filtering.FEW_FOR_PEOPLE
        return any(not self.filters[name].holds_many(model, record, few) for name, record in records.items())

    def filter_active_on(self, postings, name, day):
        # The plain comparisons: with the span test's lower estimate PostgreSQL
        # plans this semi-join worse (it scans every posting held on the day,
        # about 0.2 s at 1M postings, instead of walking the name order, 0.05 s).
        return postings.filter(fuzzy_active_on(day, self.date_mode, span=False))


class PersonWriteSerializer(IdentifiedRecordWriteSerializer):
    """A person: name and slug, and what sources state of them."""

    identifier_model = PersonIdentifier

    class Meta:
        model = Person
        fields = [
            "slug",
            "name",
            "birth_date",
            "native_place",
            "gender",
            "social_group",
            "identifiers",
            REVIEW,
            CITATIONS,
        ]


class MergedPersonMixin:
    """For the persons viewset: the merge action, and a 301 for a removed person."""

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            kept = self._merged_target()
            if kept is None:
                raise
            location = reverse("person-detail", kwargs={self.lookup_field: kept.pk}, request=request)
            detail = f"Person {self.kwargs[self.lookup_field]} was merged into #{kept.pk} ({kept.name})."
            body = {"status": 301, "code": "merged", "detail": detail, "location": location}
            return Response(body, status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location})

    def _merged_target(self):
        """Where an active merge leads the URL's id or slug; None for a key a person
        holds now: a merge frees its slug, and whoever took it answers for it
        (a 404 as of a day before their sources, not a 301 to the old record)."""
        key = self.kwargs[self.lookup_field]
        if key.isdigit():
            return merged_into(int(key))  # ids are never given again
        removed = (
            PersonMerge.objects.filter(removed_slug=key, undone_at__isnull=True)
            .filter(~Exists(Person.objects.filter(slug=key)))
            .order_by("-merged_at", "-pk")
            .values_list("removed_id", flat=True)
            .first()
        )
        return None if removed is None else merged_into(removed)

    @extend_schema(
        operation_id="persons_merge",
        summary="Merge a duplicate into this person",
        description="Moves everything the `remove` person holds (postings, aliases, identifiers, relations, "
        "candidacies, events, citations) to this person, makes the removed name an alias, deletes the removed "
        "record (its URL then answers 301 here) and records the merge, which can be undone "
        "(`POST /api/v1/person-merges/{id}/undo/`). Needs the change and delete permissions on people.",
        request=MergeRequestSerializer,
        responses={
            200: inline_serializer(
                name="MergeResult", fields={"merge": PERSON_MERGE.serializer(), "person": PERSON_DETAIL.serializer()}
            ),
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: REFUSED,
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[CanMergePeople], url_path="merge")
    def merge(self, request, *args, **kwargs):
        kept_id = self.get_object_id()
        body = MergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            merge = merge_people(kept_id, body.validated_data["remove"], request.user, body.validated_data["note"])
        except MergeError as error:
            raise Conflict(str(error)) from error
        self.action = "retrieve"  # read the kept person back as its detail
        return Response({"merge": merge_json(merge.pk), "person": self.read_detail()})

    def get_object_id(self) -> int:
        found = self.queryset.model.objects.filter(self.lookup()).values_list("pk", flat=True).first()
        if found is None:
            raise Http404
        return found


@documented(
    "person",
    "persons",
    " with aliases, relations, postings, party memberships, candidacies, events",
    detail_responses={301: MERGED},
)
@writes.documented_writes("person", "persons")
class PersonViewSet(MergedPersonMixin, writes.RecordWritesMixin, RecordViewSet):
    queryset = Person.objects.all()
    list_spec = PERSON
    detail_spec = PERSON_DETAIL
    write_serializer_class = PersonWriteSerializer
    filterset_class = PersonFilterSet
    reads = (PersonMerge,)  # a merged-away person's URL answers 301
