"""The curation admin fits a laptop's window: at 1,400 px wide, a person's and
an election's change pages (with their postings, candidacies and citations
inline) need no horizontal scrolling, so no column is off-screen."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from records.models import Election, Person

pytestmark = pytest.mark.usefixtures("transactional_db")
WIDTH = 1400


@pytest.fixture
def signed_in(page, live_server):
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    get_user_model().objects.create_superuser("admin", "admin@example.org", "a layout-test passphrase")
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a layout-test passphrase")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return live_server.url


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("person", lambda: Person.objects.get(slug="asim-arun").pk),
        ("election", lambda: Election.objects.get(slug="up-2022").pk),
    ],
)
def test_a_change_page_fits_the_window(signed_in, page, artifacts_dir, model, key):
    page.goto(f"{signed_in}/admin/records/{model}/{key()}/change/")
    page.wait_for_selector("#content-main form")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts_dir / f"admin-{model}-{WIDTH}px.png"), full_page=False)
    assert width <= WIDTH, f"the {model} page is {width} px wide in a {WIDTH} px window"
    # The inlines' fields are all on screen: nothing starts right of the window.
    beyond = page.evaluate(
        """(width) => [...document.querySelectorAll(
                '.inline-group input, .inline-group select, .inline-group textarea')]
            .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().left >= width).length""",
        WIDTH,
    )
    assert beyond == 0
