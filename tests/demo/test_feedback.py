"""The feedback story of ``seed_demo``, on its own: added once, nothing sent."""

from demo import feedback as story
from feedback.models import Feedback, Improvement, Survey
from helpdesk.mail.models import OutboundEmail


def test_demo_is_idempotent_and_sends_nothing(customer_a, customer_b, manager):
    users = {u.email: u for u in (customer_a, customer_b, manager)}
    story.seed(users=users, organizations={})
    story.seed(users=users, organizations={})
    assert Survey.objects.count() == 3 and Feedback.objects.count() == 50
    assert set(Improvement.objects.values_list("status", flat=True)) == set(Improvement.Status.values)
    assert not OutboundEmail.objects.exists()
