"""The organisation badges (VIP, churned, and the tier where a page names it), written once."""

from django import template

register = template.Library()


@register.inclusion_tag("_org_badges.html")
def org_badges(organization, show_tier=False, show_churn=True):
    """``{% org_badges ticket.organization %}``; nothing for a person without an organisation.

    Customers' own pages pass ``show_churn=False``: whether they count as churned is for staff only.
    """
    return {"org": organization, "show_tier": show_tier, "show_churn": show_churn}
