"""GET /api/v1/popolo/: the records as one Popolo JSON document, streamed
(records/interchange/popolo/). Without parameters, the whole dataset; with
the persons list's filters, the people they choose and what their
memberships refer to."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.reverse import reverse

from records.api import conditional
from records.api.errors import BAD_REQUEST
from records.api.filter_backend import PreparedFilterBackend, prepared
from records.api.renderers import OrjsonRenderer
from records.api.resources.base import refuse_unknown_parameters
from records.api.resources.persons import PersonFilterSet
from records.api.schema import RecordsAutoSchema
from records.api.throttling import ROWS_PER_REQUEST, RateCharge
from records.interchange.popolo import PopoloCounts, popolo_chunks
from records.models import Person

POPOLO_SCHEMAS = "http://www.popoloproject.com/schemas/"
# Parameters that shape how a filter reads, choosing no one by themselves.
MODIFIERS = ("date_match",)


class PopoloPersonFilterSet(PersonFilterSet):
    """The persons list's filters; the document has its own order."""

    ordering = None  # a name declared as not a filter drops the inherited one


def _section(popolo_class: str, what: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.DictField(),
        help_text=f"{what} Each object validates against Popolo's {POPOLO_SCHEMAS}{popolo_class}.json.",
    )


class PopoloDocumentSerializer(serializers.Serializer):
    persons = _section(
        "person",
        "People: `id` (persons/<slug>), `name`, `other_names` (the aliases, their kind as `note`), `identifiers`, "
        "`gender` where a source states it, `birth_date` (see the description for fuzzy dates), `sources`.",
    )
    organizations = _section(
        "organization",
        "Parties, legislatures, police units, services...: `classification` is the kind, `other_names` the "
        "abbreviation and aliases, `parent_id` and `area_id` where known.",
    )
    memberships = _section(
        "membership",
        "Postings (party memberships and offices included: `postings/<id>`) and seats won in official results "
        "(`candidacies/<id>`, with `on_behalf_of_id` the party and `election_id` the election): person, "
        "organization, role, post, area, dates, and the claim's `status` (an extension: expected or "
        "speculated claims are not facts).",
    )
    posts = _section(
        "post",
        'Positions read from the roles: each role in an organisation and place ("Commissioner of Police, Kanpur '
        'Police (Kanpur)") and each seat ("Member of the Uttar Pradesh Assembly for Kannauj (SC)").',
    )
    areas = _section(
        "area",
        "Places (`places/<slug>`) and constituencies (`constituencies/<slug>`, their number as `identifier`, "
        "`reservation` as an extension), with `parent_id`.",
    )
    events = _section(
        "event",
        "Elections: polling's first and last day as `start_date` and `end_date`, the body elected as "
        "`organization_id`, the jurisdiction as `area_id` (an extension), the claim's `status`.",
    )


EXAMPLE = {
    "persons": [
        {
            "id": "persons/asim-arun",
            "name": "Asim Arun",
            "other_names": [{"name": "Asim Kumar Arun", "note": "full name"}],
            "identifiers": [],
            "gender": "male",
            "birth_date_edtf": "1970-01-11/1971-01-10",
            "sources": [{"url": "https://example.org/api/v1/sources/000_b84d1872df6a742e/", "note": "Asim Arun"}],
        }
    ],
    "organizations": [{"id": "organisations/bjp", "name": "Bharatiya Janata Party", "classification": "party"}],
    "memberships": [
        {
            "id": "postings/14",
            "person_id": "persons/asim-arun",
            "organization_id": "organisations/bjp",
            "role": "member",
            "start_date_edtf": "2022-01-10/..",
            "status": "expected",
            "sources": [],
        }
    ],
    "posts": [],
    "areas": [{"id": "places/kannauj", "name": "Kannauj", "classification": "district"}],
    "events": [],
}

DESCRIPTION = f"""The records as one [Popolo](https://www.popoloproject.com/) JSON document: `persons`,
`organizations`, `memberships`, `posts`, `areas` and `events`, each object valid against Popolo's own
JSON Schemas ({POPOLO_SCHEMAS}), every `*_id` naming an object of the document.

**What it holds.** Without parameters: the whole dataset (a download; it is streamed, and counts against
the rate limits as one request per {ROWS_PER_REQUEST} objects sent). With the persons
list's filters (`q`, `party`, `active_on`, `as_of`... as on `GET /api/v1/persons/`): the people they
choose, their memberships, and the posts, organizations (with their parents), areas (with theirs) and
elections those refer to. A bad filter value is a 400 naming it, as on the list. `as_of` and
`according_to` also keep only the memberships and other names those sources are cited for, and only their
quotes.

**Sources.** Each object's `sources` are its citations: `url` is the document's address, or where it
states none, its record under `/api/v1/sources/`; `note` is the quote (a dataset's row for official
results).

**Fuzzy dates.** Popolo dates are a year, a month or a day. A fuzzy date maps to the narrowest of those
that holds every day it may be (`2021-03` stays `2021-03`; spring `2021-21` is `2021`); when its days span
years or a side is open (`1970-01-11/1971-01-10`, `../2021`), no Popolo date is honest and it is left out.
Whenever the stored value differs from the Popolo date, it is kept as written in `<name>_date_edtf`
(`birth_date_edtf`, `start_date_edtf`, `end_date_edtf`).

**Not in Popolo, kept as extensions:** a claim's `status` on memberships (an expected membership is not a
fact), a seat's `election_id`, an election's `area_id`, a constituency's `reservation` and an area's
`other_names`."""


class PopoloSchema(RecordsAutoSchema):
    def get_filter_backends(self):
        # One document, not a list, yet filtered as the persons list is.
        return self.view.filter_backends


class PopoloView(GenericAPIView):
    schema = PopoloSchema()
    permission_classes = [permissions.AllowAny]
    renderer_classes = [OrjsonRenderer]
    queryset = Person.objects.all()
    filterset_class = PopoloPersonFilterSet
    filter_backends = [PreparedFilterBackend]  # documents the filters in the schema
    serializer_class = PopoloDocumentSerializer

    @extend_schema(
        operation_id="popolo",
        summary="Export as Popolo JSON",
        description=DESCRIPTION,
        responses={
            200: OpenApiResponse(
                PopoloDocumentSerializer,
                description="The Popolo document (streamed): the whole dataset, or the people the filters choose "
                "and what their memberships refer to.",
            ),
            400: BAD_REQUEST,
        },
        examples=[OpenApiExample("One person and what they refer to", value=EXAMPLE, response_only=True)],
        auth=[],
    )
    def get(self, request):
        params = request.query_params
        refuse_unknown_parameters(params, self.filterset_class.base_filters)
        filterset = prepared(self.filterset_class)(params, queryset=Person.objects.all(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        chosen = filterset.form.cleaned_data
        persons = None
        if any(value not in (None, "", []) for name, value in chosen.items() if name not in MODIFIERS):
            persons = filterset.qs
        knowledge = filterset.point_of_view()
        counts = PopoloCounts()
        chunks = popolo_chunks(
            persons,
            knowledge=knowledge,
            sources_url=reverse("source-list", request=request),
            counts=counts,
        )
        response = StreamingHttpResponse(
            charged(chunks, counts, RateCharge(self, request)), content_type="application/json"
        )
        response["Cache-Control"] = conditional.cache_control(request)
        conditional.vary(response)
        return response


def charged(chunks: Iterator[bytes], counts: PopoloCounts, charge: RateCharge) -> Iterator[bytes]:
    """The document's bytes, its objects counted against the client's limits as they go out:
    the whole dataset is no way around the rate limits."""
    sent = 0
    for chunk in chunks:
        yield chunk
        charge(counts.objects - sent)
        sent = counts.objects
