"""The benchmark's harness, without timings: its comparison finds what differs
between two responses and nothing else, and on a small corpus every
representative request gets the same data from the API and from its limit view."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from bench import stats
from bench.compare import differences
from bench.scenarios import representative
from records.corpus import CorpusSize, generate_corpus

PAGE = {
    "next": "http://127.0.0.1:8000/api/v1/persons/?cursor=abc&page_size=2",
    "previous": None,
    "count": None,
    "results": [{"id": 1, "name": "Asim Arun", "share": 39.67}, {"id": 2, "name": "Ram", "share": None}],
}


def body(document) -> bytes:
    return json.dumps(document).encode()


def limit_version(document):
    copy = json.loads(json.dumps(document))
    copy["next"] = copy["next"].replace("/api/v1/", "/limit/v1/")
    return copy


def test_the_same_data_under_both_prefixes_has_no_differences():
    assert differences(body(PAGE), body(limit_version(PAGE))) == []


def test_a_changed_value_a_missing_key_and_a_missing_row_are_each_reported():
    changed = limit_version(PAGE)
    changed["results"][1]["name"] = "Shyam"
    del changed["results"][0]["share"]
    changed["next"] = changed["next"].replace("cursor=abc", "cursor=abd")
    found = differences(body(PAGE), body(changed))
    assert "$.results[1].name: API 'Ram' != limit 'Shyam'" in found
    assert "$.results[0].share: only in the API" in found
    assert any(line.startswith("$.next:") for line in found)
    shorter = limit_version(PAGE)
    shorter["results"].pop()
    assert differences(body(PAGE), body(shorter)) == ["$.results: 2 items in the API, 1 in the limit"]


def test_a_number_and_its_string_differ():
    as_string = limit_version(PAGE)
    as_string["results"][0]["share"] = "39.67"
    assert differences(body(PAGE), body(as_string)) == ["$.results[0].share: API 39.67 != limit '39.67'"]


def test_percentiles_and_throughput():
    samples = [0.001 * i for i in range(1, 101)]  # 1 ms .. 100 ms
    assert stats.median(samples) == pytest.approx(0.0505)
    assert stats.p99(samples) == pytest.approx(0.099)
    assert stats.throughput([0.5, 0.5]) == pytest.approx(2.0)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_every_representative_request_gets_the_same_data_from_the_api_and_the_limit(client):
    generate_corpus(CorpusSize(people=400, postings=4000), seed=1)
    scenarios = representative()
    assert len(scenarios) == 6
    for scenario in scenarios:
        api, limit = client.get(scenario.api_url), client.get(scenario.limit_url)
        assert api.status_code == limit.status_code == 200, scenario
        assert json.loads(api.content) != {}, scenario
        assert differences(api.content, limit.content, api_prefix="/api/v1/", limit_prefix="/limit/v1/") == [], scenario


def test_both_engines_rerun_the_command_once_per_engine_with_the_other_arguments():
    from bench.__main__ import _without_engine

    assert _without_engine(["--engine", "both", "--people", "100"]) == ["--people", "100"]
    assert _without_engine(["--rounds", "3", "--engine=both", "--explain"]) == ["--rounds", "3", "--explain"]
