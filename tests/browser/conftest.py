"""Browser tests: Playwright for Python driving Debian's Chromium (never ``playwright install``).

They run when ``/usr/bin/chromium`` exists (``.ci/run`` installs it) and are skipped, saying so
at the end of the run, when it does not.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium for one test. Playwright's sync API keeps an event loop running in
    the test's thread while it is open, so the test's own ORM calls need Django's documented
    escape hatch, for that test only (and Playwright is stopped before the database is reset)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


class Session:
    """One person in the browser: signs in, and fails the test on any console error."""

    def __init__(self, browser, base_url: str, width: int = 1280, zone: str = "UTC"):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, timezone_id=zone
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.base_url = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, username: str, password: str) -> None:
        page = self.open("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture
def sessions(browser, live_server):
    """Open browser sessions on the live server; each is checked for console errors."""
    opened: list[Session] = []

    def open_session(width: int = 1280, zone: str = "UTC") -> Session:
        session = Session(browser, live_server.url, width, zone)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()
