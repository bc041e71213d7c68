from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Question, Survey
from tests.tickets.factories import TicketFactory
from tickets.models import Ticket


@pytest.fixture
def csat_survey(db):
    survey = Survey.objects.create(name="After a ticket", kind=Survey.Kind.CSAT, scale=5,
                                   trigger=Survey.Trigger.TICKET_RESOLVED, delay_hours=1, expiry_days=14)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING,
                            text_en="How satisfied are you with our support?", text_zh_hans="您对我们的支持满意吗？")
    Question.objects.create(survey=survey, order=2, kind=Question.Kind.TEXT, text_en="What could we do better?",
                            text_zh_hans="我们可以改进什么？")
    return survey


def resolved_ticket(requester, queue, hours_ago=2, **fields):
    now = timezone.now()
    return TicketFactory(requester=requester, queue=queue, status=Ticket.Status.RESOLVED,
                         resolved_at=now - timedelta(hours=hours_ago), **fields)


@pytest.fixture
def make_resolved():
    return resolved_ticket
