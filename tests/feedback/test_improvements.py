"""The improvement backlog: one step at a time, and one "shipped" e-mail per linked customer."""

from django.core import mail

from feedback import services
from feedback.models import Feedback, Improvement, ImprovementNotice, ProductArea
from helpdesk.mail.models import OutboundEmail


def _ship(client, improvement):
    for status in ("planned", "in_progress", "shipped"):
        client.post(f"/desk/feedback/improvements/{improvement.pk}/move/", {"status": status})


def test_shipping_tells_each_linked_customer_once(client, manager, customer_a, customer_b, customer_a2,
                                                  django_capture_on_commit_callbacks):
    customer_b.locale = "zh-hans"
    customer_b.save()
    items = [services.feedback_create(author=customer_a, kind="idea", text="CSV export"),
             services.feedback_create(author=customer_a, kind="idea", text="Excel export"),
             services.feedback_create(author=customer_b, kind="idea", text="Export please")]
    duplicate = services.feedback_create(author=customer_a2, kind="idea", text="Export, same as the others")
    services.feedback_mark_duplicate(feedback=duplicate, original=items[0])
    client.force_login(manager)
    client.post("/desk/feedback/improvements/", {"title": "Report export", "description": "CSV and Excel"})
    improvement = Improvement.objects.get()
    client.post(f"/desk/feedback/improvements/{improvement.pk}/link/",
                {"numbers": ", ".join(f"#{item.pk}" for item in items)})
    assert set(Feedback.objects.filter(pk__in=[i.pk for i in items]).values_list("status", flat=True)) == {"linked"}
    with django_capture_on_commit_callbacks(execute=True):
        _ship(client, improvement)
    improvement.refresh_from_db()
    assert improvement.status == "shipped" and improvement.shipped_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted([customer_a.email, customer_b.email, customer_a2.email])
    # Repeating the notice, or the move, sends nothing more.
    assert services.improvement_notify_shipped(improvement=improvement) == 0
    client.post(f"/desk/feedback/improvements/{improvement.pk}/move/", {"status": "shipped"})
    assert OutboundEmail.objects.count() == 3 and ImprovementNotice.objects.count() == 3
    assert OutboundEmail.objects.get(to=customer_b.email).language == "zh-hans"


def test_other_moves_are_refused_with_a_message(client, manager):
    improvement = services.improvement_create(title="Faster search")
    client.force_login(manager)
    page = client.post(f"/desk/feedback/improvements/{improvement.pk}/move/", {"status": "shipped"}, follow=True)
    assert "cannot move from" in page.content.decode()
    improvement.refresh_from_db()
    assert improvement.status == "proposed"
    page = client.post(f"/desk/feedback/improvements/{improvement.pk}/verify/",
                       {"metric_name": "x", "before_value": "1", "after_value": "2"}, follow=True)
    assert "Only a shipped improvement" in page.content.decode()


def test_verification_records_before_and_after_with_a_suggestion(client, manager, customer_a):
    area = ProductArea.objects.create(name="Search")
    services.feedback_create(author=customer_a, kind="bug", text="Search is slow", area=area)
    improvement = services.improvement_create(title="Faster search", area=area)
    client.force_login(manager)
    _ship(client, improvement)
    page = client.get(f"/desk/feedback/improvements/{improvement.pk}/").content.decode()
    assert "1 feedback items about this area in the 30 days before shipping, 0 in the 30 days after" in page
    client.post(f"/desk/feedback/improvements/{improvement.pk}/verify/",
                {"metric_name": "Search complaints per month", "before_value": "1", "after_value": "0",
                 "note": "Quiet since"})
    improvement.refresh_from_db()
    assert improvement.status == "verified" and improvement.before_value == 1 and improvement.after_value == 0


def test_agents_cannot_manage_improvements(client, agent):
    improvement = services.improvement_create(title="Faster search")
    client.force_login(agent)
    assert client.get("/desk/feedback/improvements/").status_code == 403
    assert client.post(f"/desk/feedback/improvements/{improvement.pk}/move/", {"status": "planned"}).status_code == 403
    assert client.get("/desk/feedback/surveys/").status_code == 403
