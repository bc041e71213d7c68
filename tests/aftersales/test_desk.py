"""The desk: the service-request queue, the request page and its actions, and turning a ticket into a request."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales import services
from aftersales.models import ServiceEvent, ServiceRequest
from tests.aftersales.factories import ProductFactory, PurchaseFactory, ServiceRequestFactory
from tests.factories import CustomerFactory
from tests.tickets.factories import TicketFactory

pytestmark = pytest.mark.django_db
LIST = reverse("aftersales:desk-list")
Status = ServiceRequest.Status


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {request.pk for request in response.context["page"].object_list}


def url(name, request):
    return reverse(f"aftersales:{name}", args=[request.reference])


@pytest.fixture
def desk(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def boss(client, manager):
    client.force_login(manager)
    return client


# ---------------------------------------------------------------- the queue


def test_the_queue_shows_open_requests_by_default(desk):
    open_ones = {ServiceRequestFactory(status=status).pk for status in ServiceRequest.ACTIVE_STATUSES}
    for status in (Status.REJECTED, Status.COMPLETED, Status.CLOSED):
        ServiceRequestFactory(status=status)
    assert listed(desk) == open_ones
    assert len(listed(desk, "?status=closed&status=completed")) == 2


def test_the_queue_filters(desk, agent, agent_y):
    other = ProductFactory(sku="OTHER")
    repair = ServiceRequestFactory(kind="repair", technician=agent)
    refund = ServiceRequestFactory(kind="refund", eligibility_assessed="refund_window", technician=agent_y)
    paid = ServiceRequestFactory(purchase=PurchaseFactory(product=other), eligibility_assessed="out_of_warranty")
    overdue = ServiceRequestFactory(review_due=timezone.now() - timedelta(hours=3))
    assert listed(desk, "?kind=refund") == {refund.pk}
    assert listed(desk, f"?product={other.pk}") == {paid.pk}
    assert listed(desk, "?eligibility=out_of_warranty") == {paid.pk}
    assert listed(desk, "?technician=me") == {repair.pk}
    assert listed(desk, f"?technician={agent_y.pk}") == {refund.pk}
    assert listed(desk, "?technician=none") == {paid.pk, overdue.pk}
    assert listed(desk, "?overdue=true") == {overdue.pk}
    assert listed(desk, f"?q={paid.reference}") == {paid.pk}
    assert listed(desk, f"?q={repair.purchase.serial_number.lower()}") == {repair.pk}


def test_a_quote_waiting_on_the_customer_is_not_overdue(desk, manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, eligibility_assessed="out_of_warranty",
                                    review_due=timezone.now() - timedelta(days=1))
    assert listed(desk, "?overdue=true") == {request.pk}
    services.service_request_send_quote(service_request=request, actor=manager, amount="10", currency="EUR",
                                        notify=False)
    assert listed(desk, "?overdue=true") == set()


def test_requests_waiting_for_review_come_first_by_due_time(desk):
    now = timezone.now()
    later = ServiceRequestFactory(review_due=now + timedelta(hours=5))
    sooner = ServiceRequestFactory(review_due=now + timedelta(hours=1))
    working = ServiceRequestFactory(status=Status.IN_SERVICE, review_due=now - timedelta(days=3))
    order = [request.pk for request in desk.get(LIST).context["page"].object_list]
    assert order == [sooner.pk, later.pk, working.pk]


def test_the_queue_is_paginated(desk):
    for _index in range(55):
        ServiceRequestFactory()
    first = desk.get(LIST)
    assert len(first.context["page"].object_list) == 50
    assert len(desk.get(LIST + "?page=2").context["page"].object_list) == 5


def test_the_queue_answers_htmx_with_the_results_only(desk):
    ServiceRequestFactory()
    response = desk.get(LIST, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "as-table" in response.content.decode()


def test_the_queue_runs_the_same_queries_for_5_and_50_rows(desk, agent, django_assert_num_queries,
                                                          django_assert_max_num_queries):
    def add(count):
        for index in range(count):
            ServiceRequestFactory(technician=agent if index % 2 else None,
                                  purchase=PurchaseFactory(customer=CustomerFactory()))

    add(5)
    desk.get(LIST)
    with django_assert_max_num_queries(40) as five:
        response = desk.get(LIST)
    assert len(response.context["page"].object_list) == 5
    add(45)
    with django_assert_num_queries(len(five.captured_queries)):
        response = desk.get(LIST)
    assert len(response.context["page"].object_list) == 50


# ---------------------------------------------------------------- the request page


def test_the_request_page_runs_the_same_queries_for_5_and_50_log_entries(desk, agent, manager, customer_a,
                                                                          purchase_a, django_assert_num_queries,
                                                                          django_assert_max_num_queries):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)

    def add(count):
        for index in range(count):
            services.service_request_add_log(
                service_request=request, author=agent if index % 2 else manager, text=f"Step {index}",
                internal=index % 3 == 0, files=[SimpleUploadedFile(f"f{index}.txt", b"data")] if index % 2 else [])
            services.service_request_assign(service_request=request, actor=manager,
                                            technician=agent if index % 2 else manager)

    add(5)
    desk.get(url("desk-detail", request))
    with django_assert_max_num_queries(60) as five:
        response = desk.get(url("desk-detail", request))
    assert sum(entry.kind != "event" for entry in response.context["timeline"]) == 5
    add(45)
    with django_assert_num_queries(len(five.captured_queries)):
        response = desk.get(url("desk-detail", request))
    assert sum(entry.kind != "event" for entry in response.context["timeline"]) == 50


def test_a_manager_reviews_and_approves_from_the_page(boss, customer_a, purchase_a, manager):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    page = boss.get(url("desk-detail", request)).content.decode()
    assert "Start review" in page
    boss.post(url("desk-start-review", request), {"version": 1})
    page = boss.get(url("desk-detail", request)).content.decode()
    assert "Send a quote" in page and "Reject" in page
    response = boss.post(url("desk-approve", request), {"version": 2, "eligibility": "in_warranty"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.reviewer == manager


def test_a_rejection_without_reason_is_shown_next_to_the_field(boss, manager):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    response = boss.post(url("desk-reject", request), {"version": 1, "eligibility": "in_warranty", "reason": " "})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW


def test_approving_out_of_warranty_explains_to_send_a_quote(boss):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW, eligibility_assessed="out_of_warranty")
    response = boss.post(url("desk-approve", request), {"version": 1, "eligibility": "out_of_warranty"})
    assert response.status_code == 400
    assert "send the customer a quote" in " ".join(response.context["approve_form"].errors["eligibility"])
    response = boss.post(url("desk-quote", request), {"version": 1, "amount": "120.00", "currency": "USD",
                                                      "note": "Fan module."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.quote_pending and request.quote_currency == "USD"
    assert "Waiting for the customer" in boss.get(url("desk-detail", request)).content.decode()


def test_an_agent_sees_no_decision_forms_and_cannot_decide(desk):
    request = ServiceRequestFactory(status=Status.UNDER_REVIEW)
    page = desk.get(url("desk-detail", request)).content.decode()
    assert url("desk-approve", request) not in page
    response = desk.post(url("desk-approve", request), {"version": 1, "eligibility": "in_warranty"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW


def test_the_work_from_technician_to_closing(desk, agent):
    request = ServiceRequestFactory(status=Status.APPROVED)
    assert desk.post(url("desk-assign", request), {"version": 1, "technician": agent.pk}).status_code == 302
    response = desk.post(url("desk-log", request), {
        "version": 2, "visibility": "public", "text": "Unit received.",
        "files": [SimpleUploadedFile("label.txt", b"SN-1")]})
    assert response.status_code == 302
    assert desk.post(url("desk-start", request), {"version": 3}).status_code == 302
    response = desk.post(url("desk-complete", request), {"version": 4, "work_done": ""})
    assert response.status_code == 400 and response.context["complete_form"].errors["work_done"]
    assert desk.post(url("desk-complete", request), {"version": 4, "work_done": "New fan.",
                                                     "parts_replaced": "Fan"}).status_code == 302
    assert desk.post(url("desk-close", request), {"version": 5}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.technician, request.work_done) == (Status.CLOSED, agent, "New fan.")
    log = request.logs.get()
    assert not log.is_internal and log.files.get().original_name == "label.txt"
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [ServiceEvent.Kind.TECHNICIAN, ServiceEvent.Kind.LOG, ServiceEvent.Kind.STATUS,
                     ServiceEvent.Kind.COMPLETION, ServiceEvent.Kind.STATUS, ServiceEvent.Kind.STATUS]


def test_only_agents_can_be_technicians(desk, customer_a):
    request = ServiceRequestFactory()
    response = desk.post(url("desk-assign", request), {"version": 1, "technician": customer_a.pk})
    assert response.status_code == 400 and response.context["assign_form"].errors["technician"]


def test_actions_are_post_only(boss):
    request = ServiceRequestFactory()
    for name in ("desk-start-review", "desk-approve", "desk-log", "desk-start", "desk-close"):
        assert boss.get(url(name, request)).status_code == 405, name
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


# ---------------------------------------------------------------- from a ticket


@pytest.fixture
def ticket(customer_a, queue_x):
    return TicketFactory(requester=customer_a, queue=queue_x, subject="Appliance keeps rebooting",
                         description="Every three hours.")


def test_convert_a_ticket_and_keep_the_link_both_ways(desk, agent, ticket, purchase_a):
    page = desk.get(ticket.get_absolute_url()).content.decode()
    assert "Convert to service request" in page and purchase_a.serial_number in page

    response = desk.post(reverse("aftersales:desk-convert-ticket", args=[ticket.reference]),
                         {"purchase": purchase_a.pk, "kind": "repair"})

    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.ticket, request.requester, request.created_by) == (ticket, ticket.requester, agent)
    assert "Appliance keeps rebooting" in request.description and "Every three hours." in request.description
    assert request.events.get(kind=ServiceEvent.Kind.CREATED).old_value == ticket.reference
    assert ticket.get_absolute_url() in desk.get(request.get_absolute_url()).content.decode()
    page = desk.get(ticket.get_absolute_url()).content.decode()
    assert request.get_absolute_url() in page and "Convert to service request" not in page


def test_only_the_requesters_purchases_can_be_picked(desk, ticket, customer_b, product):
    someone_elses = PurchaseFactory(customer=customer_b, product=product)
    response = desk.post(reverse("aftersales:desk-convert-ticket", args=[ticket.reference]),
                         {"purchase": someone_elses.pk, "kind": "repair"}, follow=True)
    assert "Pick one of the requester" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_requester_without_purchases_is_explained(desk, ticket):
    assert "has no registered purchase" in desk.get(ticket.get_absolute_url()).content.decode()


def test_an_agent_outside_the_tickets_queue_cannot_convert_it(client, agent_y, ticket, purchase_a):
    client.force_login(agent_y)
    response = client.post(reverse("aftersales:desk-convert-ticket", args=[ticket.reference]),
                           {"purchase": purchase_a.pk, "kind": "repair"})
    assert response.status_code == 404 and not ServiceRequest.objects.exists()


# ---------------------------------------------------------------- home and sidebar


def test_desk_home_and_sidebar_show_a_manager_what_waits_for_review(boss, agent):
    overdue = ServiceRequestFactory(review_due=timezone.now() - timedelta(hours=2))
    ServiceRequestFactory(status=Status.IN_SERVICE, technician=agent)
    body = boss.get(reverse("desk-home")).content.decode()
    assert "Service requests waiting for review" in body and overdue.reference in body and "review overdue" in body
    assert "Waiting for review" in body and "text-bg-danger" in body
    assert "After-sales" in body and reverse("aftersales:desk-list") in body
    assert "1 waiting for review" in boss.get(reverse("aftersales:desk-list")).content.decode()
    from aftersales.selectors import sidebar_counts

    assert sidebar_counts(agent) == {"active": 2, "review": 1, "overdue": 1, "in_service": 1, "mine": 1}


def test_an_agent_is_not_shown_a_review_count_only_managers_can_act_on(desk, agent):
    overdue = ServiceRequestFactory(review_due=timezone.now() - timedelta(hours=2))
    ServiceRequestFactory(status=Status.IN_SERVICE, technician=agent)

    home = desk.get(reverse("desk-home")).content.decode()
    assert "Waiting for review" not in home
    assert "Service requests waiting for review" not in home and overdue.reference not in home
    # What the agent can work on is still there.
    assert "Service requests" in home and "In service" in home and "Assigned to me" in home
    listing = desk.get(reverse("aftersales:desk-list")).content.decode()
    assert "waiting for review" not in listing and "1 in service" in listing


def test_every_admin_page_opens(client, admin_user, customer_a, purchase_a, agent):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="x", files=[SimpleUploadedFile("a.txt", b"a")],
                                              notify=False)
    services.service_request_add_log(service_request=request, author=agent, text="note", internal=True)
    client.force_login(admin_user)
    for model in ("product", "purchase", "servicerequest", "servicelog", "serviceevent", "servicefile"):
        assert client.get(reverse(f"admin:aftersales_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:aftersales_servicerequest_change", args=[request.pk])).status_code == 200
    assert client.get(reverse("admin:aftersales_purchase_change", args=[purchase_a.pk])).status_code == 200
    assert client.get(reverse("admin:aftersales_servicerequest_changelist") + "?q=" + request.reference).context[
        "cl"].result_count == 1
