"""Every operation of the schema documents the errors it can answer, with the
JSON error body, and says whether it needs credentials (records/api/schema.py).

Checked on the API's own schema (whatever operations exist when the test runs,
writes included) and on a small write viewset, so that the write rules are
tested even before the API has writes of its own.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from drf_spectacular.generators import SchemaGenerator
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from tests.api import openapi_document

ERROR_REF = "#/components/schemas/Error"
WRITES = {"post", "put", "patch", "delete"}
CONDITIONAL = {"put", "patch", "delete"}
# Reads sent by POST: the reconciliation batch, which OpenRefine posts as a form. Public like
# every read (no 401, 403), with a body that may be too large (413).
READS_BY_POST = {("post", "/api/v1/reconcile/")}


def expected_errors(method: str, path: str) -> set[str]:
    codes = {"429"}
    if (method, path) in READS_BY_POST:
        return codes | {"413"}
    if method in WRITES:
        codes |= {"401", "403", "413"}
    if method in CONDITIONAL:
        codes |= {"412", "428"}
    return codes


def operations(schema: dict):
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                yield route, method, operation


def problems_in(schema: dict) -> list[str]:
    problems = []
    for route, method, operation in operations(schema):
        where = f"{method.upper()} {route}"
        for code in sorted(expected_errors(method, route)):
            response = operation["responses"].get(code)
            if response is None:
                problems.append(f"{where}: no {code}")
                continue
            if not response.get("description"):
                problems.append(f"{where}: {code} has no description")
            ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
            if ref != ERROR_REF:
                problems.append(f"{where}: {code} body is {ref!r}")
        if "429" in operation["responses"] and "Retry-After" not in operation["responses"]["429"].get("headers", {}):
            problems.append(f"{where}: 429 without Retry-After")
        security = operation.get("security")
        if (method, route) in READS_BY_POST and security != []:
            problems.append(f"{where}: security {security!r} (a public read)")
        elif (
            (method, route) not in READS_BY_POST
            and method in WRITES
            and (not security or {} in security or not any("tokenAuth" in s for s in security))
        ):
            problems.append(f"{where}: security {security!r} (must require tokenAuth)")
        for code in ("412", "428"):
            if method not in CONDITIONAL and code in operation["responses"]:
                problems.append(f"{where}: {code} documented on a request without If-Match")
    return problems


@pytest.fixture(scope="module")
def api_schema() -> dict:
    return openapi_document()


def test_every_operation_documents_its_errors_and_security(api_schema):
    assert problems_in(api_schema) == []


def test_every_public_read_needs_no_credentials(api_schema):
    reads = [(route, op) for route, method, op in operations(api_schema) if method == "get"]
    assert reads
    assert [route for route, op in reads if op.get("security") != []] == []


# -- the write rules, on a write viewset of our own -----------------------------


class _GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class _GroupViewSet(viewsets.ModelViewSet):
    queryset = Group.objects.all()
    serializer_class = _GroupSerializer
    permission_classes = [permissions.DjangoModelPermissions]


class _OpenViewSet(_GroupViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


@pytest.fixture(scope="module")
def write_schema() -> dict:
    router = SimpleRouter()
    router.register("things", _GroupViewSet, basename="thing")
    return SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)


def test_a_write_viewset_documents_every_write_error(write_schema):
    methods = {method for _, method, _ in operations(write_schema)}
    assert methods == {"get", "post", "put", "patch", "delete"}
    assert problems_in(write_schema) == []


def test_if_match_errors_only_on_writes_to_an_existing_record(write_schema):
    create = write_schema["paths"]["/things/"]["post"]["responses"]
    update = write_schema["paths"]["/things/{id}/"]["put"]["responses"]
    assert "412" not in create
    assert "428" not in create
    assert {"412", "428", "404"} <= set(update)


def test_a_read_that_needs_a_login_is_not_documented_as_public(write_schema):
    # DjangoModelPermissions refuses anonymous reads: credentials are documented.
    security = write_schema["paths"]["/things/"]["get"].get("security")
    assert security
    assert {} not in security


def test_a_write_is_never_documented_as_open_to_anonymous_clients():
    router = SimpleRouter()
    router.register("things", _OpenViewSet, basename="thing")
    schema = SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)
    assert schema["paths"]["/things/"]["get"]["security"] == []
    assert {} not in schema["paths"]["/things/"]["post"]["security"]
    assert problems_in(schema) == []
