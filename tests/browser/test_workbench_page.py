"""The workbench in a real browser, at a laptop's 1,400 px: no horizontal
scrolling, no content-security-policy violation, the suggestions' list and
the text linked by its script, and a selection's offsets those of the
stored text."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from records.models import Source
from tests.browser.test_csp_pages import RECORD_VIOLATIONS

pytestmark = pytest.mark.usefixtures("transactional_db")
WIDTH = 1400


@pytest.fixture
def workbench(page, live_server):
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.org", "a workbench passphrase")
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    url = reverse("admin:records_source_workbench", args=[source.pk])
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next={url}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a workbench passphrase")
    page.click("input[type=submit]")
    page.wait_for_selector("#wb-text mark")
    return source, console


def test_the_workbench_fits_the_window_under_the_policy(workbench, page, artifacts_dir):
    _, console = workbench
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / f"admin-workbench-{WIDTH}px.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the workbench is {width} px wide in a {WIDTH} px window"
    side = page.locator(".wb-side").bounding_box()
    assert side["x"] + side["width"] <= WIDTH  # the suggestions beside the text, on screen
    assert page.evaluate("window.__cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_a_suggestion_in_the_list_shows_its_words_in_the_text(workbench, page):
    item = page.locator('.wb-group[data-kind="person"] .wb-item').first
    number = item.get_attribute("data-s")
    item.locator(".wb-jump").click()
    focused = page.locator(f'#wb-text mark[data-s~="{number}"]')
    assert focused.count() >= 1
    assert "wb-focus" in focused.first.get_attribute("class")
    assert "".join(focused.all_inner_texts()) == item.locator(".wb-jump").inner_text()


SELECT = """([start, end]) => {
    const text = document.getElementById("wb-text");
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0, node;
    while ((node = walker.nextNode())) {
        const length = node.data.length;
        if (seen <= start && start <= seen + length) range.setStart(node, start - seen);
        if (seen <= end && end <= seen + length) { range.setEnd(node, end - seen); break; }
        seen += length;
    }
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


def test_selected_words_go_to_the_claim_form_with_the_status_their_cue_gives(workbench, page):
    source, _ = workbench
    quote = "He is likely to join the ruling Bharatiya Janata Party (BJP)"
    start = source.text.index(quote)
    page.evaluate(SELECT, [start, start + len(quote)])
    page.locator("#wb-quote").get_by_text(quote).wait_for()
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_end") == str(start + len(quote))
    assert page.input_value("#id_status") == "expected"  # "likely to"


def test_a_selection_shows_its_offsets_in_the_stored_text(workbench, page):
    source, _ = workbench
    quote = "Chief Minister Yogi Adityanath"
    start = source.text.index(quote)
    page.evaluate(SELECT, [start, start + len(quote)])
    shown = page.locator("#wb-selection")
    shown.wait_for()
    assert shown.inner_text() == f"Selected {start}\u2013{start + len(quote)}: “{quote}”"
