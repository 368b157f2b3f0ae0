"""The lists' filters and orders are served by indexes (SQLite's plans).

Timings belong to the benchmark (`make bench`); what a test can pin down is
the plan: a page of a list is read in index order and stops after the page,
instead of collecting every match and sorting it ("USE TEMP B-TREE FOR ORDER
BY"). Without ANALYZE statistics (SQLite's default) the plan does not depend
on the number of rows, so the seeds give the plan of a 1M-posting corpus.
PostgreSQL chooses by its statistics; its plans are in `python -m bench
--explain`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records import remembered

API = "/api/v1"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plans; PostgreSQL's depend on its statistics (bench --explain)"
)


def page_plans(client, url: str, table: str) -> list[str]:
    """The plans of the queries that read a page of ``table`` in list order."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if f'FROM "{table}"' in sql and "ORDER BY" in sql and "LIMIT" in sql and not sql.startswith("SELECT COUNT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    assert plans, f"no page query for {url}"
    return plans


@pytest.fixture
def no_statistics(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ("", "posting_start_held_idx"),
        ("ordering=-start", "posting_start_held_idx"),
        ("ordering=end", "posting_end_held_idx"),
        ("ordering=-end", "posting_end_held_idx"),
        ("active_on=2015-01-01", "posting_start_held_idx"),
        ("active_on=2015-01-01&ordering=-end", "posting_end_held_idx"),
        ("ordering=career", "posting_career_idx"),
        ("ordering=-career", "posting_career_idx"),
        ("rank=adg", "posting_rank_start_idx"),
        ("rank=ADG&ordering=-start", "posting_rank_start_idx"),
    ],
)
def test_a_postings_page_is_read_in_index_order(no_statistics, client, params, index):
    for plan in page_plans(client, f"{API}/postings/?{params}", "records_posting"):
        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    ("ordering", "first"),
    [("", "end"), ("end", "end"), ("id", "end"), ("-start", "start"), ("-end", "start")],
)
def test_held_on_a_day_tests_first_the_bound_the_walk_reads_failing(client, seeded, ordering, first):
    """SQLite tests a page's conditions in the order written, and a walk up the
    start (or end) index reads first rows that started long ago, nearly all of
    them ended by the day: their end is tested first (in start order at 1M
    postings, 55 -> 40 ms). Walking down, the rows read first started after the
    day: their start is tested first (92 -> 73 ms). The pages are the same."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/postings/", {"active_on": "2015-01-01", "ordering": ordering or "start"})
    assert response.status_code == 200, response.content
    # The page's queries: the dated rows, and the undated tail when the page reaches it.
    pages = [
        q["sql"] for q in captured.captured_queries if 'FROM "records_posting"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert pages
    for page in pages:
        ended_test = page.index('"records_posting"."end_earliest" >=')
        started_test = page.index('"records_posting"."start_latest" <=')
        assert (ended_test < started_test) == (first == "end"), page


def test_a_deep_page_seeks_on_both_sides_of_the_undated(no_statistics, client):
    """Walk `-end` to the page where the dated postings run out: each page's
    queries seek the index (the values, then the NULL tail), none sorts."""
    url = f"{API}/postings/?ordering=-end&page_size=7"
    pages = 0
    while url:
        for plan in page_plans(client, url, "records_posting"):
            assert "posting_end_held_idx" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        url = client.get(url).json()["next"]
        pages += 1
    assert pages > 2


def test_people_holding_a_post_on_a_day_are_found_by_probing_in_name_order(no_statistics, client):
    (plan,) = page_plans(client, f"{API}/persons/?active_on=2015-01-01", "records_person")
    assert "TEMP B-TREE" not in plan, plan
    assert "CORRELATED" in plan or "EXISTS" in plan or "posting_person_held_idx" in plan, plan


def test_a_review_state_is_read_in_name_order_from_its_index(no_statistics, client):
    """persons?review_status=: a page from (review_status, name, id), not every
    person in that state sorted by name (97 ms at 100k people, all of them drafts)."""
    (plan,) = page_plans(client, f"{API}/persons/?review_status=draft", "records_person")
    assert "person_review_name_idx" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("kind", ["organisation", "party"])
def test_people_of_an_organisation_are_collected_or_probed_by_its_postings(
    no_statistics, client, monkeypatch, many, kind
):
    """An organisation (a party) with few postings: its postings' people come
    through the organisation's index, then sorted; probing people in name
    order would read every person when none matches (1.1 s at 100k). With
    many: people are probed in name order, each through their own postings'
    index, stopping after a page (through the organisation's index, each probe
    read all of a party's 10,000 postings: 728 ms)."""
    from records.api import filtering
    from records.models import Organisation, Posting

    if kind == "party":
        record = Posting.objects.filter(organisation__kind=Organisation.Kind.PARTY).first().organisation
    else:
        record = Organisation.objects.filter(parent__isnull=True, children__isnull=False).first()
    monkeypatch.setattr(filtering, "LARGE_SUBTREE", 0 if many else 10**9)
    monkeypatch.setattr(filtering, "FEW_FOR_PEOPLE", 0 if many else 10**9)
    (plan,) = page_plans(client, f"{API}/persons/?{kind}={record.slug}", "records_person")
    if many:
        assert "SCAN records_person USING INDEX person_name_id_idx" in plan, plan
        assert "CORRELATED" in plan, plan
        assert "posting_person_held_idx" in plan, plan
    else:
        assert "posting_org_start_idx" in plan, plan
        assert "CORRELATED" not in plan, plan


@pytest.mark.parametrize("many", [False, True])
def test_a_partys_candidates_are_collected_or_probed(no_statistics, client, monkeypatch, many):
    """candidate_party: a party's few candidacies give their people from the
    (party, person) index; a party with many has people probed in name order
    through each one's candidacies (42 ms collecting 9,000 and sorting, 4 ms probing)."""
    from records.api import filtering
    from records.models import Candidacy

    party = Candidacy.objects.filter(party__isnull=False).values_list("party__slug", flat=True).first()
    monkeypatch.setattr(filtering, "FEW_FOR_PEOPLE", 0 if many else 10**9)
    (plan,) = page_plans(client, f"{API}/persons/?candidate_party={party}", "records_person")
    if many:
        assert "SCAN records_person USING INDEX person_name_id_idx" in plan, plan
        assert "records_candidacy_person_id" in plan, plan
    else:
        assert "COVERING INDEX candidacy_party_person_idx" in plan, plan
        assert "CORRELATED" not in plan, plan


def test_disputed_postings_are_looked_up_by_the_ids_their_links_name(no_statistics, client):
    """The few postings a contradicts link names, by primary key: not two probes
    of the links for every posting (an empty page read all of a million)."""
    for plan in page_plans(client, f"{API}/postings/?disputed=true", "records_posting"):
        assert "CORRELATED" not in plan, plan
        assert "SCAN records_posting" not in plan, plan


@pytest.mark.parametrize(("path", "table"), [("postings", "records_posting"), ("persons", "records_person")])
def test_a_sources_few_records_are_read_by_their_ids(no_statistics, client, path, table):
    """`according_to` an article: its few records come through the citations'
    (source, type, record) index and their primary keys, not by probing every
    record of the list's order for a citation (1.4 s for a report's postings
    among a million, where these plans take a few milliseconds)."""
    from records.models import Citation

    source = Citation.objects.filter(content_type__model=table.removeprefix("records_")).values("source__slug")[0]
    for plan in page_plans(client, f"{API}/{path}/?according_to={source['source__slug']}", table):
        assert "citation_source_record_idx" in plan, plan
        assert "USING INTEGER PRIMARY KEY" in plan, plan


def test_a_large_subtree_is_read_walking_the_order(no_statistics, client, monkeypatch):
    """An organisation whose units hold many postings is compared through an
    expression that no index serves, so the page comes from the order's index
    (150 ms for a state's 35,000 postings read through the subtree and sorted,
    13 ms walking: the benchmark); a small one is read through the subtree's
    index. Which SQLite picks for the plain comparison depends on its
    statistics of a large corpus, so the test reads the SQL."""
    from records.api import filtering
    from records.models import Organisation

    police = Organisation.objects.filter(parent__isnull=True, children__isnull=False).first()
    url = f"{API}/postings/?organisation={police.slug}"

    def page_sql() -> str:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        pages = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and " LIMIT " in q["sql"]]
        return next(sql for sql in pages if 'FROM "records_posting"' in sql and "COUNT(" not in sql)

    monkeypatch.setattr(filtering, "LARGE_SUBTREE", 10**9)
    assert '"records_posting"."organisation_id" IN (SELECT' in page_sql()
    monkeypatch.setattr(filtering, "LARGE_SUBTREE", 0)
    remembered.forget()  # a list's plan is kept: made again, with the other bound
    assert '("records_posting"."organisation_id" + 0) IN (SELECT' in page_sql()
    for plan in page_plans(client, url, "records_posting"):
        assert "posting_start_held_idx" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ("ordering=margin", "contest_margin_id_idx"),
        ("ordering=-margin", "contest_margin_id_idx"),
        ("margin_min=100&ordering=margin", "contest_margin_id_idx"),
        ("ordering=total_votes", "contest_total_votes_id_idx"),
        ("ordering=-total_votes", "contest_total_votes_id_idx"),
    ],
)
def test_the_contests_margin_and_total_votes_orders_walk_their_indexes(no_statistics, client, params, index):
    """The winner's margin is stored on the contest (records/winner_margins.py):
    a page of the margin order walks its index and stops, with no sort."""
    for plan in page_plans(client, f"{API}/contests/?{params}", "records_contest"):
        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_counting_the_public_postings_reads_an_index_not_the_table(no_statistics, client):
    """postings?count=true counts the public postings (pending ones left out)
    in their partial index alone: no posting row is read (a scan of the table
    took 120 ms at 1M postings). SQLite knows the query's condition is the
    index's only when "draft" is in the SQL's text: as a parameter, it reads
    every row to test it (records/curation/review.py, public)."""
    executed = []

    def keep(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert client.get(f"{API}/postings/?count=true").status_code == 200
    ((sql, params),) = [(sql, params) for sql, params in executed if sql.startswith("SELECT COUNT")]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql, params)
        opcodes = [row[1] for row in cursor.fetchall()]
    assert "posting_public_idx" in plan, plan
    assert "Column" not in opcodes, opcodes  # nothing read from the rows
