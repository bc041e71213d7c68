"""Optional automatic churn after N days without any activity (AUTO_CHURN_AFTER_DAYS, 0 = off)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from care import health
from care.models import ChurnReason, HealthScore
from care.tasks import compute_health_scores
from helpdesk.accounts.models import Organization, OrganizationStatusChange
from helpdesk.accounts.services import organization_create
from tests.factories import CustomerFactory
from tests.tickets.factories import QueueFactory, TicketFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def queue(db):
    return QueueFactory(name="Support", slug="support")


@pytest.fixture
def organizations(queue):
    """Idle for 100 days; active 5 days ago; new with nothing yet; old with nothing ever; churned already."""
    today = timezone.localdate()
    idle = organization_create(name="Idle Corp", customer_since=today - timedelta(days=700))
    TicketFactory(requester=CustomerFactory(organization=idle), queue=queue, created_at=days_ago(100))
    busy = organization_create(name="Busy Corp", customer_since=today - timedelta(days=700))
    customer = CustomerFactory(organization=busy)
    old_ticket = TicketFactory(requester=customer, queue=queue, created_at=days_ago(300))
    old_ticket.messages.create(author=customer, body="Still there?", created_at=days_ago(5))
    new = organization_create(name="New Corp", customer_since=today - timedelta(days=10))
    silent = organization_create(name="Silent Corp", customer_since=today - timedelta(days=200))
    gone = organization_create(name="Gone Corp", customer_since=today - timedelta(days=900),
                               status=Organization.Status.CHURNED, churned_at=today - timedelta(days=300),
                               churn_reason="Price")
    return {"idle": idle, "busy": busy, "new": new, "silent": silent, "gone": gone}


def statuses():
    return dict(Organization.objects.values_list("name", "status"))


def test_off_by_default(settings, organizations):
    assert settings.AUTO_CHURN_AFTER_DAYS == 0
    assert health.auto_churn() == []
    assert set(statuses().values()) == {"active", "churned"}
    assert statuses()["Idle Corp"] == "active"


def test_on_it_churns_only_the_organisations_idle_longer_than_n_days(settings, organizations):
    settings.AUTO_CHURN_AFTER_DAYS = 60

    churned = health.auto_churn()

    assert sorted(organization.name for organization in churned) == ["Idle Corp", "Silent Corp"]
    assert statuses() == {"Idle Corp": "churned", "Silent Corp": "churned", "Busy Corp": "active",
                          "New Corp": "active", "Gone Corp": "churned"}
    idle = Organization.objects.get(name="Idle Corp")
    assert idle.churned_at == timezone.localdate()
    assert idle.churn_reason == health.NO_ACTIVITY_REASON
    assert ChurnReason.objects.filter(name=health.NO_ACTIVITY_REASON).exists()
    change = OrganizationStatusChange.objects.filter(organization=idle).order_by("recorded_at", "pk").last()
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "churned", None)
    assert change.note == "No activity for 60 days"
    # The organisation churned by hand long ago keeps its own date and reason.
    gone = Organization.objects.get(name="Gone Corp")
    assert (gone.churn_reason, gone.churned_at) == ("Price", timezone.localdate() - timedelta(days=300))


def test_recent_activity_of_any_kind_keeps_an_organisation(settings, organizations):
    settings.AUTO_CHURN_AFTER_DAYS = 4  # Busy Corp's customer wrote 5 days ago: idle for 5 days now
    assert "Busy Corp" in [organization.name for organization in health.auto_churn()]
    settings.AUTO_CHURN_AFTER_DAYS = 6
    Organization.objects.filter(name="Busy Corp").update(status="active", churned_at=None, churn_reason="")
    assert "Busy Corp" not in [organization.name for organization in health.auto_churn()]


def test_running_twice_churns_once(settings, organizations):
    settings.AUTO_CHURN_AFTER_DAYS = 60
    health.auto_churn()
    assert health.auto_churn() == []
    idle = organizations["idle"]
    assert OrganizationStatusChange.objects.filter(organization=idle, to_status="churned").count() == 1


def test_the_nightly_task_scores_and_churns(settings, organizations):
    settings.AUTO_CHURN_AFTER_DAYS = 60
    compute_health_scores.delay()
    assert statuses()["Idle Corp"] == "churned"
    assert HealthScore.objects.filter(organization__name="Busy Corp").exists()


def test_the_command_prints_the_bands_and_churns_only_when_asked(settings, organizations, capsys):
    settings.AUTO_CHURN_AFTER_DAYS = 60
    call_command("compute_health_scores")
    out = capsys.readouterr().out
    assert "Scored 5 organisations and 0 customers without one" in out
    assert statuses()["Idle Corp"] == "active"

    call_command("compute_health_scores", "--auto-churn")
    out = capsys.readouterr().out
    assert "Marked 2 idle organisations churned: Idle Corp, Silent Corp." in out
    assert statuses()["Idle Corp"] == "churned"
