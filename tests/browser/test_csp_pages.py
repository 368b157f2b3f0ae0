"""The admin and the API documentation work in a real browser under the
site's content security policy: no violation reported, and the pages render
(the admin's login form, Swagger UI's operations, ReDoc's). ReDoc's bundle
is served without the address of Redocly's logo on their CDN, which it would
otherwise always try to fetch (refused by the policy: a console error).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from records.models import Person

pytestmark = pytest.mark.usefixtures("transactional_db")

# Collects every violation the page reports, whatever its console says.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def open_page(page, url: str) -> list[str]:
    """Load ``url`` under its policy; the list returned fills with the console's messages."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return console


def violations(page, console: list[str]) -> tuple[list[str], list[str]]:
    """What the page reported so far, and the console's messages about the policy."""
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations"), [text for text in console if "Content Security Policy" in text]


def test_admin_login(page, live_server):
    console = open_page(page, f"{live_server.url}/admin/login/")
    assert page.locator("#id_username").is_visible()
    header = page.locator("#header").evaluate("element => getComputedStyle(element).backgroundColor")
    assert header != "rgba(0, 0, 0, 0)"  # the admin's stylesheet applies
    assert violations(page, console) == ([], [])


def test_an_admin_change_page_with_quotes_in_context(page, live_server):
    call_command("load_seed_data", skip_migrate=True, verbosity=0)
    get_user_model().objects.create_superuser("admin", password="a-long-test-password")
    person = Person.objects.get(slug="asim-arun")
    console = open_page(page, f"{live_server.url}/admin/login/?next=/admin/records/person/{person.pk}/change/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/records/person/{person.pk}/change/")
    evidence = page.locator(".field-evidence mark").first  # a quote highlighted in its source's text
    evidence.wait_for()
    shown_as = evidence.evaluate("mark => getComputedStyle(mark.parentElement).whiteSpace")
    assert shown_as == "pre-wrap"  # the admin's style attribute applies
    assert violations(page, console) == ([], [])


def test_swagger_ui(page, live_server):
    console = open_page(page, f"{live_server.url}/api/docs/")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/persons/").first
    operation.wait_for()
    assert operation.is_visible()
    assert violations(page, console) == ([], [])


def test_redoc(page, live_server):
    console = open_page(page, f"{live_server.url}/api/redoc/")
    operation = page.locator('[data-section-id="operation/persons_list"]')
    operation.wait_for(state="attached")
    assert "List persons" in operation.inner_text()
    assert violations(page, console) == ([], [])
