"""Each main page of each role runs an exact number of queries, the same for a few rows as for many.

BUDGETS names what every query is for. A page that needs one more query must say why here; a page whose
count grows with its rows (a query per ticket, per article) fails the equality before it reaches a budget.
Run with QUERY_BUDGETS_SHOW=1 to print a page's queries.
"""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory
from tests.knowledgebase.factories import make_article, make_category
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

SIGNED_IN = ["the session", "the signed-in user", "their roles"]
# Every desk page's sidebar: what each app adds to it (helpdesk.desk.register_sidebar_section).
SIDEBAR = ["queues with their active tickets", "suspended messages to review", "service requests to review",
           "care tasks open and overdue", "organisations at risk", "new feedback"]
MANAGER_SIDEBAR = [*SIDEBAR, "improvements in progress"]
# On the desk home the sidebar's care task counts are the care panel's, counted once.
HOME_SIDEBAR = [query for query in SIDEBAR if query != "care tasks open and overdue"]

BUDGETS = {
    ("customer", "/portal/"): [
        *SIGNED_IN, "the customer's organisation", "their latest tickets", "their tickets by status",
        "articles to read", "their products", "their products' count", "their service requests",
        "the organisation's account manager"],
    ("customer", "/portal/tickets/"): [
        *SIGNED_IN, "the tabs' counts by status", "the list's count, for the pager", "the page of tickets"],
    ("customer", "/portal/tickets/{ticket}/"): [
        *SIGNED_IN, "the ticket, with requester, queue and assignee", "its tags", "the public thread",
        "the thread's files", "a service request opened from it"],
    ("customer", "/portal/service/"): [
        *SIGNED_IN, "the tabs' counts by status", "the list's count, for the pager", "the page of requests"],
    ("customer", "/portal/products/"): [
        *SIGNED_IN, "the list's count, for the pager", "open service requests", "the page of products"],
    ("customer", "/kb/"): [*SIGNED_IN, "the categories with their article counts", "popular articles",
                           "new articles"],
    ("agent", "/desk/"): [
        *SIGNED_IN, "my open tickets", "their tags", "unassigned tickets", "tickets near or past their SLA",
        "organisations of those tickets", "care tasks due (care panel)", "care task counts (care panel and sidebar)",
        "recent survey answers (feedback panel)",
        "organisations by status (directory)", "agents (directory)", *HOME_SIDEBAR, "organisations (directory)",
        "customers (directory)"],
    ("agent", "/desk/tickets/"): [
        *SIGNED_IN, "agents, for the assignee filter", "the list's count, for the pager",
        "the saved views' counts", *SIDEBAR, "queues, for the filter", "tags, for the filter",
        "organisations, for the filter", "the page of tickets", "their tags"],
    ("agent", "/desk/tickets/{ticket}/"): [
        *SIGNED_IN, "the ticket, with requester, organisation, queue, assignee and SLA", "its tags", "the thread",
        "the thread's files", "the history", "the requester's other tickets", "follow-ups and merged tickets",
        "canned responses", "whether the agent may write here (queue membership)", *SIDEBAR,
        "service requests from this ticket (after-sales panel)", "the customer's purchases (after-sales panel)",
        "purchases the ticket names (after-sales panel)", "its survey answer (feedback panel)",
        "an article written from it (knowledge-base panel)", "queues, for the properties form",
        # The assist panels read the newest model and the suggestions twice each (once per panel): to be shared.
        "the thread summary (assist)", "the newest model (assist summary)", "the newest model (assist panel)",
        "the suggestions (assist panel)", "the suggestions (assist reply tools)", "the latest messages (assist)",
        "queues, for the merge form", "agents, for the assignee choice"],
    ("agent", "/desk/service/"): [
        *SIGNED_IN, "technicians, for the filter", "the list's count, for the pager", "the tabs' counts",
        *SIDEBAR, "products, for the filter", "the page of requests"],
    ("agent", "/desk/service/{service}/"): [
        *SIGNED_IN, "the request, with purchase, product and people", "its timeline", "its service log",
        "its files", "the customer's other requests", *SIDEBAR, "its survey answer (feedback panel)",
        "technicians, for the assignment"],
    ("agent", "/desk/kb/"): [
        *SIGNED_IN, "the list's count, for the pager", *SIDEBAR, "categories, for the filter's count",
        "categories, for the filter", "the page of articles"],
    ("manager", "/reports/"): [
        *SIGNED_IN, "when the figures were last computed", "the run in progress", "the last run",
        "when the range's days were computed", *MANAGER_SIDEBAR, "queues, for the filter",
        "ticket totals of the range", "the daily ticket series",
        "satisfaction of the range", "after-sales totals of the range", "active organisations at the start",
        "churned in the range", "won back in the range", "churn reasons", "active organisations a year ago",
        "churned in the year", "won back in the year", "churn reasons of the year",
        "the daily figures for the chart"],
    ("manager", "/desk/customers/"): [
        *SIGNED_IN, "the list's count, for the pager", *MANAGER_SIDEBAR, "the page of organisations"],
}


class World:
    def __init__(self, customer, agent, queue):
        self.customer, self.agent, self.queue = customer, agent, queue
        self.category = make_category("Printing")
        self.tickets, self.requests = [], []

    def grow(self, count):
        for index in range(count):
            ticket = services.ticket_create(requester=self.customer, subject=f"Printer {index} jams",
                                            description="Every morning.", queue=self.queue, notify=False)
            services.ticket_update(ticket=ticket, actor=self.agent, assignee=self.agent, tags=["printer"],
                                   notify=False)
            services.ticket_agent_reply(ticket=ticket, agent=self.agent, body="Which model?", notify=False)
            services.ticket_customer_reply(ticket=ticket, customer=self.customer, body="The X200.", notify=False)
            if index % 2:
                services.ticket_agent_reply(ticket=ticket, agent=self.agent, body="Fixed.", notify=False,
                                            status=Ticket.Status.RESOLVED, resolution_summary="Driver.")
            self.tickets.append(ticket)
            self.requests.append(ServiceRequestFactory(purchase=PurchaseFactory(customer=self.customer)))
            make_article(f"Printer tip {len(self.tickets)}", category=self.category)


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("QUERY_BUDGETS_SHOW"):
        print(f"\n{url}: {len(captured.captured_queries)} queries")
        for number, query in enumerate(captured.captured_queries, start=1):
            print(f"  {number:2}. {query['sql'][:220]}")
    return len(captured.captured_queries)


@pytest.mark.parametrize(("role", "path"), list(BUDGETS))
def test_a_page_runs_the_same_queries_for_3_or_30_rows(client, role, path, customer_a, agent, manager, queue_x,
                                                        settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World(customer_a, agent, queue_x)
    client.force_login({"customer": customer_a, "agent": agent, "manager": manager}[role])
    world.grow(3)

    def url():
        return path.format(ticket=world.tickets[0].reference, service=world.requests[0].reference)

    client.get(url())  # the first request fills the per-process caches (content types, site)
    few = count(client, url())
    world.grow(27)
    many = count(client, url())

    assert few == many, f"{url()}: {few} queries for 3 rows, {many} for 30"
    assert many == len(BUDGETS[role, path]), f"{url()}: {many} queries, budget {len(BUDGETS[role, path])}"
