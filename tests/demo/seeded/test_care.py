"""The customer-care story of ``seed_demo``: check-ins over the last 90 days and three organisations churned this
half-year."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from care.models import CareTask, ChurnReason
from care.services import check_ins_create_due
from helpdesk.accounts.models import Organization


def test_the_demo_tells_the_care_story_and_can_run_again():
    today = timezone.localdate()
    check_ins = CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN)
    managed = Organization.objects.filter(status="active", account_manager__isnull=False)
    done = check_ins.filter(status=CareTask.Status.DONE, organization__in=managed)
    assert done.count() >= 6
    assert all(task.channel and task.outcome and task.notes and task.done_at for task in done)
    assert done.filter(due_on__gte=today - timedelta(days=90)).count() == done.count()
    open_ones = check_ins.filter(status=CareTask.Status.OPEN)
    assert set(open_ones.values_list("organization", flat=True)) == set(managed.values_list("pk", flat=True))
    assert open_ones.filter(due_on__lt=today).count() >= 2 and open_ones.filter(due_on__gt=today).exists()
    assert all(task.assignee_id == task.organization.account_manager_id for task in check_ins)

    churned = Organization.objects.filter(status="churned")
    assert churned.count() == 3
    reasons = set(ChurnReason.objects.values_list("name", flat=True))
    for organization in churned:
        assert organization.churn_reason in reasons
        assert today - timedelta(days=183) <= organization.churned_at <= today
        assert organization.customer_since <= today - timedelta(days=365)
        assert 1 <= organization.members.count() <= 2
        assert all(person.check_password("demo1234") for person in organization.members.all())
        assert list(organization.status_changes.values_list("to_status", flat=True)) == ["active", "churned"]

    assert check_ins_create_due() == 0, "every managed organisation has its next check-in already"
    counts = (check_ins.count(), Organization.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (check_ins.count(), Organization.objects.count()) == counts
