"""``seed_demo`` on a database that already has data: it adds nothing where the desk is in use."""

import io

import pytest
from django.core.management import call_command

from helpdesk.accounts.models import User
from tests.tickets.factories import TicketFactory
from tickets.models import CannedResponse, Ticket


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone(customer_a, capsys):
    call_command("seed_demo", "--if-empty")
    assert not User.objects.filter(email="admin@example.com").exists()
    assert "already has users" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_leaves_a_database_with_tickets_alone():
    TicketFactory()
    call_command("seed_demo", stdout=io.StringIO())
    assert Ticket.objects.count() == 1
    assert not CannedResponse.objects.exists()
