"""Check-ins: opened once per due date by the daily task, e-mailed to the account manager, logged by them."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from care import services, tasks
from care.models import CarePlan, CareTask
from care.services import CareError, check_in_log, check_ins_create_due
from helpdesk.accounts.models import Organization
from helpdesk.accounts.services import organization_set_status
from helpdesk.mail.models import OutboundEmail
from tests.factories import AgentFactory, OrganizationFactory

TODAY = timezone.localdate()


def check_ins(organization=None):
    found = CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN)
    return found.filter(organization=organization) if organization else found


def emails_to(user):
    return OutboundEmail.objects.filter(to=user.email)


@pytest.fixture
def managed(org_a, agent):
    """Acme (VIP, every 30 days), a customer for two years, managed by `agent`: a check-in is due today."""
    org_a.account_manager = agent
    org_a.customer_since = TODAY - timedelta(days=730)
    org_a.save()
    return org_a


def done_check_in(organization, *, done_days_ago, next_follow_up_on=None):
    return CareTask.objects.create(
        kind=CareTask.Kind.CHECK_IN, status=CareTask.Status.DONE, organization=organization,
        assignee=organization.account_manager, title="Earlier", due_on=TODAY - timedelta(days=done_days_ago),
        done_at=timezone.now() - timedelta(days=done_days_ago), outcome="Fine", channel="call",
        next_follow_up_on=next_follow_up_on)


# ---------------------------------------------------------------- the daily task


@pytest.mark.django_db
def test_the_task_opens_a_due_check_in_once_and_emails_the_account_manager_once(managed, agent):
    assert tasks.create_due_check_ins.delay().get() == 1
    assert tasks.create_due_check_ins.delay().get() == 0, "running it again opens nothing"
    assert check_ins_create_due() == 0

    task = check_ins(managed).get()
    assert (task.status, task.assignee, task.due_on) == (CareTask.Status.OPEN, agent, TODAY)
    assert task.title == "Check in with Acme"
    email = emails_to(agent).get()
    assert "Acme" in email.subject and f"/accounts/care/{task.pk}/" in email.body_text
    assert "VIP" in email.body_text


@pytest.mark.django_db
def test_the_command_does_the_same_work(managed, agent):
    out = StringIO()
    call_command("create_due_check_ins", stdout=out)
    call_command("create_due_check_ins", stdout=out)
    assert "Opened 1 check-in(s)." in out.getvalue() and "Opened 0 check-in(s)." in out.getvalue()
    assert check_ins().count() == 1 and emails_to(agent).count() == 1


@pytest.mark.django_db
def test_a_new_customer_is_due_one_cadence_after_joining(org_a, agent):
    org_a.account_manager = agent
    org_a.customer_since = TODAY - timedelta(days=10)  # VIP: every 30 days
    org_a.save()
    assert check_ins_create_due() == 0
    assert check_ins_create_due(today=TODAY + timedelta(days=19)) == 0
    assert check_ins_create_due(today=TODAY + timedelta(days=20)) == 1
    assert check_ins(org_a).get().due_on == TODAY + timedelta(days=20)


@pytest.mark.django_db
def test_the_cadence_is_the_tiers_care_plan(org_b, agent_y):
    org_b.account_manager = agent_y
    org_b.customer_since = TODAY - timedelta(days=60)  # standard: every 90 days
    org_b.save()
    assert check_ins_create_due(today=TODAY + timedelta(days=29)) == 0
    CarePlan.objects.filter(tier=Organization.Tier.STANDARD).update(check_in_every_days=45)
    assert check_ins_create_due() == 1
    assert check_ins(org_b).get().due_on == TODAY, "15 days late already: due today, not in the past"


@pytest.mark.django_db
def test_the_next_one_comes_a_cadence_after_the_last_one_was_done(managed):
    done_check_in(managed, done_days_ago=20)
    assert check_ins_create_due() == 0
    assert check_ins_create_due(today=TODAY + timedelta(days=10)) == 1
    assert check_ins(managed).get(status=CareTask.Status.OPEN).due_on == TODAY + timedelta(days=10)


@pytest.mark.django_db
def test_a_follow_up_date_asked_for_wins_over_the_cadence(managed):
    done_check_in(managed, done_days_ago=5, next_follow_up_on=TODAY - timedelta(days=1))
    assert check_ins_create_due() == 1
    assert check_ins(managed).get(status=CareTask.Status.OPEN).due_on == TODAY - timedelta(days=1)


@pytest.mark.django_db
def test_never_twice_on_the_date_of_an_earlier_check_in(managed):
    # Done early: the cadence would land on the due date the done one already has.
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, status=CareTask.Status.DONE, organization=managed,
                            assignee=managed.account_manager, title="Early", due_on=TODAY,
                            done_at=timezone.now() - timedelta(days=30), outcome="ok", channel="email")
    assert check_ins_create_due() == 0
    assert check_ins_create_due(today=TODAY + timedelta(days=1)) == 1
    assert check_ins(managed).get(status=CareTask.Status.OPEN).due_on == TODAY + timedelta(days=1)


@pytest.mark.django_db
def test_nothing_while_a_check_in_is_open(managed):
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=managed, assignee=managed.account_manager,
                            title="Still open", due_on=TODAY - timedelta(days=40))
    assert check_ins_create_due() == 0
    assert check_ins(managed).count() == 1


@pytest.mark.django_db
def test_no_check_in_without_an_account_manager_for_churned_or_for_a_paused_plan(managed, manager, agent):
    org_b = OrganizationFactory(name="No manager", customer_since=TODAY - timedelta(days=400))
    CarePlan.objects.filter(tier=Organization.Tier.VIP).update(is_active=False)
    assert check_ins_create_due() == 0
    CarePlan.objects.filter(tier=Organization.Tier.VIP).update(is_active=True)
    organization_set_status(organization=managed, status=Organization.Status.CHURNED, by=manager, reason="Price")
    assert check_ins_create_due() == 0
    agent.is_active = False
    agent.save()
    organization_set_status(organization=managed, status=Organization.Status.ACTIVE, by=manager)
    assert check_ins_create_due() == 0, "a departed account manager gets nothing"
    assert not check_ins().exists() and not check_ins(org_b).exists()


@pytest.mark.django_db
def test_the_email_goes_out_in_the_account_managers_language(managed, agent):
    agent.locale = "zh-hans"
    agent.save()
    check_ins_create_due()
    assert emails_to(agent).get().language == "zh-hans"


@pytest.mark.django_db
def test_a_fixed_number_of_queries_whatever_the_number_of_organisations(agent):
    def make(count):
        for n in range(count):
            OrganizationFactory(name=f"Org {count}-{n}", account_manager=agent, customer_since=TODAY)

    make(2)
    with CaptureQueriesContext(connection) as few:
        check_ins_create_due()
    make(20)
    with CaptureQueriesContext(connection) as many:
        check_ins_create_due()
    assert len(few) == len(many) == 2  # the care plans; the organisations with their last check-in


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_one_check_in_and_send_one_email(managed, agent):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(check_ins_create_due())
        except Exception as error:  # pragma: no cover — shown in the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(results) == [0, 1]
    assert check_ins(managed).count() == 1
    assert emails_to(agent).count() == 1


# ---------------------------------------------------------------- logging a check-in


@pytest.fixture
def due(managed):
    check_ins_create_due()
    return check_ins(managed).get()


@pytest.mark.django_db
def test_logging_records_channel_notes_and_outcome(due, agent):
    task, follow_up = check_in_log(task=due, by=agent, channel="meeting", notes="Met the CTO.",
                                   outcome="Renewing for two years.")
    task.refresh_from_db()
    assert (task.status, task.channel, task.notes, task.outcome) == (
        CareTask.Status.DONE, "meeting", "Met the CTO.", "Renewing for two years.")
    assert task.done_at and follow_up is None
    with pytest.raises(CareError, match="already logged"):
        check_in_log(task=due, by=agent, channel="call", outcome="Again")


@pytest.mark.django_db
def test_a_next_follow_up_date_opens_the_next_check_in(due, agent, managed):
    in_two_weeks = TODAY + timedelta(days=14)
    task, follow_up = check_in_log(task=due, by=agent, channel="call", outcome="Call back after their board meets",
                                   next_follow_up_on=in_two_weeks)
    assert task.next_follow_up_on == in_two_weeks
    assert (follow_up.status, follow_up.due_on, follow_up.assignee, follow_up.organization) == (
        CareTask.Status.OPEN, in_two_weeks, agent, managed)
    assert check_ins_create_due(today=in_two_weeks) == 0, "the follow-up is the next check-in"


@pytest.mark.parametrize("kwargs, message", [
    ({"channel": "", "outcome": "Fine"}, "call, e-mail or meeting"),
    ({"channel": "fax", "outcome": "Fine"}, "call, e-mail or meeting"),
    ({"channel": "call", "outcome": "  "}, "outcome"),
    ({"channel": "call", "outcome": "Fine", "next_follow_up_on": TODAY - timedelta(days=1)}, "after today"),
    ({"channel": "call", "outcome": "Fine", "next_follow_up_on": TODAY}, "after today"),
])
@pytest.mark.django_db
def test_bad_input_is_refused_and_nothing_is_saved(due, agent, kwargs, message):
    with pytest.raises(CareError, match=message):
        check_in_log(task=due, by=agent, **kwargs)
    due.refresh_from_db()
    assert due.status == CareTask.Status.OPEN and not due.outcome
    assert check_ins().count() == 1


@pytest.mark.django_db
def test_a_follow_up_task_is_not_logged_as_a_check_in(agent, customer_a):
    task, _created = services.care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call back", assignee=agent,
                                               customer=customer_a)
    with pytest.raises(CareError, match="Only a check-in"):
        check_in_log(task=task, by=agent, channel="call", outcome="x")


@pytest.mark.django_db
def test_the_daily_task_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["create-due-check-ins"]
    assert entry["task"] == tasks.create_due_check_ins.name


@pytest.mark.django_db
def test_another_account_manager_gets_their_own(managed, org_b, agent, agent_y):
    org_b.account_manager = agent_y
    org_b.customer_since = TODAY - timedelta(days=365)
    org_b.save()
    AgentFactory()  # an agent without organisations gets nothing
    assert check_ins_create_due() == 2
    assert emails_to(agent).count() == 1 and emails_to(agent_y).count() == 1
    assert check_ins(org_b).get().assignee == agent_y
