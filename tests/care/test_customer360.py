"""The customer 360 page and the directory: what each person sees, scoping, and a fixed number of queries."""

import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.models import ServiceRequest
from care import health
from care.models import CareTask
from feedback.models import Feedback, Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import Organization
from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory
from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import TicketFactory
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db


def org_url(organization):
    return f"/desk/customers/org/{organization.pk}/"


def person_url(person):
    return f"/desk/customers/person/{person.pk}/"


@pytest.fixture
def csat(db):
    return Survey.objects.create(name="After a ticket", kind=Survey.Kind.CSAT, scale=5)


def rate(survey, ticket, score, comment="", age_days=1):
    moment = timezone.now() - timedelta(days=age_days)
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=ticket.requester, ticket=ticket, organization=ticket.organization,
        subject_key=f"ticket:{ticket.pk}", token=secrets.token_urlsafe(16), created_at=moment, sent_at=moment,
        responded_at=moment, expires_at=moment + timedelta(days=14))
    return SurveyResponse.objects.create(invitation=invitation, score=score, comment=comment, submitted_at=moment,
                                         updated_at=moment)


@pytest.fixture
def acme(org_a, agent, customer_a, customer_a2, queue_x, queue_y, csat):
    """Acme (VIP, account manager: agent) with a ticket in each queue, a purchase, a request, ratings, a check-in."""
    Organization.objects.filter(pk=org_a.pk).update(account_manager=agent)
    org_a.refresh_from_db()
    in_x = TicketFactory(requester=customer_a, queue=queue_x, subject="Printer on fire", status=Ticket.Status.OPEN,
                         priority=Priority.URGENT)
    TicketFactory(requester=customer_a2, queue=queue_y, subject="Secret billing matter", status=Ticket.Status.OPEN)
    done = TicketFactory(requester=customer_a, queue=queue_x, subject="Password reset done",
                         status=Ticket.Status.CLOSED, resolved_at=timezone.now() - timedelta(days=3))
    rate(csat, done, 2, comment="Took far too long")
    purchase = PurchaseFactory(customer=customer_a, product__name="SecureGate SG-200", serial_number="SG-0001")
    request = ServiceRequestFactory(purchase=purchase, status=ServiceRequest.Status.UNDER_REVIEW)
    Feedback.objects.create(author=customer_a, organization=org_a, kind=Feedback.Kind.IDEA,
                            text="Please add dark mode")
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=org_a, assignee=agent,
                            title="Quarterly check-in with Acme", due_on=timezone.localdate() - timedelta(days=4))
    health.compute_for(organization=org_a)
    return {"organization": org_a, "ticket_x": in_x, "request": request}


# ---------------------------------------------------------------- content


def test_the_360_page_shows_the_whole_customer_to_a_manager(client, manager, acme, customer_a):
    client.force_login(manager)
    response = client.get(org_url(acme["organization"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Acme", "VIP", "Alex Agent", "Alice A", "Primary contact", "Printer on fire",
                 "Secret billing matter", "Password reset done", acme["request"].reference, "SecureGate SG-200",
                 "In warranty", "Please add dark mode", "Took far too long", "Quarterly check-in with Acme", "overdue",
                 "Recalculate now", "Recent CSAT", "Days since last activity", "Mark churned",
                 'id="satisfaction-data"', "chartkick/Chart.bundle.js", "Show the numbers"):
        assert text in page, text
    assert f'href="/desk/tickets/{acme["ticket_x"].reference}/"' in page
    assert "?next=/desk/customers/org/" in page  # the churn form comes back here


def test_an_agent_sees_only_the_tickets_of_their_queues(client, agent_y, acme):
    client.force_login(agent_y)
    page = client.get(org_url(acme["organization"])).content.decode()
    assert "Secret billing matter" in page
    assert "Printer on fire" not in page
    assert "Password reset done" not in page
    assert "Took far too long" not in page  # its rating stays with the ticket's queue too


def test_health_and_check_ins_are_for_the_account_manager_and_managers(client, agent, agent_y, manager, acme):
    url = org_url(acme["organization"])
    client.force_login(agent_y)  # an agent, but not Acme's account manager
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Quarterly check-in with Acme" not in page
    assert "Recent CSAT" not in page and "Recalculate now" not in page
    assert "shown to the account manager (Alex Agent) and to managers" in page
    assert response.context["signals"] == []
    assert "Mark churned" not in page  # managers only

    for viewer in (agent, manager):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Quarterly check-in with Acme" in page
        assert "Recent CSAT" in page


def test_customers_may_not_open_the_customer_pages(client, customer_a, acme):
    client.force_login(customer_a)
    for url in (org_url(acme["organization"]), "/desk/customers/", "/desk/customers/at-risk/",
                person_url(customer_a)):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{org_url(acme['organization'])}health/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, acme):
    response = client.get(org_url(acme["organization"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_organisation_or_person_is_404(client, agent, acme):
    client.force_login(agent)
    assert client.get("/desk/customers/org/999999/").status_code == 404
    assert client.get(person_url(agent)).status_code == 404  # an agent is not a customer


def test_a_customer_without_an_organisation_has_a_page_of_their_own(client, manager, queue_x, csat):
    loner = CustomerFactory(name="Lone Wolf", email="wolf@example.net", organization=None)
    ticket = TicketFactory(requester=loner, queue=queue_x, subject="Solo problem", status=Ticket.Status.OPEN)
    rate(csat, ticket, 5, comment="Lovely")
    PurchaseFactory(customer=loner, product__name="Gadget One")
    health.compute_for(customer=loner)

    client.force_login(manager)
    response = client.get(person_url(loner))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Lone Wolf", "wolf@example.net", "Solo problem", "Gadget One", "Lovely", "Recalculate now"):
        assert text in page, text

    response = client.post(f"{person_url(loner)}health/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"{person_url(loner)}#health")


def test_health_of_a_customer_without_an_organisation_is_for_managers_only(client, agent, queue_x):
    loner = CustomerFactory(organization=None)
    TicketFactory(requester=loner, queue=queue_x)
    health.compute_for(customer=loner)
    client.force_login(agent)
    page = client.get(person_url(loner)).content.decode()
    assert "Recalculate now" not in page
    assert "shown to managers" in page
    assert client.post(f"{person_url(loner)}health/").status_code == 403


def test_a_customer_of_an_organisation_is_sent_to_its_page(client, agent, customer_a, acme):
    client.force_login(agent)
    response = client.get(person_url(customer_a))
    assert response.status_code == 302
    assert response["Location"] == org_url(acme["organization"])


def test_an_organisation_with_nothing_yet_says_what_to_expect(client, manager):
    empty = OrganizationFactory(name="Fresh Start")
    client.force_login(manager)
    page = client.get(org_url(empty)).content.decode()
    assert "No health score yet." in page
    assert "No contact yet." in page
    assert "No registered purchase." in page
    assert 'id="satisfaction-data"' not in page  # no chart without answers


# ---------------------------------------------------------------- the ticket page links to it


def test_the_ticket_page_links_to_the_360_with_the_band_for_the_account_manager(client, agent, acme, queue_x):
    url = f"/desk/tickets/{acme['ticket_x'].reference}/"
    client.force_login(agent)
    page = client.get(url).content.decode()
    assert f'href="{org_url(acme["organization"])}"' in page
    assert "health-badge" in page

    other = AgentFactory()  # another agent of the same queue
    queue_x.members.add(other)
    client.force_login(other)
    page = client.get(url).content.decode()
    assert f'href="{org_url(acme["organization"])}"' in page
    assert "health-badge" not in page


# ---------------------------------------------------------------- the directory


def test_the_directory_finds_an_organisation_by_a_contacts_email(client, agent, acme, org_b, customer_b):
    client.force_login(agent)
    response = client.get("/desk/customers/", {"q": "carol@globex"})
    assert [organization.name for organization in response.context["page"].object_list] == ["Globex"]
    response = client.get("/desk/customers/", {"q": "acme.exam"})
    assert [organization.name for organization in response.context["page"].object_list] == ["Acme"]


def test_the_directory_shows_health_only_where_the_viewer_may_see_it(client, agent_y, manager, acme, org_b):
    health.compute_all()
    client.force_login(agent_y)  # manages nothing
    response = client.get("/desk/customers/")
    assert "health-badge" not in response.content.decode()
    # Filtering or sorting by health does not give away the score of someone else's customer.
    at_risk = acme["organization"].health.band
    assert list(client.get("/desk/customers/", {"band": at_risk}).context["page"].object_list) == []

    client.force_login(manager)
    response = client.get("/desk/customers/", {"band": at_risk})
    assert [organization.name for organization in response.context["page"].object_list] == ["Acme"]
    assert "health-badge" in response.content.decode()


def test_the_directory_filters_by_tier_and_status(client, manager, acme, org_b):
    OrganizationFactory(name="Gone Inc", status=Organization.Status.CHURNED, churned_at=timezone.localdate())
    client.force_login(manager)

    def names(**params):
        return [organization.name for organization in client.get("/desk/customers/", params).context["page"]]

    assert names(tier="vip") == ["Acme"]
    assert names(status="churned") == ["Gone Inc"]
    assert names() == ["Acme", "Globex", "Gone Inc"]
    assert "Churned" in client.get("/desk/customers/", {"status": "churned"}).content.decode()


def test_the_directory_pager_keeps_the_filters_and_reloads_the_results_in_place(client, manager):
    for index in range(30):
        OrganizationFactory(name=f"VIP {index:02d}", tier=Organization.Tier.VIP)
    client.force_login(manager)
    page = client.get("/desk/customers/", {"tier": "vip"}).content.decode()
    assert "1–25 of 30" in page
    assert 'href="/desk/customers/?tier=vip&amp;page=2"' in page
    assert 'hx-target="#customer-results"' in page
    assert len(client.get("/desk/customers/", {"tier": "vip", "page": 2}).context["page"].object_list) == 5


def test_the_directory_lists_customers_without_an_organisation(client, agent, customer_a):
    CustomerFactory(name="Lone Wolf", organization=None)
    client.force_login(agent)
    response = client.get("/desk/customers/", {"show": "people"})
    assert [person.name for person in response.context["page"].object_list] == ["Lone Wolf"]


def test_the_directory_runs_the_same_queries_for_2_and_30_organisations(client, agent):
    def add(count, offset):
        for index in range(count):
            organization = OrganizationFactory(name=f"Org {offset + index:02d}",
                                               account_manager=agent if index % 2 else None)
            CustomerFactory(organization=organization)
        health.compute_all()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/desk/customers/", {"sort": "health"}).status_code == 200
        return len(captured)

    client.force_login(agent)
    add(2, 0)
    few = queries()
    add(28, 2)
    assert queries() == few


# ---------------------------------------------------------------- a fixed number of queries


def test_the_360_page_runs_the_same_queries_for_2_and_30_rows(client, agent, org_a, queue_x, csat):
    """Tickets, purchases, requests, answers, feedback, check-ins and contacts: 2 of each, then 30."""
    Organization.objects.filter(pk=org_a.pk).update(account_manager=agent)

    def add(count):
        for index in range(count):
            customer = CustomerFactory(organization=org_a, is_primary_contact=index == 0)
            open_ticket = TicketFactory(requester=customer, queue=queue_x, status=Ticket.Status.OPEN)
            closed = TicketFactory(requester=customer, queue=queue_x, status=Ticket.Status.CLOSED)
            rate(csat, closed, 1 + index % 5, comment=f"Comment {index}", age_days=index * 9)
            purchase = PurchaseFactory(customer=customer)
            ServiceRequestFactory(purchase=purchase, ticket=open_ticket)
            Feedback.objects.create(author=customer, organization=org_a, kind=Feedback.Kind.BUG, text=f"Bug {index}")
            CareTask.objects.create(kind=CareTask.Kind.FOLLOW_UP, organization=org_a, customer=customer,
                                    assignee=agent, title=f"Call {index}")
        health.compute_all()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(org_url(org_a))
        assert response.status_code == 200
        return len(captured), response

    client.force_login(agent)
    add(2)
    few, response = queries()
    assert len(response.context["open_tickets"]) == 2
    add(28)
    many, response = queries()
    assert len(response.context["open_tickets"]) == 10  # bounded lists
    assert response.context["ticket_counts"] == {"open": 30, "total": 60}
    assert many == few
