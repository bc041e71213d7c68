"""Churn figures for a period, from the organisations' lifecycle history (DESIGN §4: churned / active at start)."""

from datetime import date

import pytest

from helpdesk.accounts.models import Organization, OrganizationStatusChange
from helpdesk.accounts.selectors import churn_figures
from reports.metrics import churn_rate

ACTIVE, CHURNED = Organization.Status.ACTIVE, Organization.Status.CHURNED
JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


def organisations(count, prefix):
    return Organization.objects.bulk_create(
        [Organization(name=f"{prefix} {n}", email_domain=f"{prefix.lower()}{n}.example",
                      customer_since=date(2025, 6, 1)) for n in range(count)]
    )


def history(organization, *moves):
    """(from, to, effective_on) moves, recorded in order."""
    return [OrganizationStatusChange(organization=organization, from_status=old, to_status=new, effective_on=day)
            for old, new, day in moves]


@pytest.mark.django_db
def test_fifty_of_a_thousand_is_five_per_cent():
    changes = []
    for index, organization in enumerate(organisations(1000, "Customer")):
        changes += history(organization, ("", ACTIVE, date(2025, 6, 1)))
        if index < 50:
            changes += history(organization, (ACTIVE, CHURNED, date(2026, 1, 10 + index % 20)))
    OrganizationStatusChange.objects.bulk_create(changes)

    figures = churn_figures(*JANUARY)

    assert figures == {"active_at_start": 1000, "new": 0, "churned": 50, "reactivated": 0}
    assert churn_rate(figures["churned"], figures["active_at_start"]) == 5.0


@pytest.mark.django_db
def test_each_organisation_counts_by_its_history_around_the_period():
    (gone_before, came_back, new_in_january, churn_and_return, left_in_february,
     joins_later) = organisations(6, "Story")
    OrganizationStatusChange.objects.bulk_create([
        *history(gone_before, ("", ACTIVE, date(2025, 1, 1)), (ACTIVE, CHURNED, date(2025, 12, 1))),
        *history(came_back, ("", ACTIVE, date(2025, 1, 1)), (ACTIVE, CHURNED, date(2025, 11, 1)),
                 (CHURNED, ACTIVE, date(2026, 1, 5))),
        *history(new_in_january, ("", ACTIVE, date(2026, 1, 31))),
        *history(churn_and_return, ("", ACTIVE, date(2025, 1, 1)), (ACTIVE, CHURNED, date(2026, 1, 2)),
                 (CHURNED, ACTIVE, date(2026, 1, 20))),
        *history(left_in_february, ("", ACTIVE, date(2025, 1, 1)), (ACTIVE, CHURNED, date(2026, 2, 1))),
        *history(joins_later, ("", ACTIVE, date(2026, 2, 1))),
    ])

    figures = churn_figures(*JANUARY)

    # Active on 1 January: churn_and_return and left_in_february (gone_before and came_back had churned).
    assert figures == {"active_at_start": 2, "new": 1, "churned": 1, "reactivated": 2}
    assert churn_rate(figures["churned"], figures["active_at_start"]) == 50.0


@pytest.mark.django_db
def test_nobody_active_at_the_start_has_no_rate(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        figures = churn_figures(*JANUARY)
    assert figures["active_at_start"] == 0
    assert churn_rate(figures["churned"], figures["active_at_start"]) is None
