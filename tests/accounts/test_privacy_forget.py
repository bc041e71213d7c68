"""Forgetting a customer: their name, address and words go; every number the reports count stays."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Count

from aftersales.models import Purchase, ServiceLog, ServiceRequest
from care.models import CareTask
from feedback.metrics import csat_summary, nps_summary, response_rate_summary
from feedback.models import Answer, Feedback, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import PrivacyRequest, User
from helpdesk.accounts.privacy import REMOVED, PrivacyError, customer_forget
from helpdesk.accounts.signals import privacy_forget
from helpdesk.mail.models import OutboundEmail
from knowledgebase.selectors import deflection_counts
from tests.accounts.privacy_world import build
from tickets.models import Attachment, IntakeRecord, Message, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(customer_a, agent, queue_x):
    return build(customer_a, tag="ALICE-SECRET", agent=agent, queue=queue_x)


@pytest.fixture
def world_b(customer_b, agent, queue_x):
    return build(customer_b, tag="CAROL-SECRET", agent=agent, queue=queue_x, csat_score=2, nps_score=3)

SCANNED_APPS = ["accounts", "mail", "tickets", "aftersales", "feedback", "knowledgebase", "axes"]


def rows_mentioning(text: str) -> list[str]:
    """Every text column of every row, in every app that holds customer data, that contains ``text``."""
    hits = []
    for label in SCANNED_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if isinstance(f, (models.CharField, models.TextField)) and not f.is_relation]
            for name in fields:
                count = model.objects.filter(**{f"{name}__icontains": text}).count()
                if count:
                    hits.append(f"{model._meta.label}.{name} ×{count}")
    return hits


def report_numbers() -> dict:
    """What the dashboards count: tickets by status, queue and priority with their SLA times, messages,
    service requests by status, survey figures through feedback.metrics, feedback, deflections."""
    def grouped(queryset, *fields):
        return sorted(tuple(row.values()) for row in queryset.values(*fields).annotate(n=Count("pk")).order_by())

    csat = SurveyResponse.objects.filter(invitation__survey__kind="csat")
    nps = SurveyResponse.objects.filter(invitation__survey__kind="nps")
    return {
        "tickets": grouped(Ticket.objects, "status", "queue_id", "priority", "organization_id"),
        "ticket_times": sorted(Ticket.objects.values_list(
            "pk", "created_at", "first_response_at", "resolved_at", "first_response_due", "resolution_due",
            "sla_paused_seconds", "reopened_count")),
        "messages": grouped(Message.objects, "ticket_id", "is_internal", "from_agent"),
        "service_requests": grouped(ServiceRequest.objects, "status", "kind", "eligibility", "purchase__product_id"),
        "service_logs": grouped(ServiceLog.objects, "is_internal"),
        "purchases": grouped(Purchase.objects, "product_id", "organization_id"),
        "csat": csat_summary(csat, 5),
        "nps": nps_summary(nps),
        "response_rate": response_rate_summary(SurveyInvitation.objects.all()),
        "responses_with_comment": SurveyResponse.objects.exclude(comment="").count(),
        "feedback": grouped(Feedback.objects, "kind", "score", "status"),
        "deflections": deflection_counts(),
        "care_tasks": grouped(CareTask.objects, "kind", "status"),
    }


def forget(user, by, capture):
    with capture(execute=True):
        return customer_forget(user=user, by=by)


def test_forget_removes_names_addresses_and_words_everywhere(world_a, world_b, admin_user,
                                                             django_capture_on_commit_callbacks):
    alice = world_a.customer
    assert rows_mentioning("ALICE-SECRET")  # the scan finds what is there

    forget(alice, admin_user, django_capture_on_commit_callbacks)

    for text in ["ALICE-SECRET", "alice@acme.example", "Alice A"]:
        assert rows_mentioning(text) == [], text
    alice.refresh_from_db()
    assert alice.name == ""
    assert alice.email == f"forgotten-{alice.pk}@invalid.example"
    assert not alice.has_usable_password()
    assert not alice.is_active and not alice.is_primary_contact
    assert alice.email_verified_at is not None
    assert alice.organization is not None  # organisation figures keep counting them

    for ticket in Ticket.objects.filter(requester=alice):
        assert ticket.subject == f"Ticket {ticket.reference}"
        assert ticket.description == REMOVED
    assert set(Message.objects.filter(ticket__requester=alice).values_list("body", flat=True)) == {REMOVED}
    assert not Attachment.objects.filter(message__ticket__requester=alice).exists()
    sr = ServiceRequest.objects.get(requester=alice)
    assert sr.description == REMOVED and sr.onsite_address == REMOVED
    assert not sr.files.exists()
    assert Purchase.objects.get(customer=alice).serial_number == "SN-ALICE"  # a device, not a person
    assert set(SurveyResponse.objects.filter(invitation__recipient=alice).values_list("comment", flat=True)) \
        == {REMOVED}
    assert sorted(SurveyResponse.objects.filter(invitation__recipient=alice).values_list("score", flat=True)) \
        == [4, 9]
    assert Feedback.objects.get(author=alice).score == 4
    email = OutboundEmail.objects.get(subject=REMOVED, to=alice.email)
    assert email.status == OutboundEmail.Status.FAILED  # queued, never sent now
    assert IntakeRecord.objects.get(ticket=world_a.tickets[0]).sender == alice.email
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username__icontains="alice").exists()


def carols_rows(carol) -> dict:
    lookups = [(Ticket, {"requester": carol}), (Message, {"ticket__requester": carol}),
               (Attachment, {"message__ticket__requester": carol}), (ServiceRequest, {"requester": carol}),
               (ServiceLog, {"service_request__requester": carol}), (Purchase, {"customer": carol}),
               (SurveyResponse, {"invitation__recipient": carol}), (Answer, {"response__invitation__recipient": carol}),
               (Feedback, {"author": carol}), (CareTask, {"customer": carol}), (OutboundEmail, {"to": carol.email}),
               (IntakeRecord, {"sender": carol.email})]
    return {model._meta.label: list(model.objects.filter(**lookup).order_by("pk").values())
            for model, lookup in lookups}


def test_forget_leaves_other_customers_untouched(world_a, world_b, admin_user, settings,
                                                 django_capture_on_commit_callbacks):
    carol = world_b.customer
    before = carols_rows(carol)

    forget(world_a.customer, admin_user, django_capture_on_commit_callbacks)

    assert carols_rows(carol) == before
    carol.refresh_from_db()
    assert (carol.email, carol.name, carol.is_active) == ("carol@globex.example", "Carol B", True)
    assert all((Path(settings.MEDIA_ROOT) / name).exists() for name in world_b.file_names)


def test_report_numbers_stay_the_same(world_a, world_b, admin_user, django_capture_on_commit_callbacks):
    before = report_numbers()
    assert before["csat"]["ratings"] == 2 and before["nps"]["ratings"] == 2

    forget(world_a.customer, admin_user, django_capture_on_commit_callbacks)

    assert report_numbers() == before


def test_uploaded_files_are_deleted_from_storage_after_commit(world_a, world_b, admin_user, settings,
                                                              django_capture_on_commit_callbacks):
    media = Path(settings.MEDIA_ROOT)
    assert len(world_a.file_names) == 7  # 4 ticket files (one on a note), a proof, a service file, a screenshot
    assert all((media / name).exists() for name in world_a.file_names)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        customer_forget(user=world_a.customer, by=admin_user)
    assert all((media / name).exists() for name in world_a.file_names)  # not before the commit
    for callback in callbacks:
        callback()

    assert not any((media / name).exists() for name in world_a.file_names)
    assert all((media / name).exists() for name in world_b.file_names)


def test_forget_is_logged_without_personal_data(world_a, admin_user, django_capture_on_commit_callbacks):
    summary = forget(world_a.customer, admin_user, django_capture_on_commit_callbacks)

    (log,) = PrivacyRequest.objects.all()
    assert log.action == PrivacyRequest.Action.FORGET
    assert log.subject_ref == f"user #{world_a.customer.pk}"
    assert log.performed_by == admin_user
    assert log.summary == summary
    assert summary["tickets"] == 2
    assert summary["messages"] == 6  # both threads, the internal note included
    assert summary["attachments"] == 4
    assert summary["survey_responses"] == 2
    assert summary["profile"] == 1
    assert "alice" not in str(log.summary).lower() and "alice" not in str(log).lower()


def test_a_second_forget_is_refused(world_a, admin_user, django_capture_on_commit_callbacks):
    forget(world_a.customer, admin_user, django_capture_on_commit_callbacks)

    with pytest.raises(PrivacyError, match="already been forgotten"):
        customer_forget(user=world_a.customer, by=admin_user)
    assert PrivacyRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["agent", "manager", "admin_user"])
def test_staff_accounts_are_not_forgotten(request, persona, admin_user):
    staff = request.getfixturevalue(persona)
    email, name = staff.email, staff.name

    with pytest.raises(PrivacyError, match="staff account"):
        customer_forget(user=staff, by=admin_user)

    staff.refresh_from_db()
    assert (staff.email, staff.name, staff.is_active) == (email, name, True)
    assert not PrivacyRequest.objects.exists()


def test_a_failing_app_leaves_everything_as_it_was(world_a, admin_user, settings,
                                                   django_capture_on_commit_callbacks):
    def broken(sender, user, **kwargs):
        raise RuntimeError("disk full")

    privacy_forget.connect(broken, dispatch_uid="test.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            customer_forget(user=world_a.customer, by=admin_user)
    finally:
        privacy_forget.disconnect(dispatch_uid="test.broken")

    alice = User.objects.get(pk=world_a.customer.pk)
    assert (alice.email, alice.name, alice.is_active) == ("alice@acme.example", "Alice A", True)
    assert Message.objects.filter(body__contains="ALICE-SECRET").exists()
    assert all((Path(settings.MEDIA_ROOT) / name).exists() for name in world_a.file_names)
    assert not PrivacyRequest.objects.exists()


def test_a_ticket_with_a_seven_digit_number_keeps_its_whole_reference(customer_b, queue_x, admin_user):
    from tests.tickets.factories import TicketFactory

    ticket = TicketFactory(id=1234567, requester=customer_b, queue=queue_x, subject="Carol's printer")
    customer_forget(user=customer_b, by=admin_user)
    ticket.refresh_from_db()
    assert ticket.subject == "Ticket HD-1234567" == f"Ticket {ticket.reference}"


def test_report_snapshots_are_identical_after_a_forget(world_a, world_b, admin_user, settings):
    """The nightly report numbers computed before and after forgetting a customer are the same rows."""
    from datetime import timedelta

    from django.utils import timezone

    from reports import models as snapshots
    from reports.recompute import recompute_range

    settings.TIME_ZONE = "UTC"
    today = timezone.now().date()
    tables = [snapshots.SupportDaily, snapshots.AgentDaily, snapshots.ChannelDaily, snapshots.SatisfactionDaily,
              snapshots.AfterSalesDaily, snapshots.KnowledgeDaily, snapshots.ArticleDaily, snapshots.FeedbackDaily,
              snapshots.ImprovementDaily, snapshots.ChurnMonthly]

    def rows():
        recompute_range(today - timedelta(days=40), today)
        return {table.__name__: sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
                                       for row in table.objects.values()) for table in tables}

    before = rows()
    assert before["SupportDaily"] and before["SatisfactionDaily"]  # there is something to compare
    customer_forget(user=world_a.customer, by=admin_user)
    assert rows() == before
