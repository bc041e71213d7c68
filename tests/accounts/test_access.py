"""Who may open /portal/, /desk/ and /admin/."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/portal/", "/desk/", "/accounts/profile/", "/accounts/password/change/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
def test_anonymous_home_is_the_portal_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "How can we help?" in body
    assert reverse("accounts:login") in body and reverse("accounts:signup") in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "home"),
    [("customer_a", "/portal/"), ("agent", "/desk/"), ("manager", "/desk/"), ("admin_user", "/desk/")],
)
def test_root_sends_each_role_home(client, request, persona, home):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 302 and response.url == home


@pytest.mark.django_db
def test_customer_gets_403_from_the_desk(client, customer_a):
    client.force_login(customer_a)
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "You don’t have access to this page" in response.content.decode()


@pytest.mark.django_db
def test_customer_cannot_use_the_admin(client, customer_a):
    client.force_login(customer_a)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get("/admin/accounts/user/").status_code == 302


@pytest.mark.django_db
def test_agent_cannot_use_the_admin_but_manager_and_admin_can(client, agent, manager, admin_user):
    client.force_login(agent)
    assert client.get("/admin/").status_code == 302
    client.force_login(manager)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/organization/").status_code == 200
    assert client.get("/admin/mail/outboundemail/").status_code == 200
    assert client.get("/admin/care/careplan/").status_code == 200, "managers set the check-in cadence"
    assert client.get("/admin/care/churnreason/add/").status_code == 200, "and keep the churn reasons"
    assert client.get("/admin/accounts/privacyrequest/").status_code == 403, "the privacy log is for admins"
    assert client.get("/admin/auth/group/").status_code == 403, "managers do not edit roles' permissions"
    client.force_login(admin_user)
    assert client.get("/admin/auth/group/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "manager", "admin_user"])
def test_staff_see_the_desk(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/desk/")
    assert response.status_code == 200
    assert "Organisations you manage" in response.content.decode()


@pytest.mark.django_db
def test_staff_visiting_the_portal_are_sent_to_the_desk(client, agent):
    client.force_login(agent)
    assert client.get("/portal/").url == "/desk/"


@pytest.mark.django_db
def test_portal_shows_the_customer_their_own_organisation_only(client, customer_a, customer_a2, customer_b):
    client.force_login(customer_a)
    body = client.get("/portal/").content.decode()
    assert "Acme" in body and customer_a2.email in body  # a primary contact sees colleagues
    assert "Globex" not in body and customer_b.email not in body

    client.force_login(customer_a2)
    body = client.get("/portal/").content.decode()
    assert customer_a.email not in body, "only a primary contact sees the organisation's members"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["customer_a", "agent", "manager", "admin_user"])
def test_navigation_shows_what_the_role_may_use(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    body = client.get("/accounts/profile/").content.decode()
    nav = body[body.index("<nav"):body.index("</nav>")]
    assert ('href="/portal/"' in nav) == (persona == "customer_a")
    assert ('href="/desk/"' in nav) == (persona != "customer_a")
    assert ('href="/admin/"' in nav) == (persona in ("manager", "admin_user"))


@pytest.mark.django_db
def test_desk_home_runs_a_fixed_number_of_queries(client, agent):
    """The desk home and every panel the feature apps add: as many queries for 2 rows as for 30."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CustomerFactory, OrganizationFactory
    from tests.tickets.factories import QueueFactory, TicketFactory

    queue = QueueFactory(name="Home queue", slug="home-queue")
    queue.members.add(agent)

    def add(count):
        for n in range(count):
            customer = CustomerFactory(organization=OrganizationFactory(account_manager=agent))
            TicketFactory(requester=customer, queue=queue, assignee=agent if n % 2 else None)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/desk/").status_code == 200
        return len(captured)

    client.force_login(agent)
    add(2)
    few = queries()
    add(28)
    assert queries() == few


@pytest.mark.django_db
def test_unknown_pages_get_the_styled_404(client, customer_a):
    client.force_login(customer_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
