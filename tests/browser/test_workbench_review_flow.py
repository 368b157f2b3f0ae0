"""The workbench from a pasted article to a public, verified claim (issue 21's
"done when"), in a real browser: a curator pastes an article, accepts the
suggestions for the person and the party, selects the words, makes a
confirmed party membership that supersedes the seeds' expected one; the
public API does not show it; a second curator verifies it on the same page;
then ``as_of`` in the API answers with the change."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from django.core.management import call_command

from records.models import ClaimLink, Posting
from tests.browser.test_csp_pages import RECORD_VIOLATIONS
from tests.browser.test_workbench_page import SELECT
from tests.test_workbench import staff

pytestmark = pytest.mark.usefixtures("transactional_db")
WIDTH = 1400
PASSPHRASE = "a workbench passphrase"
ARTICLE = (
    "Former Kanpur police commissioner Asim Arun joined the Bharatiya Janata Party (BJP) on Sunday in Lucknow.\n"
    "He had taken voluntary retirement from the Indian Police Service last week.\n"
)
SAID = "Asim Arun joined the Bharatiya Janata Party (BJP) on Sunday"


def public_memberships(server: str, **params) -> dict:
    """Asim Arun's BJP postings as an anonymous reader gets them: key -> superseded_by."""
    query = urllib.parse.urlencode({"person": "asim-arun", "organisation": "bjp", **params})
    with urllib.request.urlopen(f"{server}/api/v1/postings/?{query}") as response:
        return {row["key"]: row["superseded_by"] for row in json.load(response)["results"]}


def log_in(page, server: str, username: str, next_url: str = "/admin/") -> None:
    page.goto(f"{server}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSPHRASE)
    page.click("input[type=submit]")


@pytest.fixture
def curators():
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    for name in ("ria", "sam"):
        user = staff(name, curator=True)
        user.set_password(PASSPHRASE)
        user.save()


def test_a_pasted_article_becomes_a_verified_membership_seen_through_as_of(curators, page, live_server, artifacts_dir):
    server = live_server.url
    expected = Posting.objects.get(person__slug="asim-arun", key="bjp-member")
    page.add_init_script(RECORD_VIOLATIONS)
    page.set_viewport_size({"width": WIDTH, "height": 900})

    # Ria pastes the article.
    log_in(page, server, "ria", "/admin/records/source/add-document/")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_published_on", "2022-01-17")
    page.fill("#id_title", "Asim Arun joins the BJP")
    page.fill("#id_publisher", "The Paper")
    page.fill("#id_url", "https://example.org/asim-arun-joins")
    page.click("input[type=submit][value='Add the document']")
    page.wait_for_selector("#wb-text mark")

    # She accepts the suggestions for the person and the party, and selects the words.
    page.select_option("#id_kind", "membership")
    page.locator('.wb-group[data-kind="person"] .wb-item', has_text="Asim Arun").first.locator(".wb-jump").click()
    page.locator('.wb-group[data-kind="party"] .wb-item').first.locator(".wb-jump").click()
    assert page.input_value("#id_person") == "asim-arun"
    assert page.input_value("#id_party") == "bjp"
    assert page.locator(".wb-field-organisation").is_hidden()  # not a membership's field
    source_text = page.evaluate("[...document.getElementById('wb-text').textContent].join('')")
    start = source_text.index(SAID)
    page.evaluate(SELECT, [start, start + len(SAID)])
    page.locator("#wb-quote").get_by_text(SAID).wait_for()
    page.fill("#id_key", "bjp-member-joined")
    page.select_option("#id_status", "confirmed")
    page.fill("#id_start_date", "on Sunday")
    page.select_option("#id_link_kind", "supersedes")
    page.select_option("#id_link_target", f"posting:{expected.pk}")
    page.click("#wb-claim input[type=submit]")
    page.locator(".messagelist").get_by_text("public reads show it once another curator verifies it").wait_for()
    assert page.locator("#wb-pending").get_by_text("(you drafted it: another curator verifies it)").count() == 2
    page.screenshot(path=str(artifacts_dir / "admin-workbench-review.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert page.evaluate("window.__cspViolations") == []

    made = Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")
    assert (made.status, made.start, made.review_status, made.drafted_by.username) == (
        "confirmed",
        "2022-01-16",
        "draft",
        "ria",
    )
    # Not public yet: as of the article's day the expected membership still stands.
    assert public_memberships(server, as_of="2022-01-17") == {"bjp-member": None}

    # Sam, a second curator, verifies it on the same page.
    workbench = page.url
    page.context.clear_cookies()
    log_in(page, server, "sam", urllib.parse.urlparse(workbench).path)
    page.locator(f'#wb-pending .wb-item[data-record="posting:{made.pk}"] input[type=submit]').click()
    page.locator(".messagelist").get_by_text("public reads show it now").wait_for()
    assert page.locator("#wb-pending h3").inner_text() == "Waiting for a second curator (0)"

    made.refresh_from_db()
    link = ClaimLink.objects.get(claim_id=made.pk, kind="supersedes")
    assert (made.verified_by.username, link.verified_by.username) == ("sam", "sam")
    supersedes = {"kind": "supersedes", "claim": {"type": "posting", "id": made.pk}, "since": "2022-01-17"}
    assert public_memberships(server, as_of="2022-01-17") == {"bjp-member": supersedes, "bjp-member-joined": None}
    assert public_memberships(server, as_of="2022-01-16") == {"bjp-member": None}
