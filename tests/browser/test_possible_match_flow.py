"""A curator accepts a possible match in a real browser: from the queue of
open matches to the match's page, its evidence table, Accept, the
confirmation, and the merge it made."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from records.models import Person, PersonMerge, PossibleMatch, Source

PASSWORD = "a browser-test passphrase"


@pytest.fixture
def curator_site(transactional_db, live_server, monkeypatch):
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    monkeypatch.setenv("BROWSER_CURATOR_PASSWORD", PASSWORD)
    call_command("create_curator", "curator", password_from_env="BROWSER_CURATOR_PASSWORD", verbosity=0)
    return live_server.url


def test_a_curator_accepts_a_possible_match(curator_site, page, artifacts_dir):
    known = Person.objects.create(slug="anil-dohare", name="Anil Dohare")
    new = Person.objects.create(slug="anil-doharey", name="Anil Doharey")
    match = PossibleMatch.objects.create(
        incoming=new,
        existing=known,
        score=5.5,
        evidence=[{"name": "spelling variant", "weight": 3.0, "detail": "Anil Doharey ~ Anil Dohare"}],
        source=Source.objects.order_by("pk").first(),
    )

    page.goto(f"{curator_site}/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(f"{curator_site}/admin/records/possiblematch/?status__exact=open")
    page.wait_for_selector("#result_list")
    page.locator("#result_list tbody tr th a").first.click()
    page.wait_for_selector("table.evidence")
    assert "spelling variant" in page.inner_text("table.evidence")
    page.screenshot(path=str(artifacts_dir / "possible-match.png"), full_page=True)

    page.click("text=Accept: merge into the existing person")
    page.fill("#id_note", "the same affidavit")
    page.click("input[type=submit][value='Accept and merge']")
    page.wait_for_selector(".messagelist .success")

    match.refresh_from_db()
    assert (match.status, match.note, match.decided_by.username) == ("accepted", "the same affidavit", "curator")
    merge = PersonMerge.objects.get()
    assert (merge.kept_id, merge.removed_id) == (known.pk, new.pk)
    assert page.locator(f"a[href='/admin/records/personmerge/{merge.pk}/change/']").count() == 1
