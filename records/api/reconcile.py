"""/api/v1/reconcile/: the W3C reconciliation service API (version 0.2) that
OpenRefine speaks, over the records (matching and scoring: records/reconcile/).

- ``GET /reconcile/``: the service manifest;
- ``GET /reconcile/?queries=<JSON>`` or ``POST`` with the form field (or JSON
  member) ``queries``: a batch's answers (OpenRefine posts a form);
- ``GET /reconcile/preview/?id=persons/asim-arun``: a small HTML card;
- ``GET /reconcile/suggest/{entity,type,property}/?prefix=...``: suggestions.

Public reads: no credentials, so no CSRF; throttled like every read. Bad
input is a 400 of the API's error shape naming the part that is wrong."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from rest_framework.views import APIView

from records.api.errors import BAD_REQUEST, ErrorSerializer
from records.api.parsers import BoundedJSONParser
from records.reconcile.batch import MAX_TEXT, BatchError, max_queries, parse_batch
from records.reconcile.preview import preview_context
from records.reconcile.service import reconcile
from records.reconcile.suggest import SUGGEST_PAGE, suggest_entities, suggest_properties, suggest_types
from records.reconcile.vocabulary import DEFAULT_TYPE, TYPES

VERSIONS = ["0.2"]
PREVIEW_SIZE = {"width": 420, "height": 180}


def _object(properties: dict, required: list[str] | None = None, **more) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties), **more}


_TEXT = {"type": "string"}
_TYPE = _object({"id": {**_TEXT, "enum": ["person", "party", "constituency", "place"]}, "name": _TEXT})
CANDIDATE = _object(
    {
        "id": {**_TEXT, "description": 'The record\'s path under /api/v1/: "persons/asim-arun".'},
        "name": _TEXT,
        "type": {"type": "array", "items": _TYPE},
        "score": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "How much of what the query asked the record's evidence bears.",
        },
        "match": {"type": "boolean", "description": "True for one candidate at most: the unambiguous one."},
        "description": {**_TEXT, "description": "Who or what it is, in a line."},
        "features": {
            "type": "array",
            "description": "Persons: the evidence, piece by piece, with its weight in the matcher's points.",
            "items": _object({"id": _TEXT, "value": {"type": "number"}}),
        },
    },
    ["id", "name", "type", "score", "match"],
)
# The batch's keys are the client's ("q0", "q1"...): a map of answers.
ANSWERS = {
    "type": "object",
    "description": "One answer per query, under the query's key; candidates best first.",
    "additionalProperties": _object({"result": {"type": "array", "items": CANDIDATE}}),
}
_SERVICE = _object({"service_url": _TEXT, "service_path": _TEXT})
MANIFEST = _object(
    {
        "versions": {"type": "array", "items": _TEXT},
        "name": _TEXT,
        "identifierSpace": _TEXT,
        "schemaSpace": _TEXT,
        "defaultTypes": {"type": "array", "items": _TYPE},
        "view": _object({"url": {**_TEXT, "description": "{{id}} stands for a record's id."}}),
        "preview": _object({"url": _TEXT, "width": {"type": "integer"}, "height": {"type": "integer"}}),
        "suggest": _object({"entity": _SERVICE, "type": _SERVICE, "property": _SERVICE}),
        "batchSize": {"type": "integer", "description": "Queries in one batch, at most."},
    },
    description="The service manifest.",
)


def manifest(request) -> dict:
    base = request.build_absolute_uri("/api/v1/")
    service = f"{base}reconcile"
    return {
        "versions": VERSIONS,
        "name": settings.SPECTACULAR_SETTINGS["TITLE"],
        "identifierSpace": base,
        "schemaSpace": f"{service}/properties",
        "defaultTypes": [{"id": TYPES[DEFAULT_TYPE].id, "name": TYPES[DEFAULT_TYPE].name}],
        "view": {"url": base + "{{id}}/"},
        "preview": {"url": f"{service}/preview/?id={{{{id}}}}", **PREVIEW_SIZE},
        "suggest": {
            name: {"service_url": service, "service_path": f"/suggest/{name}/"}
            for name in ("entity", "type", "property")
        },
        "batchSize": max_queries(),
    }


class _PublicRead(APIView):
    authentication_classes: list = []  # anyone reads; no session, so no CSRF on the POSTed batch
    permission_classes = [permissions.AllowAny]
    allowed_params: frozenset = frozenset()

    def refuse_unknown_params(self, request) -> None:
        unknown = sorted(set(request.query_params) - self.allowed_params)
        if unknown:
            offered = ", ".join(sorted(self.allowed_params))
            raise exceptions.ValidationError({name: [f"Unknown parameter; this takes {offered}."] for name in unknown})
        for name in self.allowed_params:
            if len(request.query_params.getlist(name)) > 1:
                raise exceptions.ValidationError({name: ["Give this parameter once."]})


QUERIES_HELP = (
    'A batch of queries, as JSON: `{"q0": {"query": "ADITYANATH", "type": "person", "limit": 3, "properties": '
    '[{"pid": "party", "v": "BJP"}, {"pid": "constituency", "v": "Gorakhpur Urban"}]}}`. Types: person (the '
    "default), party, constituency, place; persons take the properties party, constituency and year. Without "
    "it, the answer is the service manifest."
)
RECONCILE_DESCRIPTION = (
    "The W3C reconciliation service API 0.2, as OpenRefine speaks it. Without `queries`: the service manifest. "
    "With it: each query's candidates, best first, each with a score (0-100) and `match` true for one that is "
    "unambiguous. Persons are scored by the person matcher that links imported people (name spellings, word "
    "order, initials and titles; a candidacy in the constituency, the party, a year they stood or held a post), "
    "and `features` lists the evidence; parties, constituencies and places by the name search (name, "
    "abbreviation, other names, spelling). A batch holds at most DJANGO_RECONCILE_MAX_QUERIES queries (default "
    "50); more, malformed JSON, an unknown type or property: 400 naming it (`q0.type`)."
)


class ReconcileView(_PublicRead):
    parser_classes = [FormParser, BoundedJSONParser]
    reads_by_post = True  # records/api/schema.py: documented as a public read
    allowed_params = frozenset({"queries"})

    @extend_schema(
        operation_id="reconcile",
        summary="Reconciliation service: manifest, or a batch's answers",
        description=RECONCILE_DESCRIPTION,
        parameters=[OpenApiParameter("queries", {"type": "string"}, description=QUERIES_HELP)],
        responses={
            200: OpenApiResponse(
                {"oneOf": [MANIFEST, ANSWERS]}, description="The manifest (no `queries`), or the batch's answers."
            ),
            400: BAD_REQUEST,
        },
        auth=[],
    )
    def get(self, request):
        self.refuse_unknown_params(request)
        if "queries" not in request.query_params:
            return Response(manifest(request))
        return Response(self.answers(request.query_params["queries"]))

    @extend_schema(
        operation_id="reconcile_batch",
        summary="Reconciliation service: a batch's answers (posted)",
        description=RECONCILE_DESCRIPTION
        + " Posted as OpenRefine does: a form with the field `queries` (or a JSON body with the member `queries`).",
        request={
            "application/x-www-form-urlencoded": {
                "type": "object",
                "properties": {"queries": {"type": "string", "description": QUERIES_HELP}},
                "required": ["queries"],
            },
            "application/json": {
                "type": "object",
                "properties": {"queries": {"description": QUERIES_HELP}},
                "required": ["queries"],
            },
        },
        responses={200: OpenApiResponse(ANSWERS, description="The batch's answers."), 400: BAD_REQUEST},
        auth=[],
    )
    def post(self, request):
        self.refuse_unknown_params(request)
        data = request.data
        if not hasattr(data, "get") or "queries" not in data:
            missing = "Send the batch in the form field (or JSON member) queries."
            raise exceptions.ValidationError({"queries": [missing]})
        raw = data.get("queries")
        if isinstance(raw, dict):  # a JSON body may give the batch itself rather than its text
            raw = json.dumps(raw)
        return Response(self.answers(raw))

    def answers(self, raw) -> dict:
        if not isinstance(raw, str):
            raise exceptions.ValidationError({"queries": ["Expected the batch as a JSON object."]})
        try:
            return reconcile(parse_batch(raw))
        except BatchError as error:
            raise exceptions.ValidationError(error.problems) from None


ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
    required=True,
    description='A record\'s id as the service gives it: "persons/asim-arun".',
)


class PreviewView(_PublicRead):
    allowed_params = frozenset({"id"})

    @extend_schema(
        operation_id="reconcile_preview",
        summary="Reconciliation service: a record's preview card",
        description="A small HTML card (no scripts, no external assets) with what tells the record apart: a "
        "person's name, party, posts and candidacies; a party's abbreviation and other names; a constituency's "
        "number, district and reservation; a place's kind and where it lies. 404 for an id that names no record.",
        parameters=[ID_PARAMETER],
        responses={
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="The card, as an HTML document."),
            400: BAD_REQUEST,
            404: OpenApiResponse(ErrorSerializer, description="No such record."),
        },
        auth=[],
    )
    def get(self, request):
        self.refuse_unknown_params(request)
        wanted = request.query_params.get("id", "")
        if not wanted or len(wanted) > MAX_TEXT or "\x00" in wanted:
            raise exceptions.ValidationError({"id": [f"A record's id (at most {MAX_TEXT} characters)."]})
        context = preview_context(wanted)
        if context is None:
            raise exceptions.NotFound()
        html = render_to_string("reconcile/preview.html", context, request=request)
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class SuggestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(required=False)


class SuggestionsSerializer(serializers.Serializer):
    result = SuggestionSerializer(many=True)


PREFIX = OpenApiParameter(
    "prefix",
    {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
    required=True,
    description="What the user has typed so far.",
)
CURSOR = OpenApiParameter(
    "cursor",
    {"type": "integer", "minimum": 0, "maximum": 999999},
    description=f"How many suggestions to skip ({SUGGEST_PAGE} come at a time).",
)
TYPE = OpenApiParameter("type", str, description="Only records (or properties) of this type.", enum=list(TYPES))


class _SuggestView(_PublicRead):
    allowed_params = frozenset({"prefix", "cursor", "type"})
    suggest = None

    def suggestions(self, request):
        self.refuse_unknown_params(request)
        params = request.query_params
        prefix = params.get("prefix", "").strip()
        problems = {}
        if not prefix or len(prefix) > MAX_TEXT or "\x00" in prefix:
            problems["prefix"] = [f"Text of 1 to {MAX_TEXT} characters."]
        cursor = params.get("cursor", "0")
        if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 6):
            problems["cursor"] = ["A whole number, 0 or more."]
        kind = params.get("type") or None
        if kind is not None and kind not in TYPES:
            problems["type"] = [f"One of {', '.join(TYPES)}."]
        if problems:
            raise exceptions.ValidationError(problems)
        return Response({"result": type(self).suggest(prefix, kind, int(cursor))})


def _suggest_schema(name: str, what: str):
    return extend_schema(
        operation_id=f"reconcile_suggest_{name}",
        summary=f"Reconciliation service: suggest {what}",
        description=f"Suggestions of {what} for what a user types (W3C reconciliation API 0.2, suggest), best "
        f"first, {SUGGEST_PAGE} at a time from `cursor`.",
        parameters=[PREFIX, CURSOR, TYPE],
        responses={200: SuggestionsSerializer, 400: BAD_REQUEST},
        auth=[],
    )


class SuggestEntityView(_SuggestView):
    suggest = staticmethod(suggest_entities)

    @_suggest_schema("entity", "records: persons by default, or of `type`")
    def get(self, request):
        return self.suggestions(request)


class SuggestTypeView(_SuggestView):
    suggest = staticmethod(suggest_types)

    @_suggest_schema("type", "types")
    def get(self, request):
        return self.suggestions(request)


class SuggestPropertyView(_SuggestView):
    suggest = staticmethod(suggest_properties)

    @_suggest_schema("property", "properties (of persons, or of `type`)")
    def get(self, request):
        return self.suggestions(request)
