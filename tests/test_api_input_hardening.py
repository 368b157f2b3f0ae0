"""Every query parameter of every list refuses malformed values with a JSON 400
that names it: nothing a client sends to a list is a 500, an empty list or a
silently ignored filter.

Table-driven from the code itself: the list operations and their parameters
come from the generated OpenAPI schema, the malformed values from each
parameter's documented type (integer bounds, date format, enum, maxLength...),
and each viewset's filterset_class is checked against the schema. A new list or
filter is covered without editing this file, and a parameter whose type gives
no malformed value (e.g. a text filter without a documented maximum length)
fails `test_every_list_parameter_has_malformed_values`.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from records.api.pagination import MAX_PAGE_SIZE
from records.models import ClaimLink, Posting
from tests.api import openapi_document

# Values that are malformed for every kind of parameter: a NUL byte (PostgreSQL
# refuses it in a string: a classic 500) and a C1 control character.
ANY_KIND = ["\x00", "a\x00b"]

INTEGER = ["abc", "1.5", "1.0", "1e400", "NaN", "Infinity", "\u00b2", "\uff11", "0x10", " 1 ", "--1", "9" * 40]
DATE = [
    "2021-13-01",
    "2021-02-30",
    "2021-1-1",
    "0000-01-01",
    "99999-01-01",
    "2021-06-01T00:00",
    "yesterday",
    "1e400",
    "NaN",
    "\uff12\uff10\uff12\uff11-01-01",
]
BOOLEAN = ["maybe", "2", "yes", "truee", "\u00b9"]
CHOICE = ["no-such-choice", "\u00b2", "x" * 1000, "%s", "a%(x)s%"]  # "%": never read as a format


def malformed_values(parameter: dict) -> list[str] | None:
    """Values the parameter's documented schema rules out; None when the schema
    gives no way to tell a malformed value (which is itself a finding)."""
    schema = parameter["schema"]
    if schema.get("type") == "array":
        schema = schema["items"]
    kind = schema.get("type")
    if "enum" in schema:
        return ANY_KIND + CHOICE
    if kind == "integer":
        if "minimum" not in schema or "maximum" not in schema:
            return None  # unbounded: huge and negative values are not ruled out
        return ANY_KIND + INTEGER + [str(schema["minimum"] - 1), str(schema["maximum"] + 1)]
    if kind == "boolean":
        return ANY_KIND + BOOLEAN
    if kind == "string" and schema.get("format") == "date":
        return ANY_KIND + DATE
    if kind == "string" and parameter["name"] == "cursor":
        return [*ANY_KIND, "not-a-cursor", "====", "été", base64.urlsafe_b64encode(b"[1,2]").decode()]
    if kind == "string" and "maxLength" in schema:
        unmatched = ["does not match the pattern"] if "pattern" in schema else []
        return [*ANY_KIND, "x" * (schema["maxLength"] + 1), *unmatched]
    return None


# -- the operations, from the schema --------------------------------------------


def list_operations(schema: dict) -> list[tuple[str, dict]]:
    """GET operations that answer a paginated list (persons, ..., histories)."""
    found = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        ref = ok.get("schema", {}).get("$ref", "")
        body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else ok.get("schema", {})
        if "results" in body.get("properties", {}) and "next" in body.get("properties", {}):
            found.append((path, operation))
    return found


SCHEMA = openapi_document()
LISTS = list_operations(SCHEMA)
CASES = [
    pytest.param(path, parameter["name"], value, id=f"{path}?{parameter['name']}={value[:12]!r}")
    for path, operation in LISTS
    for parameter in operation.get("parameters", [])
    if parameter["in"] == "query"
    for value in malformed_values(parameter) or []
]


def test_the_schema_has_every_list_of_the_router():
    from records.api.urls import router

    list_paths = {path for path, _ in LISTS}
    expected = {f"/api/v1/{prefix}/" for prefix, viewset, _ in router.registry if hasattr(viewset, "list")}
    assert expected - list_paths == set()
    assert len(LISTS) >= 9


def test_every_list_parameter_has_malformed_values():
    uncovered = [
        f"{path} {parameter['name']}: {parameter['schema']}"
        for path, operation in LISTS
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and malformed_values(parameter) is None
    ]
    assert uncovered == []


def test_every_filter_of_every_filterset_is_a_documented_parameter():
    from records.api.urls import router

    undocumented = []
    by_path = dict(LISTS)
    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None or f"/api/v1/{prefix}/" not in by_path:
            continue
        documented = {p["name"] for p in by_path[f"/api/v1/{prefix}/"].get("parameters", [])}
        undocumented += [f"{prefix}: {name}" for name in filterset.base_filters if name not in documented]
    assert undocumented == []


# -- the requests ------------------------------------------------------------------


@pytest.fixture
def api(results_2017, db, client):
    """On the seeds and the 2017 results (every list has records, so histories and
    cursors can be tried), a client signed in as a superuser: lists that need a
    login (person merges) get to their parameter checks too."""
    user = get_user_model().objects.create_superuser("hardening", "h@example.org", "x")
    client.force_login(user)
    if not ClaimLink.objects.exists():  # the seeds link no claims yet: one, so that its history can be tried
        later, earlier = Posting.objects.order_by("pk")[:2]
        posting = ContentType.objects.get_for_model(Posting)
        ClaimLink.objects.create(
            claim_type=posting, claim_id=later.pk, kind="confirms", target_type=posting, target_id=earlier.pk
        )
    return client


def concrete(path: str, client) -> str:
    """The path with its {id} filled by a record of the parent list (histories)."""
    if "{" not in path:
        return path
    parent, _, rest = path.partition("{")
    body = client.get(parent, {"page_size": 1}).json()
    assert body["results"], f"no record in {parent} to fill {path}"
    return parent + str(body["results"][0]["id"]) + rest.partition("}")[2]


def assert_names(response, parameter: str) -> None:
    assert response.status_code == 400, (parameter, response.status_code, response.content[:300])
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert parameter in body["errors"], body
    assert all(isinstance(message, str) and message for message in body["errors"][parameter])


@pytest.mark.parametrize(("path", "parameter", "value"), CASES)
def test_malformed_value_is_a_400_naming_the_parameter(api, path, parameter, value):
    assert_names(api.get(concrete(path, api), {parameter: value}), parameter)


def test_the_table_covers_every_list_and_the_pagination():
    covered = {(path, parameter) for path, parameter, _ in (case.values for case in CASES)}
    for path, _ in LISTS:
        for parameter in ("page_size", "cursor", "count"):
            assert (path, parameter) in covered, (path, parameter)
    assert (LISTS[0][0], "page_size", str(MAX_PAGE_SIZE + 1)) in [tuple(case.values) for case in CASES]


# A cursor is opaque, but a client can take one apart: a real cursor with one of
# its values replaced must not reach the database with a value of the wrong type.
TAMPERED_VALUES = ["\x00", "a\x00b", 10**30, -(10**30), 1.5, True, [1], {"a": 1}, "x" * 2000]  # longer: a 414 (the URL)


def _tampered_cursors(next_link: str) -> list[str]:
    raw = parse_qs(urlsplit(next_link).query)["cursor"][0]
    payload = json.loads(base64.urlsafe_b64decode(raw + "==="))
    cursors = []
    for index in range(len(payload["v"])):
        for value in TAMPERED_VALUES:
            tampered = {**payload, "v": [*payload["v"][:index], value, *payload["v"][index + 1 :]]}
            cursors.append(base64.urlsafe_b64encode(json.dumps(tampered).encode()).decode())
    cursors.append(base64.urlsafe_b64encode(json.dumps({**payload, "v": payload["v"][:-1]}).encode()).decode())
    cursors.append(raw[: len(raw) // 2])  # truncated
    return cursors


@pytest.mark.parametrize("path", [path for path, _ in LISTS])
def test_a_tampered_cursor_is_a_400_naming_it(api, path):
    url = concrete(path, api)
    orderings = [None]
    for parameter in dict(LISTS)[path].get("parameters", []):
        if parameter["name"] == "ordering":
            orderings += parameter["schema"]["items"]["enum"]
    tried = 0
    for ordering in orderings:
        body = api.get(url, {"page_size": 1, **({"ordering": ordering} if ordering else {})}).json()
        if not body["next"]:
            continue
        for cursor in _tampered_cursors(body["next"]):
            params = {"page_size": 1, "cursor": cursor, **({"ordering": ordering} if ordering else {})}
            assert_names(api.get(url, params), "cursor")
            tried += 1
    if len(api.get(url, {"page_size": 200}).json()["results"]) > 1:
        assert tried, f"{path}: no cursor tampered"
