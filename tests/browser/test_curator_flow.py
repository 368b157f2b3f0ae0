"""A curator's day in a real browser: log in, find Asim Arun by another name,
open his Kanpur posting, correct its end date, see the change in the posting's
history, and read the new date from the API."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from records.models import Posting

PASSWORD = "a browser-test passphrase"


@pytest.fixture
def curator_site(transactional_db, live_server, monkeypatch):
    """The seed data and a curator made as the README says, behind a live server."""
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    monkeypatch.setenv("BROWSER_CURATOR_PASSWORD", PASSWORD)
    call_command("create_curator", "curator", password_from_env="BROWSER_CURATOR_PASSWORD", verbosity=0)
    return live_server.url


def test_a_curator_corrects_a_postings_end_date(curator_site, page, artifacts_dir):
    posting = Posting.objects.get(person__slug="asim-arun", role="Commissioner of Police")
    old_end = posting.end
    assert old_end != "2022-01"

    page.goto(f"{curator_site}/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(f"{curator_site}/admin/records/person/")
    page.fill("#searchbar", "Asim Kumar Arun")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    results.locator("th a").click()
    page.wait_for_selector("#person_form")

    page.click(f"a[href='/admin/records/posting/{posting.pk}/change/']")
    page.wait_for_selector("#posting_form")
    page.fill("#id_end", "2022-01")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert page.input_value("#id_end") == "2022-01"
    screenshot = artifacts_dir / "curator-edited-posting.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.exists()
    assert os.path.getsize(screenshot) > 0

    page.click("a.historylink")
    page.wait_for_selector("#change-history")
    latest = page.locator("#change-history tbody tr").first
    change = latest.locator("li", has_text="End:")
    assert old_end in change.inner_text()
    assert "2022-01" in change.inner_text().split(old_end)[-1]
    assert "curator" in latest.inner_text()

    api = page.request.get(f"{curator_site}/api/v1/postings/{posting.pk}/")
    assert api.status == 200
    assert api.json()["end"] == {"value": "2022-01", "earliest": "2022-01-01", "latest": "2022-01-31"}
