"""Screenshots of the main pages for the CI run to keep, and card rows on a phone.

The portal home, the desk home and the reports overview at a phone's and a laptop's width, light and dark,
English and Chinese, go to artifacts/screenshots/ (CI keeps the folder; .ci/run prints where it is).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.aftersales.factories import ServiceRequestFactory
from tests.e2e.browser import sign_in
from tests.e2e.conftest import SCREENSHOTS
from tickets import services

pytestmark = [pytest.mark.e2e]

PHONE, LAPTOP = 390, 1366
PAGES = [("portal-home", "customer_a", "/portal/"), ("desk-home", "agent", "/desk/"),
         ("reports-overview", "manager", "/reports/")]


@pytest.fixture
def world(transactional_db, customer_a, agent, queue_x, manager):
    services.ticket_create(
        requester=customer_a, subject="Screen flickers after the update", description="Since version 1.2.",
        queue=queue_x, files=[SimpleUploadedFile("notes.txt", b"driver 1.2")], notify=False,
    )
    ServiceRequestFactory(purchase__customer=customer_a)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("name,persona,path", PAGES)
def test_main_pages_are_photographed_at_both_widths_in_both_modes(
        request, live_server, world, page_at, language, name, persona, path):
    user = request.getfixturevalue(persona)
    user.locale = language
    user.save(update_fields=["locale"])
    page = page_at(width=LAPTOP, height=900)
    sign_in(page, live_server.url, user.email)
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        for width in (PHONE, LAPTOP):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("data-bs-theme") == theme
            assert page.locator("html").get_attribute("lang").lower().startswith(language[:2])
            target = SCREENSHOTS / f"{name}-{width}-{theme}-{language}.png"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            page.screenshot(path=str(target), full_page=True)
            assert target.is_file() and target.stat().st_size > 0, target


def row_look(page, selector):
    return page.locator(selector).first.evaluate("""row => {
      const style = getComputedStyle(row);
      const head = row.closest("table").querySelector("thead");
      return {display: style.display, radius: style.borderTopLeftRadius,
              headHeight: head ? head.getBoundingClientRect().height : 0,
              overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
    }""")


@pytest.mark.parametrize("persona,path,row", [
    ("agent", "/desk/tickets/", ".ticket-table tbody tr"),
    ("agent", "/desk/service/", ".as-table tbody tr"),
    ("customer_a", "/portal/tickets/", ".portal-ticket-table tbody tr"),
    ("customer_a", "/portal/service/", ".portal-ticket-table tbody tr"),
])
def test_list_rows_are_cards_on_a_phone_and_a_table_on_a_laptop(
        request, live_server, world, page_at, screenshot, persona, path, row):
    user = request.getfixturevalue(persona)
    page = page_at(width=PHONE, height=844)
    sign_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    phone = row_look(page, row)
    screenshot(page, f"cards-{path.strip('/').replace('/', '-')}-{PHONE}")
    assert phone["display"] == "block" and phone["radius"] != "0px", phone
    assert phone["headHeight"] <= 1, phone  # the column titles are left to screen readers
    assert phone["overflow"] <= 0, phone  # nothing sticks out sideways
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    laptop = row_look(page, row)
    assert laptop["display"] == "table-row", laptop
