"""The admin index in a real browser: the groups by task, a manager's shorter list, the Chinese names."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e]

SUPERUSER_GROUPS = ["Support desk", "Automation", "People", "After-sales", "Surveys", "Product feedback",
                    "Customer care", "Knowledge base", "Tickets", "E-mail", "Sign-in security", "Internal records"]


def captions(page):
    return [text.strip() for text in page.locator("#content-main .module caption").all_text_contents()]


def test_the_admin_index_groups_the_models_by_task(live_server, admin_user, manager, page_at, screenshot):
    page = page_at(width=1366)
    sign_in(page, live_server.url, admin_user.email)
    page.goto(f"{live_server.url}/admin/")
    assert captions(page) == SUPERUSER_GROUPS
    desk = page.locator("#content-main .app-support-desk")
    assert desk.locator("th a").all_inner_texts() == ["Queues", "Business hours", "SLA policies",
                                                      "Canned responses", "Tags", "Custom fields",
                                                      "Agent availability"]
    internal = page.locator("#content-main .app-internal")
    expect(internal.locator("a.addlink")).to_have_count(0)
    expect(internal.locator("a.viewlink").first).to_be_visible()
    screenshot(page, "admin-index-superuser-1366")

    desk.get_by_role("link", name="Queues", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/admin/tickets/queue/")
    # the sidebar lists the same groups, the current model highlighted
    expect(page.locator("#nav-sidebar .current-model")).to_have_count(1)
    page.goto(f"{live_server.url}/admin/tickets/")
    assert captions(page) == ["Tickets"]

    page = page_at(width=1366)
    sign_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/")
    shown = captions(page)
    assert shown[:2] == ["Support desk", "People"] and "Internal records" not in shown
    assert "Sign-in security" not in shown
    screenshot(page, "admin-index-manager-1366")


def test_the_group_names_are_in_chinese(live_server, admin_user, page_at, screenshot):
    admin_user.locale = "zh-hans"
    admin_user.save(update_fields=["locale"])
    page = page_at(width=1366)
    sign_in(page, live_server.url, admin_user.email)
    page.goto(f"{live_server.url}/admin/")
    shown = captions(page)
    assert shown[0] == "客服台" and shown[-1] == "内部记录", shown
    screenshot(page, "admin-index-superuser-zh-1366")
