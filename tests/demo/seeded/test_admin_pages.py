"""Every tickets admin page opens on the demo data, for the demo's admin."""

from helpdesk.accounts.models import User
from tests.tickets.test_admin import EDITABLE, READ_ONLY, admin_url
from tickets.models import Ticket


def test_every_page_opens_for_the_admin_with_demo_data(client):
    client.force_login(User.objects.get(email="admin@example.com"))

    for model in READ_ONLY + EDITABLE:
        changelist = client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model
        assert changelist.context["cl"].result_count > 0, f"the demo has no {model.__name__}"
        assert client.get(admin_url(model, "changelist"), {"q": "HD-000001"}).status_code == 200, model
        obj = model.objects.order_by("pk").first()
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        expected_add = 200 if model in EDITABLE else 403
        assert client.get(admin_url(model, "add")).status_code == expected_add, model

    # the busiest ticket's page, with its whole thread and audit trail
    ticket = Ticket.objects.order_by("-version").first()
    page = client.get(admin_url(Ticket, "change", ticket.pk)).content.decode()
    assert ticket.get_absolute_url() in page and "Open in the desk" in page
    assert 'name="_save"' not in page  # view only
