"""The admin as a curator uses it (staff, curator group, not a superuser):
every changelist, change form, history page and search renders, and none of
them makes more queries when there are more rows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Alliance, Contest, Election, Party, Person, PersonIdentifier, PersonMerge, Posting
from records.roles import ensure_curator_group
from tests.test_admin import RECORDS_ADMINS, add_twenty_more_rows, admin_url, make_one

# A curator's page costs two queries more than a superuser's: their own and
# their group's permissions (read once per request).
# session, user, permissions x2, the person, then one query per inline (aliases,
# identifiers, relations, postings, events, candidacies, citations) plus the
# citations' sources.
PERSON_CHANGE_QUERIES = 13
# session, user, permissions x2, the organisation and place filters' choices, the
# filtered and the full count, the page (person, organisation, place joined), the
# date hierarchy's range and years.
POSTING_CHANGELIST_QUERIES = 11
# session, user, permissions x2, the posting, the count of its versions, the page of versions.
POSTING_HISTORY_QUERIES = 7


@pytest.fixture
def curator_client(client, seeded):
    user = get_user_model().objects.create_user("ria", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    client.force_login(user)
    return client


def pages() -> dict[str, str]:
    """Every curated model's changelist, a search, a change form and a history page."""
    urls = {}
    # A contest brings its constituency; an alliance needs neither.
    made = {Contest: make_one(Contest)} if not Contest.objects.exists() else {}
    if not Alliance.objects.exists():
        made[Alliance] = Alliance.objects.create(
            election=Election.objects.get(slug="up-2017"), name="NDA", slug="nda", leader=Party.objects.get(slug="bjp")
        )
    if not PersonIdentifier.objects.exists():  # not make_one's: add_twenty_more_rows uses its scheme
        made[PersonIdentifier] = PersonIdentifier.objects.create(
            person=Person.objects.get(slug="asim-arun"), scheme="wikidata", value="Q2"
        )
    for model in RECORDS_ADMINS:
        name = model._meta.model_name
        record = model._default_manager.order_by("pk").first() or made.get(model) or make_one(model)
        urls[f"{name} list"] = admin_url(model, "changelist")
        urls[f"{name} search"] = admin_url(model, "changelist") + "?q=arun"
        urls[f"{name} change"] = admin_url(model, "change", record.pk)
        if model is not PersonMerge:  # merges have no history of their own
            urls[f"{name} history"] = admin_url(model, "history", record.pk)
    return urls


def costs(client, urls: dict[str, str]) -> dict[str, int]:
    out = {}
    for name, url in urls.items():
        client.get(url)  # warm the content-type cache, as a running server has it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        out[name] = len(queries)
    return out


def test_every_page_renders_for_a_curator_and_does_not_query_per_row(curator_client):
    urls = pages()
    posting = Posting.objects.order_by("pk").first()
    posting.note = "first edit"  # a version to list (an empty history skips the page query)
    posting.save()
    before = costs(curator_client, urls)
    add_twenty_more_rows()
    for i in range(20):  # 20 more versions of the posting whose history is measured
        posting.note = f"edit {i}"
        posting.save()
    after = costs(curator_client, urls)
    assert {name: (before[name], count) for name, count in after.items() if count > before[name]} == {}
    assert after["person change"] == PERSON_CHANGE_QUERIES
    assert after["posting list"] == POSTING_CHANGELIST_QUERIES
    assert after["posting history"] == POSTING_HISTORY_QUERIES
