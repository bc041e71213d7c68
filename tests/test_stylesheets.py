"""Each page links the shared stylesheet and only the feature stylesheets its markup uses."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets import services

pytestmark = pytest.mark.django_db

SHARED = {"vendor/bootstrap/css/bootstrap.min.css", "css/helpdesk.css"}


def linked(response):
    html = response.content.decode()
    return {href.removeprefix("/static/") for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)}


@pytest.fixture
def ticket(customer_a, queue_x):
    return services.ticket_create(requester=customer_a, subject="Screen flickers", description="Since the update.",
                                  queue=queue_x, files=[SimpleUploadedFile("notes.txt", b"1.2")], notify=False)


def page(client, user, path):
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return linked(response)


def test_public_pages_link_only_what_they_use(client):
    assert page(client, None, "/accounts/login/") == SHARED
    assert page(client, None, "/kb/") == SHARED | {"css/knowledgebase.css"}


def test_customer_pages(client, customer_a, ticket):
    home = page(client, customer_a, "/portal/")
    assert SHARED | {"css/portal.css", "css/aftersales.css"} <= home
    assert not home & {"reports/reports.css", "css/customers.css", "css/care.css"}
    assert page(client, customer_a, "/portal/tickets/") == SHARED | {"css/portal.css"}
    detail = page(client, customer_a, f"/portal/tickets/{ticket.reference}/")
    assert SHARED | {"css/portal.css"} <= detail
    assert "reports/reports.css" not in detail
    assert page(client, customer_a, "/portal/service/") == SHARED | {"css/portal.css", "css/aftersales.css"}


def test_agent_pages(client, agent, ticket):
    home = page(client, agent, "/desk/")
    assert SHARED | {"css/tickets.css", "css/aftersales.css", "css/care.css", "css/customers.css"} <= home
    assert not home & {"reports/reports.css", "css/portal.css"}
    assert page(client, agent, "/desk/tickets/") == SHARED | {"css/tickets.css"}
    detail = page(client, agent, f"/desk/tickets/{ticket.reference}/")
    # The side panels other apps add to the ticket page bring their own stylesheets.
    assert SHARED | {"css/tickets.css", "css/customers.css", "css/knowledgebase.css"} <= detail
    assert not detail & {"reports/reports.css", "css/portal.css"}
    assert page(client, agent, "/desk/kb/new/") == SHARED | {"css/tickets.css", "css/knowledgebase.css"}
    assert page(client, agent, "/desk/service/") == SHARED | {"css/tickets.css", "css/aftersales.css"}


def test_manager_pages(client, manager):
    assert page(client, manager, "/reports/support/") == SHARED | {"css/tickets.css", "reports/reports.css"}
    assert "css/customers.css" in page(client, manager, "/desk/customers/")


def test_each_stylesheet_is_linked_once(client, agent, ticket):
    client.force_login(agent)
    html = client.get(f"/desk/tickets/{ticket.reference}/").content.decode()
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(hrefs) == len(set(hrefs))
