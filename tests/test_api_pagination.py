"""Keyset pagination as clients see it: page sizes, walking `next` and
`previous` links through every ordering, opaque cursors that cannot be forged
into a server error, and opt-in totals.

The documented order of a list is its ordering field, ascending or descending,
NULLs last, then ``id`` in the direction of the last ordering field. The data here (the seeds plus postings and
people built below) has long runs of NULL and of equal values on every
orderable column, so that page boundaries fall inside such runs.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.test.utils import CaptureQueriesContext

from records.careers import renumber_careers
from records.models import Organisation, Person, Place, Posting
from tests.conftest import settle_module_data

API = "/api/v1"
WALK_PAGE_SIZE = 9

# Query parameter -> column, as the filtersets document them.
POSTING_ORDERINGS = {
    "start": "start_sort",
    "end": "end_sort",
    "career": ("person_id", "career_position"),
    "role": "role",
    "updated": "updated_at",
    "id": "id",
}
PERSON_ORDERINGS = {"name": "name", "birth_date": "birth_date_earliest", "updated": "updated_at", "id": "id"}
TEXT_COLUMNS = {"role", "name"}  # ordered by the database's collation

# Fuzzy dates whose bounds collide: "" is NULL on both sides; "2021", "2021-01"
# and "2021-01-01" share their earliest day; "../2020" has no earliest day and
# "2019/.." no latest day.
STARTS = ["", "2021", "2021-01", "2021-01-01", "../2020", "2019/..", "", "2021-21", "199X", "2021"]
ENDS = ["", "2022", "2022-12", "2022-12-31", "2021/..", "../2023", "", "2022"]
ROLES = ["member", "leader", "superintendent of police", "member", "inspector"]
BIRTH_DATES = ["", "1960", "1960-01", "1960-01-01", "../1950", "196X", "1970/..", ""]
NAMES = ["Same Name", "Same Name", "Other Name", "Ärger Singh", "same name", "Zed"]

# A few equal modification times (one without microseconds) for the `updated` orderings.
STAMPS = [
    datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC),
    datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
    datetime(2023, 1, 1, tzinfo=UTC),
]


@pytest.fixture(scope="module")
def module_data(seed_data, django_db_blocker):
    """The seeds plus 110 postings and 60 people, built once for this module in
    a transaction rolled back at its end; the tests only read."""
    with django_db_blocker.unblock(), transaction.atomic():
        place = Place.objects.create(slug="pg-place", name="Pg Place", kind="district")
        unit = Organisation.objects.create(slug="pg-unit", name="Pg Unit", kind="police", place=place)
        people = Person.objects.bulk_create(
            Person(slug=f"pg-person-{i:02d}", name=NAMES[i % len(NAMES)], birth_date=BIRTH_DATES[i % len(BIRTH_DATES)])
            for i in range(60)
        )
        postings = Posting.objects.bulk_create(
            Posting(
                person=people[i % 7],
                role=ROLES[i % len(ROLES)],
                organisation=unit if i % 2 else None,
                place=place if i % 3 else None,
                start=STARTS[i % len(STARTS)],
                end=ENDS[(i // 3) % len(ENDS)],
            )
            for i in range(110)
        )
        # Chains of `previous` links across dated and undated postings, for the career order.
        for i in range(7, 110, 3):
            Posting.objects.filter(pk=postings[i].pk).update(previous=postings[i - 7])
        renumber_careers(p.pk for p in people[:7])
        for i, stamp in enumerate(STAMPS):
            Posting.objects.filter(pk__in=[p.pk for p in postings[i::4]]).update(updated_at=stamp)
            Person.objects.filter(pk__in=[p.pk for p in people[i::4]]).update(updated_at=stamp)
        settle_module_data()
        yield {"people": people, "postings": postings}
        transaction.set_rollback(True)


@pytest.fixture
def data(module_data, db):
    return module_data


def get(client, url: str, params: dict | None = None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def ids(body: dict) -> list[int]:
    return [row["id"] for row in body["results"]]


def error_names(response) -> set[str]:
    assert response.status_code == 400, (response.status_code, response.content)
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    return set(body["errors"])


def documented_order(rows, columns: dict[str, str], ordering: str) -> list[int]:
    """Ids of ``rows`` (a model or a queryset) in the documented order, by one
    plain ORDER BY (no keyset involved)."""
    params = ordering.split(",")
    expressions = []
    for param in params:
        named = columns[param.lstrip("-")]
        for name in named if isinstance(named, tuple) else (named,):
            column = F(name)
            expressions.append(column.desc(nulls_last=True) if param.startswith("-") else column.asc(nulls_last=True))
    if not any(p.lstrip("-") == "id" for p in params):
        expressions.append(F("id").desc() if params[-1].startswith("-") else F("id").asc())
    queryset = rows if isinstance(rows, QuerySet) else rows.objects.all()
    return list(queryset.order_by(*expressions).values_list("id", flat=True))


def python_order(model, column: str, descending: bool) -> list[int]:
    """The same order for one non-text column, computed in Python."""
    rows = sorted(model.objects.values_list("id", column), reverse=descending)  # by id, in the order's direction
    known = [row for row in rows if row[1] is not None]
    unknown = [row for row in rows if row[1] is None]
    known.sort(key=lambda row: row[1], reverse=descending)  # stable: ties stay by id
    return [row[0] for row in known + unknown]


def walk_forward(client, url: str, params: dict) -> list[dict]:
    bodies = [get(client, url, params)]
    while bodies[-1]["next"]:
        assert len(bodies) < 500, "the next links do not end"
        bodies.append(get(client, bodies[-1]["next"]))
    return bodies


def walk_backward(client, body: dict) -> list[dict]:
    bodies = [body]
    while bodies[-1]["previous"]:
        assert len(bodies) < 500, "the previous links do not end"
        bodies.append(get(client, bodies[-1]["previous"]))
    return bodies


def link_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def encode(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str):
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def cursor_of(link: str) -> str:
    return link_params(link)["cursor"][0]


# -- data sanity: the runs the walks must cross ---------------------------------


def test_the_data_has_long_runs_of_nulls_and_equal_values(data):
    assert Posting.objects.filter(start_earliest__isnull=True).count() >= 30
    assert Posting.objects.filter(start_earliest="2021-01-01").count() >= 30
    assert Posting.objects.filter(end_latest__isnull=True).count() >= 30
    assert Posting.objects.filter(end_latest="2022-12-31").count() >= 30
    assert Posting.objects.filter(updated_at=STAMPS[0]).count() >= 25
    assert Posting.objects.filter(updated_at=STAMPS[1]).count() >= 25
    assert Person.objects.filter(birth_date_earliest__isnull=True).count() >= 20
    assert Person.objects.filter(name="Same Name").count() >= 20


# -- page size --------------------------------------------------------------


def test_the_default_page_is_50_records(data, client):
    body = get(client, f"{API}/postings/")
    assert len(body["results"]) == 50
    assert body["next"]
    assert body["previous"] is None
    assert "page_size" not in link_params(body["next"])


@pytest.mark.parametrize("size", [1, 7, 200])
def test_a_page_size_from_1_to_200_is_honoured(data, client, size):
    body = get(client, f"{API}/postings/", {"page_size": size})
    total = Posting.objects.count()
    assert total < 200
    assert len(body["results"]) == min(size, total)
    assert (body["next"] is None) == (size >= total)
    if body["next"]:
        assert link_params(body["next"])["page_size"] == [str(size)]


@pytest.mark.parametrize("size", ["0", "201", "-1", "abc", "1.5", "", " 5", "1e2", "\u00b2"])
@pytest.mark.parametrize("endpoint", ["postings", "persons"])
def test_a_page_size_out_of_bounds_or_not_a_whole_number_is_a_400_naming_it(data, client, endpoint, size):
    client.raise_request_exception = False  # a crash must show as the 500 it is
    response = client.get(f"{API}/{endpoint}/", {"page_size": size})
    assert error_names(response) == {"page_size"}


# -- walking the links ---------------------------------------------------------

POSTING_WALKS = [*POSTING_ORDERINGS, *(f"-{name}" for name in POSTING_ORDERINGS), "role,-start", "-end,updated"]
PERSON_WALKS = [*PERSON_ORDERINGS, *(f"-{name}" for name in PERSON_ORDERINGS), "-name,birth_date"]
WALKS = [("postings", Posting, POSTING_ORDERINGS, o) for o in POSTING_WALKS] + [
    ("persons", Person, PERSON_ORDERINGS, o) for o in PERSON_WALKS
]


@pytest.mark.parametrize(
    ("endpoint", "model", "columns", "ordering"), [pytest.param(*w, id=f"{w[0]}-{w[3]}") for w in WALKS]
)
def test_walking_next_then_previous_visits_every_record_once_in_the_documented_order(
    data, client, endpoint, model, columns, ordering
):
    expected = documented_order(model, columns, ordering)
    if "," not in ordering and ordering.lstrip("-") not in TEXT_COLUMNS and ordering.lstrip("-") != "career":
        # The documented order, independently of the database: values, NULLs last, then id.
        descending = ordering.startswith("-")
        assert expected == python_order(model, columns[ordering.lstrip("-")], descending)

    forward = walk_forward(client, f"{API}/{endpoint}/", {"ordering": ordering, "page_size": WALK_PAGE_SIZE})

    visited = [i for page in forward for i in ids(page)]
    assert visited == expected
    assert len(set(visited)) == len(visited) == model.objects.count()
    assert len(forward) > 5
    assert all(len(ids(page)) == WALK_PAGE_SIZE for page in forward[:-1])
    assert 1 <= len(ids(forward[-1])) <= WALK_PAGE_SIZE
    assert forward[0]["previous"] is None
    assert all(page["previous"] for page in forward[1:])
    assert all(page["next"] for page in forward[:-1])
    assert forward[-1]["next"] is None
    for page in forward[1:]:  # the links keep the request's parameters
        assert link_params(page["previous"])["ordering"] == [ordering]
        assert link_params(page["previous"])["page_size"] == [str(WALK_PAGE_SIZE)]

    # Back from the last page: the same pages, in reverse, ending on the first.
    backward = walk_backward(client, forward[-1])
    assert [ids(page) for page in backward] == [ids(page) for page in reversed(forward)]
    assert backward[-1]["previous"] is None
    assert all(page["next"] for page in backward[1:])


@pytest.mark.parametrize(
    ("endpoint", "ordering"),
    [
        ("postings", "start"),
        ("postings", "-end"),
        ("postings", "updated"),
        ("persons", "birth_date"),
        ("persons", "-name"),
    ],
)
def test_next_from_a_page_reached_backwards_leads_where_it_led_forwards(data, client, endpoint, ordering):
    forward = walk_forward(client, f"{API}/{endpoint}/", {"ordering": ordering, "page_size": WALK_PAGE_SIZE})
    backward = walk_backward(client, forward[-1])
    for page, following in zip(backward[1:], backward, strict=False):
        assert ids(get(client, page["next"])) == ids(following)


# One record a page, over a filtered list that still has runs of NULLs and equal values.
ONE_BY_ONE = [
    ("postings", {"person": "pg-person-00"}, ["start", "-start", "end", "-end", "career", "-career"]),
    ("persons", {"q": "same name"}, ["name", "-birth_date"]),
]


@pytest.mark.parametrize(
    ("endpoint", "params", "ordering"),
    [pytest.param(e, p, o, id=f"{e}-{o}") for e, p, orderings in ONE_BY_ONE for o in orderings],
)
def test_a_walk_one_record_at_a_time_crosses_every_boundary(data, client, endpoint, params, ordering):
    if endpoint == "postings":
        rows, columns = Posting.objects.filter(person__slug=params["person"]), POSTING_ORDERINGS
    else:
        rows, columns = Person.objects.filter(name__iexact=params["q"]), PERSON_ORDERINGS
    expected = documented_order(rows, columns, ordering)
    assert len(expected) >= 15

    pages = walk_forward(client, f"{API}/{endpoint}/", {**params, "ordering": ordering, "page_size": 1})
    assert [i for page in pages for i in ids(page)] == expected
    backward = walk_backward(client, pages[-1])
    assert [ids(page) for page in backward] == [ids(page) for page in reversed(pages)]


def test_a_filtered_walk_that_fills_its_last_page_ends_without_an_empty_page(data, client):
    person = data["people"][0]
    own = set(Posting.objects.filter(person=person).values_list("id", flat=True))
    assert len(own) == 16
    pages = walk_forward(client, f"{API}/postings/", {"person": person.slug, "page_size": 8, "ordering": "-start"})
    assert [len(ids(page)) for page in pages] == [8, 8]
    expected = documented_order(Posting.objects.filter(person=person), POSTING_ORDERINGS, "-start")
    assert [i for page in pages for i in ids(page)] == expected
    assert pages[-1]["next"] is None
    backward = walk_backward(client, pages[-1])
    assert [ids(page) for page in backward] == [ids(page) for page in reversed(pages)]


def test_one_page_only_has_neither_link(data, client):
    body = get(client, f"{API}/postings/", {"person": data["people"][0].slug, "page_size": 200})
    assert len(body["results"]) == 16
    assert body["next"] is None
    assert body["previous"] is None


def test_an_empty_list_has_neither_link(data, client):
    body = get(client, f"{API}/postings/", {"role": "no such role"})
    assert body == {"next": None, "previous": None, "count": None, "results": []}


# -- tampered cursors --------------------------------------------------------


def first_cursor(client, params: dict, endpoint: str = "postings") -> str:
    body = get(client, f"{API}/{endpoint}/", {**params, "page_size": 3})
    return cursor_of(body["next"])


def assert_bad_cursor(client, params: dict, cursor: str, endpoint: str = "postings") -> None:
    client.raise_request_exception = False  # a crash must show as the 500 it is
    response = client.get(f"{API}/{endpoint}/", {**params, "cursor": cursor})
    assert error_names(response) == {"cursor"}


def test_a_cursor_is_an_opaque_token_of_the_last_row(data, client):
    body = get(client, f"{API}/postings/", {"page_size": 3})
    last = Posting.objects.get(pk=body["results"][-1]["id"])
    payload = decode(cursor_of(body["next"]))
    assert payload["v"] == [last.start_earliest and last.start_earliest.isoformat(), last.pk]


@pytest.mark.parametrize("seed", range(5))
def test_random_base64_is_a_400(data, client, seed):
    rng = random.Random(seed)
    cursor = base64.urlsafe_b64encode(rng.randbytes(rng.randint(1, 64))).decode()
    assert_bad_cursor(client, {}, cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("", id="empty"),
        pytest.param("!!!!", id="not-base64"),
        pytest.param("é", id="not-ascii"),
        pytest.param(encode(b"not json"), id="not-json"),
        pytest.param(encode(b"\xff\xfe\x00"), id="not-utf8"),
        pytest.param(encode(None), id="null"),
        pytest.param(encode("text"), id="string"),
        pytest.param(encode([["2021-01-01", 1], 0]), id="list"),
        pytest.param(encode({"r": 0}), id="no-values"),
        pytest.param(encode({"v": "2021-01-01", "r": 0}), id="values-not-a-list"),
        pytest.param(encode({"v": ["2021-01-01"], "r": 0}), id="too-few-values"),
        pytest.param(encode({"v": ["2021-01-01", 1, 2], "r": 0}), id="too-many-values"),
        pytest.param(encode({"v": ["2021-01-01", 1]}), id="no-direction"),
        pytest.param(encode({"v": ["2021-01-01", 1], "r": 2}), id="bad-direction"),
        pytest.param(encode({"v": ["2021-01-01", 1], "r": "0"}), id="direction-a-string"),
        pytest.param(encode({"v": [["2021-01-01"], 1], "r": 0}), id="nested-value"),
        pytest.param(encode({"v": [{"d": "2021-01-01"}, 1], "r": 0}), id="object-value"),
        pytest.param(encode({"v": [True, 1], "r": 0}), id="boolean-value"),
        pytest.param(encode({"v": ["2021-01-01", "one"], "r": 0}), id="id-not-a-number"),
        pytest.param(encode({"v": ["2021-01-01", True], "r": 0}), id="id-a-boolean"),
        pytest.param(encode(b'{"v": ["2021-01-01", Infinity], "r": 0}'), id="id-infinite"),
        pytest.param(encode(b'{"v": ["2021-01-01", NaN], "r": 0}'), id="id-nan"),
        pytest.param(encode(b"[" * 1000 + b"]" * 1000), id="deeply-nested-json"),
        pytest.param(encode(b'{"v": ' + b"[" * 1000 + b"]" * 1000 + b', "r": 0}'), id="deeply-nested-values"),
    ],
)
def test_a_cursor_that_is_not_one_of_ours_is_a_400(data, client, cursor):
    assert_bad_cursor(client, {}, cursor)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("not a date", id="text"),
        pytest.param("2021-02-30", id="no-such-day"),
        pytest.param("2021-13-01", id="no-such-month"),
        pytest.param("0000-01-01", id="year-zero"),
        pytest.param("2021-01-01T10:00:00", id="a-datetime"),
        pytest.param(20210101, id="a-number"),
        pytest.param(2021.5, id="a-float"),
    ],
)
@pytest.mark.parametrize("ordering", ["start", "-start", "end", "-end"])
def test_a_cursor_with_a_value_of_the_wrong_type_for_a_date_column_is_a_400(data, client, ordering, value):
    payload = decode(first_cursor(client, {"ordering": ordering}))
    payload["v"][0] = value
    assert_bad_cursor(client, {"ordering": ordering}, encode(payload))


@pytest.mark.parametrize("reverse", [0, 1])
def test_a_cursor_with_a_value_of_the_wrong_type_for_a_datetime_column_is_a_400(data, client, reverse):
    payload = decode(first_cursor(client, {"ordering": "updated"}))
    payload["v"][0] = "yesterday"
    payload["r"] = reverse
    assert_bad_cursor(client, {"ordering": "updated"}, encode(payload))


@pytest.mark.parametrize(
    ("made_for", "used_with"),
    [
        # Detected today: the values do not fit the other ordering's columns.
        pytest.param("role", "start", id="role-cursor-on-start"),
        pytest.param("updated", "-end", id="updated-cursor-on-end"),
        pytest.param("start,role", "start", id="two-key-cursor-on-one-key"),
        # The values fit, but the cursor is still not one for this list.
        pytest.param("start", "-start", id="start-cursor-on-descending-start"),
        pytest.param("start", "end", id="start-cursor-on-end"),
        pytest.param("start", "role", id="start-cursor-on-role"),
    ],
)
def test_a_cursor_from_another_ordering_is_a_400(data, client, made_for, used_with):
    cursor = first_cursor(client, {"ordering": made_for})
    assert_bad_cursor(client, {"ordering": used_with}, cursor)


def test_a_cursor_from_another_endpoint_is_a_400(data, client):
    cursor = first_cursor(client, {"ordering": "name"}, endpoint="persons")  # [name, id]
    assert_bad_cursor(client, {"ordering": "role"}, cursor)  # [role, id]


def test_a_genuine_cursor_still_works_after_the_tampering_tests(data, client):
    cursor = first_cursor(client, {"ordering": "-start"})
    body = get(client, f"{API}/postings/", {"ordering": "-start", "page_size": 3, "cursor": cursor})
    assert ids(body) == documented_order(Posting, POSTING_ORDERINGS, "-start")[3:6]


# -- counts ---------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["true", "TRUE", "1"])
def test_count_true_gives_the_total(data, client, flag):
    body = get(client, f"{API}/postings/", {"count": flag, "page_size": 5})
    assert body["count"] == Posting.objects.count()
    assert len(body["results"]) == 5


def test_count_is_the_total_of_the_filtered_list_on_every_page(data, client):
    person = data["people"][0]
    first = get(client, f"{API}/postings/", {"count": "true", "page_size": 4, "person": person.slug})
    assert first["count"] == 16
    cursor = cursor_of(first["next"])
    later = get(client, f"{API}/postings/", {"count": "true", "page_size": 4, "person": person.slug, "cursor": cursor})
    assert later["count"] == 16
    assert len(later["results"]) == 4


@pytest.mark.parametrize("params", [{}, {"count": "false"}, {"count": "0"}])
def test_count_is_null_unless_asked_for(data, client, params):
    body = get(client, f"{API}/postings/", params)
    assert body["count"] is None
    assert body["results"]


@pytest.mark.parametrize("flag", ["maybe", "yes", "", "2"])
def test_count_must_be_true_or_false(data, client, flag):
    response = client.get(f"{API}/postings/", {"count": flag})
    assert error_names(response) == {"count"}


def test_links_keep_the_count_that_was_asked_for(data, client):
    body = get(client, f"{API}/persons/", {"count": "true", "page_size": 5})
    assert link_params(body["next"])["count"] == ["true"]
    following = get(client, body["next"])
    assert following["count"] == body["count"] > 5
    assert link_params(following["previous"])["count"] == ["true"]
    assert "count" not in link_params(get(client, f"{API}/persons/", {"page_size": 5})["next"])


def test_an_unknown_ordering_is_a_400_naming_it(data, client):
    response = client.get(f"{API}/postings/", {"ordering": "person"})
    assert error_names(response) == {"ordering"}


def test_page_links_carry_the_filters(data, client):
    person = data["people"][0]
    body = get(client, f"{API}/postings/", {"person": person.slug, "page_size": 4, "ordering": "-end"})
    params = link_params(body["next"])
    assert params["person"] == [person.slug]
    assert params["ordering"] == ["-end"]
    assert body["next"].startswith("http://testserver/api/v1/postings/?")


def test_a_cursor_inside_a_run_of_equal_names_seeks_to_its_row(data, client):
    """Persons by name then id: the page after a cursor in the middle of 20
    "Same Name" rows is the rest of that run, and on PostgreSQL the condition
    is one row comparison, which an index on (name, id) seeks to directly (the
    OR form makes it read the run from its start). SQLite has no row values;
    Django writes the OR form there."""
    same = list(Person.objects.filter(name="Same Name").order_by("id").values_list("id", flat=True))
    first = get(client, f"{API}/persons/", {"ordering": "name", "page_size": 5})
    signature = decode(cursor_of(first["next"]))["o"]
    after_fifth = encode({"o": signature, "v": ["Same Name", same[4]], "r": 0})
    with CaptureQueriesContext(connection) as queries:
        page = get(client, f"{API}/persons/", {"ordering": "name", "page_size": 5, "cursor": after_fifth})
    assert [row["id"] for row in page["results"]] == same[5:10]
    sql = next(q["sql"] for q in queries.captured_queries if 'FROM "records_person"' in q["sql"])
    row_comparison = '("records_person"."name", "records_person"."id") >'
    if connection.vendor == "postgresql":
        assert row_comparison in sql
    else:
        assert row_comparison not in sql
        assert '"records_person"."id" >' in sql
