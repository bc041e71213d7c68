"""Two recomputes at once (a "recompute now" still running when the nightly run starts) leave exactly one row per
key: each month is written under an advisory lock, and every snapshot table has a unique constraint on its key."""

import threading
import time
from datetime import date

import pytest
from django.db import IntegrityError, connection, connections, transaction

from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    ChurnMonthly,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)
from reports.recompute import lock_month, recompute_range
from tests.reports.test_recompute_idempotent import FIRST, LAST, activity, snapshot_rows  # noqa: F401 (fixture)

KEYS = {
    SupportDaily: ["day", "queue", "priority"], AgentDaily: ["day", "agent"], ChannelDaily: ["day", "channel"],
    SatisfactionDaily: ["day", "kind", "product"], AfterSalesDaily: ["day", "product", "technician"],
    ChurnMonthly: ["month"], KnowledgeDaily: ["day"], ArticleDaily: ["day", "article"],
    SearchGapDaily: ["day", "query"], FeedbackDaily: ["day", "kind", "area"], ImprovementDaily: ["day", "area"],
}


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite lets one writer in at a time")


def keys_with_more_than_one_row() -> dict:
    found = {}
    for model, key in KEYS.items():
        rows = [tuple(row) for row in model.objects.values_list(*key)]
        doubled = {row for row in rows if rows.count(row) > 1}
        if doubled:
            found[model.__name__] = doubled
    return found


def in_threads(*targets):
    errors = []

    def run(target):
        try:
            target()
        except Exception as error:  # pragma: no cover — shown in the assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    return threads, errors


@pytest.mark.django_db(transaction=True)
def test_two_recomputes_at_once_leave_one_row_per_key(activity):  # noqa: F811
    needs_postgresql()
    recompute_range(FIRST, LAST)
    alone = snapshot_rows()
    barrier = threading.Barrier(2)

    def recompute():
        barrier.wait()
        recompute_range(FIRST, LAST)

    threads, errors = in_threads(recompute, recompute)
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert keys_with_more_than_one_row() == {}
    assert snapshot_rows() == alone  # the same numbers as one run on its own


@pytest.mark.django_db(transaction=True)
def test_a_run_waits_for_the_month_another_run_is_writing(activity):  # noqa: F811
    needs_postgresql()
    march = date(2026, 3, 1)
    holding, release, finished = threading.Event(), threading.Event(), threading.Event()

    def hold_march():
        with transaction.atomic():
            lock_month(march)
            holding.set()
            release.wait(timeout=60)

    def recompute_march():
        holding.wait(timeout=60)
        recompute_range(march, LAST)
        finished.set()

    threads, errors = in_threads(hold_march, recompute_march)
    holding.wait(timeout=60)
    time.sleep(1.5)
    waited = not finished.is_set()
    release.set()
    for thread in threads:
        thread.join(timeout=120)

    assert waited, "the run wrote March while another run held it"
    assert finished.is_set() and not errors
    assert SupportDaily.objects.filter(day__gte=march).exists()


@pytest.mark.django_db(transaction=True)
def test_another_month_is_not_held_up():
    needs_postgresql()
    holding, release, finished = threading.Event(), threading.Event(), threading.Event()

    def hold_march():
        with transaction.atomic():
            lock_month(date(2026, 3, 1))
            holding.set()
            release.wait(timeout=60)

    def recompute_february():
        holding.wait(timeout=60)
        recompute_range(date(2026, 2, 1), date(2026, 2, 28))
        finished.set()

    threads, errors = in_threads(hold_march, recompute_february)
    done_while_held = finished.wait(timeout=60)
    release.set()
    for thread in threads:
        thread.join(timeout=120)
    assert done_while_held and not errors


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "values"), [
    (SatisfactionDaily, {"kind": "csat"}),  # no product: ticket surveys
    (SearchGapDaily, {"query": "refund"}),
    (FeedbackDaily, {"kind": "idea"}),  # no area
    (ImprovementDaily, {}),  # no area
])
def test_a_second_row_for_the_same_key_is_refused(model, values):
    model.objects.create(day=FIRST, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(day=FIRST, **values)
    model.objects.create(day=LAST, **values)  # another day is another key
    assert model.objects.count() == 2


@pytest.mark.django_db
def test_after_sales_rows_with_and_without_a_technician_are_different_keys(agent):
    from tests.aftersales.factories import ProductFactory

    product = ProductFactory()
    AfterSalesDaily.objects.create(day=FIRST, product=product, technician=None)
    AfterSalesDaily.objects.create(day=FIRST, product=product, technician=agent)
    for technician in (None, agent):
        with pytest.raises(IntegrityError), transaction.atomic():
            AfterSalesDaily.objects.create(day=FIRST, product=product, technician=technician)
