"""Rating a completed service request from its portal page; the desk sees the score on the request."""

from django.utils import timezone

from aftersales.models import ServiceRequest
from feedback.models import Question, Survey, SurveyInvitation, SurveyResponse
from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory


def service_survey():
    survey = Survey.objects.create(name="After service", kind=Survey.Kind.CSAT, scale=5,
                                   trigger=Survey.Trigger.SERVICE_COMPLETED, delay_hours=0, expiry_days=14)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING,
                            text_en="How satisfied are you with the service?", text_zh_hans="您对服务满意吗？")
    return survey


def completed_request(customer):
    return ServiceRequestFactory(purchase=PurchaseFactory(customer=customer), status=ServiceRequest.Status.COMPLETED,
                                 completed_at=timezone.now())


def test_customer_rates_a_completed_request_and_the_desk_sees_it(client, db, customer_a, agent):
    service_survey()
    request = completed_request(customer_a)
    client.force_login(customer_a)
    page = client.get(f"/portal/service/{request.reference}/").content.decode()
    assert "Rate this request" in page and f"/portal/feedback/rate-service/{request.reference}/" in page

    client.post(f"/portal/feedback/rate-service/{request.reference}/", {"score": "2", "comment": "Took too long"})
    response = SurveyResponse.objects.get()
    assert response.score == 2 and response.invitation.service_request == request
    client.post(f"/portal/feedback/rate-service/{request.reference}/", {"score": "4", "comment": "Fine after all"})
    assert SurveyResponse.objects.get().score == 4 and SurveyInvitation.objects.count() == 1

    client.force_login(agent)
    desk = client.get(f"/desk/service/{request.reference}/").content.decode()
    assert "Customer rating" in desk and "Fine after all" in desk


def test_no_rating_before_completion_or_by_another_customer(client, db, customer_a, customer_b):
    service_survey()
    waiting = ServiceRequestFactory(purchase=PurchaseFactory(customer=customer_a))
    client.force_login(customer_a)
    assert "Rate this request" not in client.get(f"/portal/service/{waiting.reference}/").content.decode()
    client.post(f"/portal/feedback/rate-service/{waiting.reference}/", {"score": "5"})
    assert not SurveyInvitation.objects.exists()

    done = completed_request(customer_a)
    client.force_login(customer_b)
    assert client.post(f"/portal/feedback/rate-service/{done.reference}/", {"score": "1"}).status_code == 404
    assert not SurveyResponse.objects.exists()
