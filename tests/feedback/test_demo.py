from feedback import demo
from feedback.models import Feedback, Improvement, Survey
from helpdesk.mail.models import OutboundEmail


def test_demo_is_idempotent_and_sends_nothing(customer_a, customer_b, manager):
    users = {u.email: u for u in (customer_a, customer_b, manager)}
    demo.seed(None, users=users, organizations={})
    demo.seed(None, users=users, organizations={})
    assert Survey.objects.count() == 3 and Feedback.objects.count() == 50
    assert set(Improvement.objects.values_list("status", flat=True)) == set(Improvement.Status.values)
    assert not OutboundEmail.objects.exists()
