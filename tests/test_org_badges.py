"""The organisation badges, written once and used by every page that names an organisation."""

from datetime import date

import pytest
from django.template import Context, Template

from helpdesk.accounts.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load organizations %}" + source).render(Context(context)).strip()


def test_vip_tier_and_churn():
    vip = OrganizationFactory(tier=Organization.Tier.VIP)
    churned = OrganizationFactory(tier=Organization.Tier.STANDARD, status=Organization.Status.CHURNED,
                                  churned_at=date(2026, 11, 2))

    assert "VIP" in render("{% org_badges org %}", org=vip)
    assert render("{% org_badges org %}", org=None) == ""
    assert "Churned" in render("{% org_badges org %}", org=churned)
    assert "Churned" not in render("{% org_badges org show_churn=False %}", org=churned)  # customers' pages
    assert churned.get_tier_display() in render("{% org_badges org show_tier=True %}", org=churned)
    assert churned.get_tier_display() not in render("{% org_badges org %}", org=churned)
