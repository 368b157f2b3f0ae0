"""What a claim shows beyond its own columns, as read-spec parts
(records/api/readspec.py): its citations (the quotes of its sources), its
links to other claims and what superseded it, its review state and its key.
A page's citations, at every level, are read in one query, and its links in
another, once every part has loaded (``Page.finish``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from records.api.readspec import Day, Field, Page, Part, Spec, timestamp
from records.compiled_queries import Ids, compiled
from records.knowledge import EVERYTHING, Knowledge, by_content_type, links_of, superseded_by
from records.models import Citation, ReviewStatus

KEY_HELP = "The claim's key, unique per person: how annotations and imports name it (empty if made without one)."


def claim_key() -> Field:
    """A claim's ``key`` (a slug, or empty for a claim made without one)."""
    return Field("key", schema=serializers.CharField(read_only=True, help_text=KEY_HELP))


class Links(Part):
    """A claim's links to other claims (either side) and, derived from them, what
    superseded it; all of a page's, at every level, in one query."""

    key = "links"

    def __init__(self, model=None):
        self.model = model  # its spec's (Spec sets it)

    def keys(self):
        return ("links", "superseded_by")

    def columns(self, prefix):
        return [f"{prefix}id"]

    def of_spec(self, model):
        return Links(model)

    def load(self, spec, rows, prefix, page):
        page.links_wanted[spec.model].update(row[f"{prefix}id"] for row in rows)
        page.finishers.setdefault("links", _load_links)

    def values(self, row, prefix, page):
        links = page.linked.get((self.model, row[f"{prefix}id"]), [])
        yield "links", links
        yield "superseded_by", superseded_by(self.model._meta.model_name, row[f"{prefix}id"], links)

    def schema_fields(self, model):
        return {
            "links": LINK_SCHEMA(
                many=True,
                read_only=True,
                help_text="How this claim stands to others, either side: a later claim that confirms, supersedes, "
                "fulfils, contradicts or retracts an earlier one, with the day the link was first published.",
            ),
            "superseded_by": SUPERSEDED_SCHEMA(
                read_only=True,
                allow_null=True,
                help_text="The claim that superseded, fulfilled or retracted this one, and since when; null while "
                "it stands (as of the `as_of` day, when one is asked).",
            ),
        }


CLAIM_REF_SCHEMA = inline_serializer(
    name="ClaimRef",
    fields={
        "type": serializers.CharField(help_text="posting, event, candidacy, partyresult or personrelation."),
        "id": serializers.IntegerField(),
    },
)


# Classes, made once: a serializer class made per use from one ``fields`` dict
# (``functools.partial(inline_serializer, ...)``) gets no fields after the first,
# since making the class pops them from the dict.
class ClaimLinkRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The link's id (/api/v1/claim-links/).")
    kind = serializers.CharField(help_text="confirms, supersedes, fulfils, contradicts or retracts.")
    claim = CLAIM_REF_SCHEMA
    target = CLAIM_REF_SCHEMA
    since = serializers.DateField(allow_null=True, help_text="Publication day of the first source citing it.")


class SupersededBySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="supersedes, fulfils or retracts.")
    claim = CLAIM_REF_SCHEMA
    since = serializers.DateField(allow_null=True)


LINK_SCHEMA = ClaimLinkRefSerializer
SUPERSEDED_SCHEMA = SupersededBySerializer


class Citations(Part):
    """The record's citations: all of a page's, at every level, in one query."""

    key = "citations"

    def __init__(self, model=None, **kwargs):
        self.model, self.kwargs = model, kwargs  # the model: its spec's (Spec sets it)

    def columns(self, prefix):
        return [f"{prefix}id"]

    def of_spec(self, model):
        return Citations(model, **self.kwargs)

    def load(self, spec, rows, prefix, page):
        page.wanted[spec.model].update(row[f"{prefix}id"] for row in rows)
        page.finishers.setdefault("citations", _load_citations)

    def value(self, row, prefix, page):
        return page.cited.get((self.model, row[f"{prefix}id"]), [])

    def expressions(self, prefix, bind):
        if not self._plain(Citations):
            return super().expressions(prefix, bind)
        return [(self.key, f"page.cited.get(({bind(self.model)}, row[{prefix + 'id'!r}]), [])")]

    def schema_fields(self, model):
        return {self.key: CITATION.serializer(**{"many": True, "read_only": True, **self.kwargs})}


REVIEW_KEYS = ("review_status", "verified_by", "verified_at")


class Review(Part):
    """A resource's own review state; ``verified_by`` is the curator's username, never more of the account."""

    key = "review_status"

    def keys(self):
        return REVIEW_KEYS

    def columns(self, prefix):
        return [f"{prefix}review_status", f"{prefix}verified_by__username", f"{prefix}verified_at"]

    def values(self, row, prefix, page):
        yield "review_status", row[f"{prefix}review_status"]
        yield "verified_by", row[f"{prefix}verified_by__username"]
        yield "verified_at", timestamp(row[f"{prefix}verified_at"], page.timezone)

    def expressions(self, prefix, bind):
        if type(self).values is not Review.values:
            return None
        return [
            ("review_status", f"row[{prefix + 'review_status'!r}]"),
            ("verified_by", f"row[{prefix + 'verified_by__username'!r}]"),
            ("verified_at", f"{bind(timestamp)}(row[{prefix + 'verified_at'!r}], page.timezone)"),
        ]

    def schema_fields(self, model):
        return {
            "review_status": serializers.ChoiceField(
                choices=ReviewStatus.choices,
                read_only=True,
                help_text="draft until a curator has checked the record against its sources, then verified.",
            ),
            "verified_by": serializers.CharField(
                read_only=True,
                allow_null=True,
                help_text="Username of the curator who verified the record; null for a draft.",
            ),
            "verified_at": serializers.DateTimeField(
                read_only=True, allow_null=True, help_text="When the record was verified; null for a draft."
            ),
        }


# -- citations ----------------------------------------------------------------

CITATION = Spec(
    Citation,
    "Citation",
    [
        Field("id"),
        Field("source", "source_id"),
        Field("source_slug", "source__slug", schema=serializers.CharField(read_only=True)),
        Day("published_on", "source__published_on", schema=serializers.DateField(read_only=True, allow_null=True)),
        Field("field", help_text="The field this quote supports; empty for the whole record."),
        Field("quote"),
        Field("start"),
        Field("end"),
        Field("said", help_text="Relative words a date was resolved from, if any."),
        Field(
            "locator",
            help_text='Where in a dataset the record comes from, e.g. "constituencies[0].candidates[2]" '
            "(a dataset's citations have no quote or offsets); empty for a quote.",
        ),
    ],
)
_CITATION_COLUMNS = CITATION.columns()


def citations_of(records: dict, knowledge: Knowledge = EVERYTHING) -> dict[tuple[type, int], list[dict]]:
    """Citations of several kinds of records in one query: (model, id) ->
    citations, by source, then position in its text, then id; only those of
    the sources ``knowledge`` sees. The query is compiled once per kinds of
    records and point of view (records/compiled_queries.py)."""
    wanted = by_content_type(records)
    out: dict[tuple[type, int], list[dict]] = defaultdict(list)
    if not wanted:
        return out
    types = tuple(wanted)
    shape = ("citations_of", types, knowledge.as_of, knowledge.according_to)
    query = compiled(shape, lambda: _citations_query(types, knowledge))
    page = Page()
    for row in query.values(**{f"ids{kind}": ids for kind, (_, ids) in wanted.items()}):
        out[(wanted[row["content_type_id"]][0], row["object_id"])].append(CITATION.build_one(row, page))
    return out


def _citations_query(types: tuple[int, ...], knowledge: Knowledge):
    condition = Q()
    for kind in types:
        condition |= Q(content_type_id=kind, object_id__in_ids=Ids(f"ids{kind}"))
    rows = Citation.objects.filter(condition, knowledge.citations()).order_by("source_id", "start", "id")
    return rows.values(*_CITATION_COLUMNS, "content_type_id", "object_id")


def _load_citations(page: Page) -> None:
    page.cited = citations_of(page.wanted, page.knowledge)


def _load_links(page: Page) -> None:
    page.linked = links_of(page.links_wanted, page.knowledge)
