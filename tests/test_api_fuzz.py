"""Schemathesis over every operation of the API, writes included, in-process
(WSGI) against the throwaway test database, signed in with a curator's token.

Phases: the schema's examples, fuzzing (Hypothesis-generated valid and
invalid requests) and stateful (sequences that follow the schema's links, e.g.
create a record, then read, change and delete it); `make fuzz` adds coverage
(boundary and invalid values of every parameter and body field). Checks: no
5xx, status codes, content types, headers and bodies as documented, and
`ignored_auth`: an operation that declares authentication is sent again
without the token (and with a wrong one) and must be refused.

Per-operation fuzzing covers the writes: every GET is fuzzed with the same
checks in test_api_schema.py, and every malformed query parameter of every list
is sent by test_api_input_hardening.py, so they are not sent again here.

Bounded for CI: MAX_EXAMPLES per operation in the fuzzing phase, a fixed seed
(derandomized Hypothesis), STATEFUL_STEPS bounded. The figures are printed
after the module ("fuzz: ...") and quoted in README's testing section.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from records.roles import ensure_curator_group
from tests.api import schemathesis_schema
from tests.conftest import dump_records

# `make test` runs the quick depth; `make fuzz` (FUZZ_DEPTH=deep) adds the
# coverage phase (every boundary and invalid value of every body field and
# parameter: about 5,400 more requests, a minute per database) and runs longer.
DEEP = os.environ.get("FUZZ_DEPTH", "quick") == "deep"
MAX_EXAMPLES = 100 if DEEP else 15  # per operation, fuzzing phase
STATEFUL_EXAMPLES = 50 if DEEP else 10  # scenarios of the stateful phase
STATEFUL_STEPS = 15 if DEEP else 8  # calls per scenario at most
TOKEN = "f022" * 10  # a curator's token, in the test database only

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20170311,
        # The schema's own scheme, so that `ignored_auth` knows the token is real and probes without it.
        "auth": {"openapi": {"tokenAuth": {"api_key": f"Token {TOKEN}"}}},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": DEEP},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True},
        },
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
    }
)
api_schema = schemathesis_schema(CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
CHECK_NAMES = {check: check.__name__ for check in CHECKS}

# operation label -> requests, failures by check, "<phase> <mode>", "HTTP <status>"
FIGURES: dict[str, Counter] = defaultdict(Counter)


def assert_throwaway_database():
    """The fuzzer writes: never anywhere but a test database."""
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and ("memory" in name or name == "")
    assert in_memory or name.startswith("test_"), f"refusing to fuzz the database {name!r}"


@pytest.fixture
def curator(seeded):
    assert_throwaway_database()
    user = get_user_model().objects.create_user("fuzz-curator")
    user.groups.add(ensure_curator_group())
    Token.objects.create(user=user, key=TOKEN)
    return user


@pytest.fixture
def in_process():
    """Requests go straight to the WSGI app, whose request signals would close
    the test's connection (and lose its transaction on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def validate(case, response, figures: Counter) -> None:
    figures["requests"] += 1
    figures[f"HTTP {response.status_code}"] += 1
    if case.meta is not None:
        figures[f"{case.meta.phase.name.value} {case.meta.generation.mode.value}"] += 1
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as error:
        for failure in getattr(error, "exceptions", [error]):
            figures[f"failed {type(failure).__name__}"] += 1
        figures["failures"] += 1
        raise


HYPOTHESIS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
}


def aim_at_a_record(case, figures: Counter) -> None:
    """Generated ids rarely name a record, so a write to one would only ever
    meet a 404 (and `ignored_auth` probes only what succeeds): every other
    PUT/PATCH/DELETE goes to an existing record, with `If-Match: *`."""
    if case.method not in ("PUT", "PATCH", "DELETE") or "{id}" not in case.operation.path:
        return
    figures["writes"] += 1
    if figures["writes"] % 2:
        return
    resource = case.operation.path.split("/")[3]
    # Through the WSGI app, not django.test.Client: the Client reconnects the
    # request signals that `in_process` disconnected.
    listed = api_schema[f"/api/v1/{resource}/"]["GET"].Case(query={"page_size": "1"}).call().json()
    if listed.get("results"):
        case.path_parameters = {**(case.path_parameters or {}), "id": str(listed["results"][0]["id"])}
        case.headers = {**(case.headers or {}), "If-Match": "*"}
        figures["aimed at a record"] += 1


@api_schema.exclude(method=["GET", "HEAD", "OPTIONS"]).parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
def test_every_operation(case, curator, in_process):
    figures = FIGURES[case.operation.label]
    aim_at_a_record(case, figures)
    validate(case, case.call(), figures)


def test_stateful_sequences(curator, in_process):
    figures = FIGURES["stateful"]

    class Machine(api_schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            validate(case, response, figures)

    Machine.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            phases=[Phase.explicit, Phase.generate],
            **HYPOTHESIS,
        )
    )


WRITE_OPERATIONS = [
    (operation.method.upper(), operation.path)
    for result in api_schema.get_all_operations()
    if (operation := result.ok()) is not None
    and operation.method.upper() in ("POST", "PUT", "PATCH", "DELETE")
    # A read sent by POST (the reconciliation batch) is documented as public: no token to refuse.
    and operation.definition.raw.get("security") != []
]


@pytest.mark.parametrize(("method", "path"), WRITE_OPERATIONS)
@pytest.mark.parametrize("token", [None, "0" * 40], ids=["no token", "wrong token"])
def test_every_write_without_a_valid_token_is_refused_and_changes_nothing(client, curator, method, path, token):
    """What `ignored_auth` probes when a write succeeds, for every write, on an existing record."""
    url = path
    if "{id}" in path:  # on an existing record of the list
        listed = client.get(path.partition("{id}")[0], {"page_size": 1}).json()["results"]
        url = path.replace("{id}", str(listed[0]["id"]) if listed else "1")
    headers = {"If-Match": "*", **({"Authorization": f"Token {token}"} if token else {})}
    before = dump_records()
    response = client.generic(method, url, "{}", content_type="application/json", headers=headers)
    assert response.status_code == 401, (method, url, response.content[:200])
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")
    assert dump_records() == before


def test_the_fuzzer_refuses_a_database_that_is_not_a_test_database(monkeypatch, db):
    monkeypatch.setitem(connection.settings_dict, "NAME", "political_records")
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(AssertionError, match="refusing to fuzz"):
        assert_throwaway_database()


@pytest.fixture(scope="module", autouse=True)
def _report_figures(request):
    yield
    if not FIGURES:
        return
    total = sum(FIGURES.values(), Counter())
    operations = [label for label in FIGURES if label != "stateful"]
    detail = ", ".join(
        f"{key}: {n}" for key, n in sorted(total.items()) if key not in ("requests", "failures", "writes")
    )
    lines = [
        f"fuzz: {len(operations)} operations, {total['requests']} requests ({detail}), {total['failures']} failing",
        *(
            f"  {label}: {figures['requests']} requests, {figures['failures']} failing"
            + "".join(f", {key}: {n}" for key, n in sorted(figures.items()) if key.startswith(("HTTP", "failed")))
            for label, figures in sorted(FIGURES.items())
        ),
    ]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        for line in lines:
            reporter.write_line(line)
