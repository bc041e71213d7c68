"""Every role's main pages in a real browser under the Content-Security-Policy: the browser blocks nothing and
reports nothing, and the controls that used inline handlers still work."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.knowledgebase.factories import make_article
from tickets import services

pytestmark = [pytest.mark.e2e]

@pytest.fixture
def world(transactional_db, customer_a, agent, queue_x, manager, admin_user):
    ticket = services.ticket_create(
        requester=customer_a, subject="Screen flickers", description="Since the update.", queue=queue_x,
        files=[SimpleUploadedFile("notes.txt", b"driver 1.2")], notify=False,
    )
    make_article("Reset your password")
    return {"ticket": ticket}


def visit(page, base_url, paths):
    for path in paths:
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, (path, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert page.problems == []


def test_public_pages_run_clean(live_server, world, watched_page):
    page = watched_page()
    visit(page, live_server.url, ["/", "/accounts/login/", "/accounts/signup/", "/kb/"])


def test_customer_pages_run_clean(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "alice@acme.example")
    reference = world["ticket"].reference
    visit(page, live_server.url, ["/portal/", "/portal/tickets/", f"/portal/tickets/{reference}/",
                                  "/portal/tickets/new/", "/kb/", "/accounts/profile/"])


def test_agent_pages_run_clean(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "agent1@example.com")
    reference = world["ticket"].reference
    visit(page, live_server.url, ["/desk/", "/desk/tickets/", f"/desk/tickets/{reference}/", "/desk/kb/",
                                  "/desk/customers/"])
    # The ticket list filters through htmx: a search swaps the results in without breaking the policy.
    page.goto(f"{live_server.url}/desk/tickets/")
    page.locator("#id_q").fill("flickers")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)
    assert page.problems == []


def test_manager_pages_run_clean(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "manager@example.com")
    visit(page, live_server.url, ["/desk/", "/reports/", "/reports/support/", "/reports/sla/",
                                  "/reports/satisfaction/", "/reports/churn/", "/desk/customers/",
                                  "/desk/customers/at-risk/", "/admin/"])


def test_admin_pages_run_clean(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "admin@example.com")
    ticket = world["ticket"]
    visit(page, live_server.url, ["/admin/", "/admin/tickets/ticket/", f"/admin/tickets/ticket/{ticket.pk}/change/",
                                  "/admin/accounts/user/", f"/admin/accounts/user/{ticket.requester_id}/change/",
                                  "/admin/aftersales/purchase/import/"])


def test_the_language_selector_still_submits_on_change(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "alice@acme.example")
    page.goto(f"{live_server.url}/portal/tickets/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert page.url.endswith("/portal/tickets/")  # back on the same page
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.problems == []


def test_the_watch_notices_a_violation(live_server, world, watched_page):
    # The check above would pass on a browser that reported nothing: an inline handler must be caught.
    page = watched_page()
    page.goto(f"{live_server.url}/kb/")
    page.evaluate("""() => {
      const button = document.createElement("button");
      button.id = "inline-handler";
      button.setAttribute("onclick", "document.title = 'ran'");
      document.body.append(button);
    }""")
    page.locator("#inline-handler").click()
    page.wait_for_timeout(300)
    assert page.title() != "ran"
    assert any("CSP violation: script-src-attr" in problem for problem in page.problems), page.problems
