"""The survey page: a GET never records, tokens are checked, expired surveys close, answers can change."""

from datetime import timedelta

from django.utils import timezone

from care.models import CareTask
from feedback import services
from feedback.models import SurveyInvitation, SurveyResponse


def _invite(survey, ticket, **fields):
    return services.ticket_invitation_for_customer(ticket=ticket, customer=ticket.requester) if not fields else \
        SurveyInvitation.objects.create(survey=survey, recipient=ticket.requester, ticket=ticket,
                                        subject_key=f"ticket:{ticket.pk}", token=services.new_token(), **fields)


def _score_field(survey):
    return f"q{survey.score_question().pk}"


def test_a_score_link_preselects_and_records_nothing(client, csat_survey, make_resolved, queue_x, customer_a):
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    page = client.get(f"/survey/{invitation.token}/?score=4")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="4" checked' in html
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.responded_at is None


def test_submit_records_and_answer_can_change_until_expiry(client, csat_survey, make_resolved, queue_x, customer_a):
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    url = f"/survey/{invitation.token}/"
    client.post(url, {_score_field(csat_survey): "5", "comment": "Quick and kind"})
    response = SurveyResponse.objects.get()
    assert response.score == 5 and response.comment == "Quick and kind"
    page = client.get(url)
    assert "Quick and kind" in page.content.decode() and 'value="5" checked' in page.content.decode()
    client.post(url, {_score_field(csat_survey): "4", "comment": "Changed my mind"})
    response.refresh_from_db()
    assert response.score == 4 and response.changes == 1
    assert SurveyResponse.objects.count() == 1


def test_missing_score_shows_a_message_and_saves_nothing(client, csat_survey, make_resolved, queue_x, customer_a):
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    page = client.post(f"/survey/{invitation.token}/", {"comment": "no score"})
    assert page.status_code == 200 and "Choose a score." in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_tampered_unknown_or_foreign_token_is_404(client, csat_survey, make_resolved, queue_x, customer_a,
                                                  customer_b):
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    tampered = invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")
    assert client.get(f"/survey/{tampered}/").status_code == 404
    assert client.post(f"/survey/{tampered}/", {_score_field(csat_survey): "1"}).status_code == 404
    assert client.get("/survey/nothing-here/").status_code == 404
    assert client.get(f"/survey/{tampered}/unsubscribe/").status_code == 404
    client.force_login(customer_b)  # someone else's survey, signed in as another customer
    assert client.get(f"/survey/{invitation.token}/").status_code == 404
    assert client.post(f"/survey/{invitation.token}/", {_score_field(csat_survey): "1"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_expired_survey_shows_a_page_and_cannot_be_submitted(client, csat_survey, make_resolved, queue_x,
                                                             customer_a):
    now = timezone.now()
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x), created_at=now - timedelta(days=20),
                         expires_at=now - timedelta(days=6))
    page = client.get(f"/survey/{invitation.token}/?score=5")
    assert page.status_code == 410 and "This survey has closed" in page.content.decode()
    page = client.post(f"/survey/{invitation.token}/", {_score_field(csat_survey): "5"})
    assert page.status_code == 410
    assert not SurveyResponse.objects.exists()


def test_survey_page_in_chinese_for_a_chinese_customer(client, csat_survey, make_resolved, queue_x, customer_a):
    customer_a.locale = "zh-hans"
    customer_a.save()
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    page = client.get(f"/survey/{invitation.token}/?score=3")
    assert "您对我们的支持满意吗？" in page.content.decode()


def test_low_score_makes_exactly_one_follow_up(client, csat_survey, make_resolved, queue_x, customer_a, agent,
                                               org_a):
    org_a.account_manager = agent
    org_a.save()
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    url = f"/survey/{invitation.token}/"
    client.post(url, {_score_field(csat_survey): "1", "comment": "Slow"})
    client.post(url, {_score_field(csat_survey): "2", "comment": "Still slow"})
    client.post(url, {_score_field(csat_survey): "1", "comment": "Really slow"})
    tasks = CareTask.objects.filter(kind=CareTask.Kind.FOLLOW_UP)
    assert tasks.count() == 1
    assert tasks.get().assignee == agent and tasks.get().customer == customer_a


def test_high_score_makes_no_follow_up(client, csat_survey, make_resolved, queue_x, customer_a):
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    client.post(f"/survey/{invitation.token}/", {_score_field(csat_survey): "4"})
    assert not CareTask.objects.exists()


def test_follow_up_falls_back_to_queue_manager_then_assignee(csat_survey, make_resolved, queue_x, customer_b,
                                                             agent, manager):
    ticket = make_resolved(customer_b, queue_x, assignee=agent)
    invitation = _invite(csat_survey, ticket)
    services.response_submit(invitation=invitation, answers={csat_survey.score_question().pk: 1})
    assert CareTask.objects.get().assignee == agent
    queue_x.manager = manager
    queue_x.save()
    assert services.follow_up_assignee(SurveyInvitation.objects.get(pk=invitation.pk)) == manager


def test_follow_up_done_on_desk_home(client, csat_survey, make_resolved, queue_x, customer_a, agent, org_a, agent_y):
    org_a.account_manager = agent
    org_a.save()
    invitation = _invite(csat_survey, make_resolved(customer_a, queue_x))
    services.response_submit(invitation=invitation, answers={csat_survey.score_question().pk: 1}, comment="Bad")
    task = CareTask.objects.get()
    client.force_login(agent)
    home = client.get("/desk/").content.decode()
    assert "My check-ins due" in home and task.title in home and "Latest ratings" in home
    assert task.title in client.get(f"/accounts/care/{task.pk}/").content.decode()
    client.force_login(agent_y)
    assert client.post(f"/accounts/care/{task.pk}/", {"outcome": "Nosy"}).status_code == 404
    client.force_login(agent)
    client.post(f"/accounts/care/{task.pk}/", {"outcome": "Called"})
    task.refresh_from_db()
    assert task.status == CareTask.Status.DONE and task.outcome == "Called"
