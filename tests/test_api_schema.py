"""The OpenAPI schema matches reality.

1. The schema generates without warnings and documents every operation: an
   operationId, a summary, its error response (400 for lists, 404 for details)
   with the Error component, and a description for every list parameter.
2. /api/schema/ serves that schema; /api/docs/ (Swagger UI) and /api/redoc/
   (ReDoc) are self-hosted: no reference to another host, and every asset they
   load is a sidecar static file that is actually served.
3. Schemathesis, in-process over WSGI against the seed data, sends generated
   requests (valid and invalid) to every GET operation: no 5xx, and every
   response has a documented status code and content type and a body that
   validates against the documented schema. Then the same checks on every seed
   record: each list walked page by page under every ordering, each record
   fetched by id and by slug.

Figures (SQLite, seed data; printed after the module as "schemathesis: ..." and
"seed records: ..."): 14 GET operations x 25 examples (max_examples=25,
derandomize=True) = 350 requests (207 valid, 143 invalid; answered 200: 37,
400: 138, 404: 175), 0 failures; seed records: 246 requests (200: 232, 404: 14),
0 failures. The module takes about 25 s of CPU.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import drf_spectacular_sidecar
import pytest
import schemathesis
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api import schemathesis_schema

ERROR_REF = "#/components/schemas/Error"
SCHEMA_URL = "/api/schema/"
TEST_HOST = "testserver"  # the Django test client's host
MAX_EXAMPLES = 25


# -- 1. the generated schema -------------------------------------------------


@pytest.fixture(scope="module")
def generated_schema() -> dict:
    """`manage.py spectacular --validate --fail-on-warn`: raises on any warning or invalid schema."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    return yaml.safe_load(out.getvalue())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete", "head", "options", "trace"):
                yield path, method, operation


# Operations that take no parameters, and the error they document instead.
ERROR_RESPONSE_OF = {"/api/v1/health/": "503"}


def is_detail(path: str) -> bool:
    return "{" in path


def test_schema_generates_valid_and_without_warnings(generated_schema):
    assert generated_schema["openapi"].startswith("3.")
    assert generated_schema["info"]["title"] == "Political Records API"
    assert len(list(operations(generated_schema))) >= 14  # 7 resources x (list, retrieve)


def test_every_operation_has_an_id_a_summary_and_its_error_response(generated_schema):
    problems = []
    ids = Counter()
    for path, method, operation in operations(generated_schema):
        where = f"{method.upper()} {path}"
        ids[operation.get("operationId")] += 1
        if not operation.get("operationId"):
            problems.append(f"{where}: no operationId")
        if not operation.get("summary"):
            problems.append(f"{where}: no summary")
        code = ERROR_RESPONSE_OF.get(path) or ("404" if is_detail(path) else "400")
        response = operation.get("responses", {}).get(code)
        if response is None:
            problems.append(f"{where}: no {code} response")
            continue
        if not response.get("description"):
            problems.append(f"{where}: {code} has no description")
        ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if ref != ERROR_REF:
            problems.append(f"{where}: {code} is {ref!r}, not {ERROR_REF}")
    problems += [f"operationId {name!r} used {n} times" for name, n in ids.items() if n > 1]
    assert problems == []


def test_every_list_query_parameter_is_described(generated_schema):
    undescribed = [
        f"{method.upper()} {path}: {parameter['name']}"
        for path, method, operation in operations(generated_schema)
        if not is_detail(path)
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query" and not (parameter.get("description") or "").strip()
    ]
    assert undescribed == []


def test_error_component_matches_the_error_handler(generated_schema):
    error = generated_schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"status", "code", "detail"}
    assert set(error["properties"]) == {"status", "code", "detail", "errors", "request_id"}


# -- 2. the schema endpoint and the documentation pages ------------------------


def test_schema_endpoint_serves_the_generated_schema(client, generated_schema):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(response.content) == generated_schema

    as_json = client.get(SCHEMA_URL, {"format": "json"})
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json() == generated_schema


class _References(HTMLParser):
    """Every URL-valued attribute, and the text of every inline script."""

    URL_ATTRIBUTES = {"src", "href", "spec-url", "action", "data", "poster", "srcset", "formaction"}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.inline_scripts: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES and value:
                self.urls.append((tag, name, value.strip()))
        self._in_inline_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script:
            self.inline_scripts.append(data)


# Absolute or protocol-relative URLs in JavaScript source.
ABSOLUTE_URL = re.compile(r"""(?:\b[a-z][a-z0-9+.-]*:)?//[^\s"'`)<>]+""", re.IGNORECASE)
# The URL a page's own JS config points the UI at (SwaggerUIBundle({url: ...}), Redoc.init("...")).
CONFIG_URL = re.compile(r"""\burl\s*:\s*["']([^"']+)["']|Redoc\.init\(\s*["']([^"']+)["']""")


def is_same_host(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return False  # javascript:, data:, ftp:...
    return parts.netloc in ("", TEST_HOST)


def page_references(client: Client, url: str) -> _References:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html"), url
    parser = _References()
    parser.feed(response.content.decode())
    return parser


def is_own_script(page: str, url: str) -> bool:
    """The page's start-up script, served by the page's own view (Swagger UI's, from `?script`, for the CSP)."""
    return urlsplit(urljoin(f"http://{TEST_HOST}{page}", url)).path == page


# ReDoc's bundle, served by a view of ours (test_redoc_bundle_is_the_sidecars_without_the_remote_logo).
REDOC_BUNDLE_URL = "/api/redoc/redoc.standalone.js"


def page_scripts(client: Client, page: str, refs: _References) -> list[str]:
    """The page's inline scripts and the start-up script its view serves."""
    scripts = list(refs.inline_scripts)
    for tag, attr, url in refs.urls:
        if (tag, attr) == ("script", "src") and is_own_script(page, url):
            response = client.get(urljoin(f"http://{TEST_HOST}{page}", url))
            assert response.status_code == 200, url
            scripts.append(response.content.decode())
    return scripts


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_page_references_no_external_host(client, page):
    refs = page_references(client, page)
    external = [f"<{tag} {attr}={url!r}>" for tag, attr, url in refs.urls if not is_same_host(url)]
    for script in page_scripts(client, page, refs):
        external += [f"inline script: {url!r}" for url in ABSOLUTE_URL.findall(script) if not is_same_host(url)]
    assert not external, f"{page} references other hosts: {external}"


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_page_points_at_the_schema_endpoint(client, page):
    refs = page_references(client, page)
    targets = [url for tag, attr, url in refs.urls if attr == "spec-url"]
    for script in page_scripts(client, page, refs):
        targets += [a or b for a, b in CONFIG_URL.findall(script)]
    assert targets, f"{page} names no schema URL"
    for target in targets:
        assert is_same_host(target), target
        response = client.get(urljoin(f"http://{TEST_HOST}{page}", target))
        assert response.status_code == 200, target
        assert response["Content-Type"].startswith("application/vnd.oai.openapi"), target


def static_assets(client: Client, page: str) -> list[str]:
    refs = page_references(client, page)
    return [
        urljoin(f"http://{TEST_HOST}{page}", url)
        for tag, attr, url in refs.urls
        if (tag, attr) in {("script", "src"), ("link", "href"), ("img", "src")}
        and is_same_host(url)
        and not url.startswith("#")
        and not is_own_script(page, url)
        and urlsplit(url).path != REDOC_BUNDLE_URL
    ]


def test_redoc_bundle_is_the_sidecars_without_the_remote_logo(client):
    assert f'src="{REDOC_BUNDLE_URL}"' in client.get("/api/redoc/").content.decode()
    response = client.get(REDOC_BUNDLE_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    sidecar = Path(finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")).read_text()
    assert "https://cdn.redoc.ly/redoc/logo-mini.svg" in sidecar
    assert response.content.decode() == sidecar.replace("https://cdn.redoc.ly/redoc/logo-mini.svg", "")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "/api/docs/",
            {
                "swagger-ui-dist/swagger-ui-bundle.js",
                "swagger-ui-dist/swagger-ui-standalone-preset.js",
                "swagger-ui-dist/swagger-ui.css",
                "swagger-ui-dist/favicon-32x32.png",
            },
        ),
        ("/api/redoc/", set()),
    ],
)
def test_docs_page_assets_are_sidecar_static_files_that_are_served(client, page, expected):
    static_url = settings.STATIC_URL  # "/static/"
    sidecar_dir = Path(drf_spectacular_sidecar.__file__).resolve().parent
    assets = static_assets(client, page)
    names = []
    for asset in assets:
        path = urlsplit(asset).path
        assert path.startswith(static_url), f"{asset} is not under STATIC_URL {static_url}"
        name = path.removeprefix(static_url)
        found = finders.find(name)
        assert found, f"{name}: no static file of that name"
        assert Path(found).resolve().is_relative_to(sidecar_dir), f"{name} is not from the installed sidecar"
        names.append(name.removeprefix("drf_spectacular_sidecar/"))
    assert expected <= set(names), f"{page} loads {sorted(names)}"

    # DEBUG is off in tests, so WhiteNoise serves STATIC_ROOT only (not collected here);
    # with the finders it serves what `collectstatic` would collect: these files, byte for byte.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=False):
        static_client = Client()  # a new handler, so the middleware reads these settings
        for asset in assets:
            path = urlsplit(asset).path
            response = static_client.get(path)
            assert response.status_code == 200, path
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body == Path(finders.find(path.removeprefix(static_url))).read_bytes(), path


# -- 3. every GET operation against the app, in-process -------------------------

# The schema the app serves, loaded through the app itself (WSGI: no network, no database).
# Phases: Hypothesis fuzzing (valid and invalid requests, `max_examples` per operation).
# Schemathesis's coverage phase (every boundary and invalid value of every parameter, not
# bounded by `max_examples`: 1,155 more cases here) is off to keep the run short; it passed too.
SCHEMATHESIS_CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
api_schema = schemathesis_schema(SCHEMATHESIS_CONFIG).include(method="GET")

CHECKS = [
    not_a_server_error,  # no 5xx
    status_code_conformance,  # the status code is documented
    content_type_conformance,  # so is the content type
    response_headers_conformance,  # documented headers are present and valid
    response_schema_conformance,  # the body validates against the documented schema
]

RESOURCES = ["persons", "postings", "parties", "organisations", "places", "elections", "sources"]

# operation label -> examples, failures, "<phase> <mode>", "HTTP <status>"
FIGURES: dict[str, Counter] = defaultdict(Counter)
SEED_FIGURES: Counter = Counter()  # requests and failures of the seed-driven walk


@pytest.fixture
def app_shares_test_connection():
    """Requests go straight to the WSGI app, and Django runs `close_old_connections` when a
    request starts and ends: inside the test's transaction that closes the connection (on
    PostgreSQL, losing the transaction and the seed data). Django's test client does this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report_figures(request):
    """Prints the run's figures after the module."""
    yield
    lines = []
    if FIGURES:
        total = sum(FIGURES.values(), Counter())
        failing = sorted(label for label, figures in FIGURES.items() if figures["failures"])
        breakdown = ", ".join(f"{key}: {n}" for key, n in sorted(total.items()) if key not in ("examples", "failures"))
        lines += [
            f"schemathesis: {len(FIGURES)} operations, {total['examples']} examples ({breakdown}), "
            f"{total['failures']} failing examples" + (f" in {', '.join(failing)}" if failing else ""),
            *(
                f"  {label}: {figures['examples']} examples, {figures['failures']} failing"
                for label, figures in sorted(FIGURES.items())
            ),
        ]
    if SEED_FIGURES:
        lines.append(
            f"seed records: {SEED_FIGURES['requests']} requests, {SEED_FIGURES['failures']} failing"
            f" ({', '.join(f'{key}: {n}' for key, n in sorted(SEED_FIGURES.items()) if key.startswith('HTTP'))})"
        )
    if not lines:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        for line in lines:
            reporter.write_line(line)


@api_schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same examples on every run
    database=None,  # nothing written to .hypothesis/
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_get_operation_conforms_to_schema(case, seeded, app_shares_test_connection):
    figures = FIGURES[case.operation.label]
    figures["examples"] += 1
    if case.meta is not None:
        figures[f"{case.meta.phase.name.value} {case.meta.generation.mode.value}"] += 1
    try:
        response = case.call()
        figures[f"HTTP {response.status_code}"] += 1
        case.validate_response(response, checks=CHECKS)
    except Exception:
        figures["failures"] += 1
        raise


# Random requests rarely name an existing record (the fuzzed detail requests all get a 404
# and most fuzzed filters an unknown key), so the bodies of real records are validated here:
# every seed record, listed under every ordering and page by page, and fetched by id and slug.


def call_and_validate(operation, expected_status: int, **case_kwargs):
    case = operation.Case(**case_kwargs)
    SEED_FIGURES["requests"] += 1
    try:
        response = case.call()
        SEED_FIGURES[f"HTTP {response.status_code}"] += 1
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == expected_status, f"{operation.label} {case_kwargs}: {response.status_code}"
    except Exception:
        SEED_FIGURES["failures"] += 1
        raise
    return response.json()


def ordering_values(operation) -> list[str]:
    (ordering,) = [p for p in operation.definition.raw["parameters"] if p["name"] == "ordering"]
    return ordering["schema"]["items"]["enum"]


def walk_list(operation, ordering: str | None) -> list[dict]:
    """Every row of a list, following `next` links, 5 rows a page."""
    query = {"page_size": "5", "count": "true", **({"ordering": ordering} if ordering else {})}
    body = call_and_validate(operation, 200, query=query)
    total, rows = body["count"], list(body["results"])
    while body["next"]:
        next_link = urlsplit(body["next"])
        assert next_link.path == operation.path, body["next"]
        body = call_and_validate(operation, 200, query=dict(parse_qsl(next_link.query)))
        assert body["count"] == total  # the links keep count=true
        rows += body["results"]
        assert len(rows) <= total, f"{operation.label} ordering={ordering}: more rows than count={total}"
    ids = [row["id"] for row in rows]
    assert len(ids) == total, f"{operation.label} ordering={ordering}: {len(ids)} rows, count={total}"
    assert len(set(ids)) == len(ids), f"{operation.label} ordering={ordering}: a row served twice"
    return rows


@pytest.mark.parametrize("resource", RESOURCES)
def test_seed_records_conform_to_schema(resource, seeded, app_shares_test_connection):
    list_operation = api_schema[f"/api/v1/{resource}/"]["GET"]
    detail_operation = api_schema[f"/api/v1/{resource}/{{id}}/"]["GET"]

    rows = walk_list(list_operation, ordering=None)
    assert rows, f"no {resource} in the seed data"
    for ordering in ordering_values(list_operation):
        assert sorted(row["id"] for row in walk_list(list_operation, ordering)) == sorted(row["id"] for row in rows)

    for row in rows:
        for key in (str(row["id"]), row.get("slug")):
            if key:
                body = call_and_validate(detail_operation, 200, path_parameters={"id": key})
                assert body["id"] == row["id"]
    missing = max(row["id"] for row in rows) + 1000
    call_and_validate(detail_operation, 404, path_parameters={"id": str(missing)})
    call_and_validate(detail_operation, 404, path_parameters={"id": "no-such-record"})
