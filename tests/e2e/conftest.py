import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run installs it with apt-get")
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser):
    """A fresh browser context of the given width; each test gets its own cookies."""
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def pytest_sessionstart(session):
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)


# Each violation is written to the console with this prefix, next to the browser's own "Refused to …" error.
LISTEN = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline")
                + " in " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.fixture
def watched_page(page_at):
    """A page whose console errors and policy violations are collected in page.problems."""

    def open_page():
        page = page_at(width=1280, height=900)
        page.problems = []
        page.add_init_script(LISTEN)

        def on_console(message):
            text = message.text
            if message.type == "error" or "Content Security Policy" in text or "CSP violation" in text:
                page.problems.append(f"{page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
        return page

    return open_page
