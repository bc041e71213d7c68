"""The customers and organisations groups of the desk search.

A part of the e-mail address or the name is enough (``icontains``); on PostgreSQL the trigram GIN indexes of
migration accounts 0006_search_trigram answer it without reading the whole table.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts import selectors
from helpdesk.accounts.models import Organization
from helpdesk.desk import SearchGroup, register_search_group
from helpdesk.textsearch import highlight


def search_customers(request, terms):
    return (
        selectors.customers()
        .filter(Q(email__icontains=terms.text) | Q(name__icontains=terms.text))
        .select_related("organization")
        .order_by("name", "email", "pk")
    )


def describe_customers(request, customers, terms):
    return [
        {
            # The Customer 360 of the care pages (named by its route, not imported).
            "url": reverse("care:person-360", args=[customer.pk]),
            "title": highlight(customer.name or customer.email, terms),
            "snippet": highlight(customer.email, terms),
            "meta": [customer.organization.name] if customer.organization_id else [],
        }
        for customer in customers
    ]


def search_organizations(request, terms):
    return Organization.objects.filter(name__icontains=terms.text).order_by("name", "pk")


def describe_organizations(request, organizations, terms):
    return [
        {
            "url": reverse("care:organization-360", args=[organization.pk]),
            "title": highlight(organization.name, terms),
            "snippet": "",
            "meta": [organization.get_tier_display(), organization.get_status_display()],
        }
        for organization in organizations
    ]


register_search_group(SearchGroup(key="customers", title=_("Customers"), search=search_customers,
                                  describe=describe_customers, order=20))
register_search_group(SearchGroup(key="organizations", title=_("Organisations"), search=search_organizations,
                                  describe=describe_organizations, order=30))
