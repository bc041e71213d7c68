"""Rating from the ticket pages: the customer in the portal, the agent sees it in the desk."""

from feedback import services
from feedback.models import SurveyInvitation, SurveyResponse
from helpdesk.mail.models import OutboundEmail
from tests.tickets.factories import TicketFactory


def test_customer_rates_a_resolved_ticket_from_the_portal(client, csat_survey, make_resolved, queue_x, customer_a,
                                                          agent, settings):
    settings.SURVEY_FATIGUE_DAYS = 0
    ticket = make_resolved(customer_a, queue_x)
    client.force_login(customer_a)
    page = client.get(f"/portal/tickets/{ticket.reference}/").content.decode()
    assert "Rate this request" in page
    client.post(f"/portal/feedback/rate/{ticket.reference}/", {"score": "5", "comment": "Great help"})
    response = SurveyResponse.objects.get()
    assert response.score == 5 and response.invitation.ticket == ticket
    client.post(f"/portal/feedback/rate/{ticket.reference}/", {"score": "4", "comment": "Good help"})
    assert SurveyResponse.objects.get().score == 4
    # Already rated: the periodic task does not e-mail a survey about it.
    assert services.send_due_surveys() == 0 and not OutboundEmail.objects.exists()
    client.force_login(agent)
    desk = client.get(f"/desk/tickets/{ticket.reference}/").content.decode()
    assert "Customer rating" in desk and "Good help" in desk and "4/5" in desk


def test_no_rating_for_open_tickets_or_other_customers(client, csat_survey, make_resolved, queue_x, customer_a,
                                                        customer_b):
    open_ticket = TicketFactory(requester=customer_a, queue=queue_x)
    client.force_login(customer_a)
    assert "Rate this request" not in client.get(f"/portal/tickets/{open_ticket.reference}/").content.decode()
    client.post(f"/portal/feedback/rate/{open_ticket.reference}/", {"score": "5"})
    assert not SurveyInvitation.objects.exists()
    resolved = make_resolved(customer_a, queue_x)
    client.force_login(customer_b)
    assert client.post(f"/portal/feedback/rate/{resolved.reference}/", {"score": "1"}).status_code == 404
    assert client.get(f"/portal/feedback/rate/{resolved.reference}/").status_code in (404, 405)
    assert not SurveyResponse.objects.exists()
