"""Real-browser tests: Playwright driving the system's Chromium (Debian's
`chromium` package; `.ci/run` installs it where missing). Without a browser
these tests are skipped with a reason that says so.

Screenshots and other artifacts go to test-artifacts/ (or $TEST_ARTIFACTS_DIR)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS_DIR", settings.BASE_DIR / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module, not per session: while Playwright runs, its loop
    counts as running in this thread, so Django keeps this thread's database
    connections in a separate (async-context) store. Kept for the whole session,
    every later test would use that store, and its connection would outlive the
    session and block the test database's teardown on PostgreSQL."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium found (install Debian's `chromium` package or set CHROMIUM_PATH)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()
        connections.close_all()  # the connections of that store, opened under the loop


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
