"""The recompute job is idempotent: twice gives identical rows, and a run killed half-way leaves every month of
days either as it was or as it is now, never empty."""

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from feedback.models import Survey, SurveyInvitation, SurveyResponse
from reports import recompute
from reports.models import ChannelDaily, ChurnMonthly
from reports.recompute import TABLES, recompute_range
from tests.aftersales.factories import ServiceRequestFactory
from tests.tickets.factories import TicketFactory
from tickets import services
from tickets.models import Ticket

UTC = ZoneInfo("UTC")
FIRST, LAST = date(2026, 2, 23), date(2026, 3, 6)  # two chunks: February and March
SNAPSHOTS = [model for model, _build in TABLES] + [ChurnMonthly]


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def snapshot_rows(days=None) -> dict:
    """Every snapshot table's rows without their ids, in a fixed order (optionally only some days)."""
    rows = {}
    for model in SNAPSHOTS:
        field = "month" if model is ChurnMonthly else "day"
        queryset = model.objects.all()
        if days is not None:
            queryset = queryset.filter(**{f"{field}__gte": days[0], f"{field}__lte": days[1]})
        values = [{k: v for k, v in row.items() if k != "id"} for row in queryset.values()]
        rows[model.__name__] = sorted(values, key=repr)
    return rows


def add_activity(customer, agent, queue, day, tickets=3):
    """Tickets played through the services on ``day`` (answered, some resolved), rated, and a service request."""
    survey, _created = Survey.objects.get_or_create(name="CSAT", kind=Survey.Kind.CSAT, scale=5)
    for number in range(tickets):
        ticket = services.ticket_create(requester=customer, subject=f"Problem {number}", description="…",
                                        queue=queue, now=at(day, 8 + number), notify=False)
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="Hi", now=at(day, 10 + number), notify=False)
        if number % 2 == 0:
            services.ticket_update(ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED,
                                   resolution_summary="Done", now=at(day, 14 + number), notify=False)
            invitation = SurveyInvitation.objects.create(
                survey=survey, recipient=customer, ticket=ticket, subject_key=f"ticket:{ticket.pk}",
                token=secrets.token_urlsafe(16), sent_at=at(day, 16), expires_at=at(day, 16) + timedelta(days=14))
            SurveyResponse.objects.create(invitation=invitation, score=1 + (ticket.pk % 5), submitted_at=at(day, 17))
    ServiceRequestFactory(purchase__customer=customer, created_at=at(day, 9))


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def activity(customer_a, agent, queue_x):
    for offset in range(0, (LAST - FIRST).days + 1, 2):
        add_activity(customer_a, agent, queue_x, FIRST + timedelta(days=offset))
    TicketFactory(requester=customer_a, queue=queue_x, created_at=at(FIRST - timedelta(days=10), 9))  # open backlog


def test_running_twice_gives_identical_rows(activity):
    recompute_range(FIRST, LAST)
    first = snapshot_rows()
    recompute_range(FIRST, LAST)

    assert snapshot_rows() == first
    assert all(first[name] for name in ("SupportDaily", "AgentDaily", "ChannelDaily", "SatisfactionDaily",
                                        "AfterSalesDaily", "ChurnMonthly"))


def by_month(rows: dict, first: date, last: date) -> dict:
    return {name: [row for row in table if first <= row["month" if name == "ChurnMonthly" else "day"] <= last]
            for name, table in rows.items()}


def test_a_run_killed_in_the_second_month_leaves_the_first_new_and_the_rest_as_it_was(activity, monkeypatch,
                                                                                      customer_a, agent, queue_x):
    recompute_range(FIRST, LAST)
    before = snapshot_rows()
    for day in (FIRST + timedelta(days=1), LAST - timedelta(days=1)):  # new numbers in both months
        add_activity(customer_a, agent, queue_x, day, tickets=2)
    builders = dict(TABLES)

    def channels_then_killed_in_march(chunk, state):
        if chunk.first.month == 3:  # after SupportDaily and AgentDaily of March were written in its transaction
            raise RuntimeError("worker killed")
        return builders[ChannelDaily](chunk, state)

    monkeypatch.setattr(recompute, "TABLES", [(model, channels_then_killed_in_march if model is ChannelDaily else build)
                                              for model, build in TABLES])
    with pytest.raises(RuntimeError):
        recompute_range(FIRST, LAST)
    after_kill = snapshot_rows()
    monkeypatch.undo()
    recompute_range(FIRST, LAST)
    fresh = snapshot_rows()

    february, march = (FIRST, date(2026, 2, 28)), (date(2026, 3, 1), LAST)
    assert by_month(after_kill, *february) == by_month(fresh, *february)
    assert by_month(after_kill, *march) == by_month(before, *march)
    # The comparisons mean something: the new activity changed both months, and March was not left empty.
    assert by_month(before, *february) != by_month(fresh, *february)
    assert by_month(before, *march) != by_month(fresh, *march)
    assert all(by_month(after_kill, *march)[name] for name in ("SupportDaily", "AgentDaily", "ChannelDaily"))


def test_a_killed_run_keeps_every_table_readable(activity, monkeypatch, customer_a, agent, queue_x):
    recompute_range(FIRST, LAST)
    before = snapshot_rows((date(2026, 3, 1), LAST))

    def fail(chunk, state):
        raise RuntimeError("database went away")

    monkeypatch.setattr(recompute, "TABLES", [*TABLES[:-1], (TABLES[-1][0], fail)])
    with pytest.raises(RuntimeError):
        recompute_range(date(2026, 3, 1), LAST)

    assert snapshot_rows((date(2026, 3, 1), LAST)) == before
