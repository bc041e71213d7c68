"""References are formatted and read by one helper, for tickets and service requests alike."""

import pytest

from aftersales.models import ServiceRequest
from helpdesk.references import Reference
from tickets.models import Ticket


@pytest.mark.parametrize(("text", "number"), [
    ("HD-000123", 123), ("hd-123", 123), (" 123 ", 123), ("HD-999999999", 999999999),
    ("HD-9999999999", None), ("HD-12a", None), ("HD-", None), ("", None), ("AS-000123", None), ("١٢٣", None),
])
def test_parse(text, number):
    assert Reference("HD-").parse(text) == number
    assert Ticket.pk_from_reference(text) == number


def test_both_kinds_format_alike():
    assert Reference("HD-").format(7) == "HD-000007" and Reference("HD-").format(1234567) == "HD-1234567"
    assert ServiceRequest.pk_from_reference("AS-000042") == 42 and ServiceRequest.pk_from_reference("HD-1") is None


@pytest.mark.django_db
def test_a_huge_number_in_the_address_is_not_found_rather_than_an_error(client, agent, customer_a):
    client.force_login(agent)
    assert client.get("/desk/tickets/HD-99999999999999999999/").status_code == 404
    client.force_login(customer_a)
    assert client.get("/portal/tickets/HD-99999999999999999999/").status_code == 404
