"""The desk's ticket page: thread, replies and notes, properties, merge, conflicts, canned responses, new tickets."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import AgentFactory
from tests.tickets.factories import QueueFactory
from tickets import services
from tickets.models import CannedResponse, Message, Ticket, TicketEvent

Status = Ticket.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def desk(client, agent, queue_x):
    client.force_login(agent)
    return client


@pytest.fixture
def ticket(queue_x, customer_a):
    return services.ticket_create(requester=customer_a, subject="VPN drops", description="Every hour, on the hour.",
                                  queue=queue_x, notify=False)


def url(name, ticket):
    return reverse(f"tickets:{name}", args=[ticket.reference])


def page_version(response, action=None) -> int:
    """The version a form of the page carries: the reply form's, or that of the form posting to ``action``."""
    body = response.content.decode()
    if action:
        body = body.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    match = re.search(r'name="version" value="(\d+)"', body)
    return int(match.group(1))


def reply(client, ticket, body="Try reconnecting.", version=None, **extra):
    data = {"body": body, "kind": "public", "action": "send",
            "version": ticket.version if version is None else version, **extra}
    return client.post(url("desk-reply", ticket), data)


def textarea_text(response, name="body") -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', response.content.decode(), re.S)
    return match.group(1)


# ---------------------------------------------------------------- who may open it


@pytest.mark.django_db
def test_agent_outside_the_queue_gets_404_everywhere(client, agent_y, queue_y, ticket):
    CannedResponse.objects.create(title="Hello", body="Hi {customer_name}")
    client.force_login(agent_y)
    assert client.get(url("desk-detail", ticket)).status_code == 404
    assert reply(client, ticket).status_code == 404
    assert client.post(url("desk-update", ticket), {"status": "open", "priority": "high", "queue": queue_y.pk,
                                                   "version": 1}).status_code == 404
    other = services.ticket_create(requester=ticket.requester, subject="Mine", description="x", queue=queue_y)
    assert client.post(url("desk-merge", ticket), {"target": other.reference, "version": 1}).status_code == 404
    canned = CannedResponse.objects.get()
    assert client.get(reverse("tickets:desk-canned", args=[canned.pk]) + f"?ticket={ticket.reference}"
                      ).status_code == 404
    ticket.refresh_from_db()
    assert ticket.version == 1 and ticket.messages.count() == 1 and ticket.merged_into is None


@pytest.mark.django_db
def test_unknown_reference_is_404(desk):
    assert desk.get(reverse("tickets:desk-detail", args=["HD-999999"])).status_code == 404
    assert desk.get(reverse("tickets:desk-detail", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_manager_opens_any_ticket(client, manager, ticket):
    client.force_login(manager)
    assert client.get(url("desk-detail", ticket)).status_code == 200


# ---------------------------------------------------------------- the page


@pytest.mark.django_db
def test_thread_shows_replies_notes_and_attachments(desk, agent, ticket):
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Public answer", notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Only for us", internal=True, notify=False,
                                files=[SimpleUploadedFile("trace.log", b"line 1\nline 2\n")])
    attachment = Message.objects.get(body="Only for us").attachments.get()

    response = desk.get(url("desk-detail", ticket))
    body = response.content.decode()
    assert response.status_code == 200
    note = body.split('class="msg msg-note"')[1].split("</li>")[0]
    assert "Internal note" in note and "Only for us" in note
    assert f'href="{reverse("tickets:attachment", args=[attachment.pk])}"' in note
    assert "trace.log" in note and "14" in note  # the size
    assert 'class="msg msg-agent"' in body and 'class="msg msg-customer"' in body
    assert "Every hour, on the hour." in body


@pytest.mark.django_db
def test_side_panel_shows_requester_other_tickets_sla_and_history(desk, ticket, customer_a, queue_x):
    other = services.ticket_create(requester=customer_a, subject="Printer jam", description="x", queue=queue_x)
    body = desk.get(url("desk-detail", ticket)).content.decode()
    side = body.split('class="ticket-side"')[1]
    for text in ("Alice A", "alice@acme.example", "Acme", "badge-vip", other.reference, "Printer jam",
                 "First response", "Resolution", "History", "Created"):
        assert text in side, text


@pytest.mark.django_db
def test_user_text_is_escaped_everywhere(desk, agent, queue_x, customer_a):
    evil = "<script>alert(1)</script>"
    ticket = services.ticket_create(requester=customer_a, subject=evil, description=evil, queue=queue_x,
                                    notify=False,
                                    files=[SimpleUploadedFile("<img src=x onerror=alert(1)>.txt", b"plain text")])
    body = desk.get(url("desk-detail", ticket)).content.decode()
    assert evil not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in body


# ---------------------------------------------------------------- replies and notes


@pytest.mark.django_db
def test_public_reply_is_saved_and_mailed(desk, ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(desk, ticket, body="Please update the client to 5.2.")
    assert response.status_code == 302 and response.url == url("desk-detail", ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.first_response_at is not None
    message = ticket.messages.last()
    assert message.body == "Please update the client to 5.2." and not message.is_internal and message.from_agent
    assert [email.to for email in mail.outbox] == [["alice@acme.example"]]
    assert "Please update the client to 5.2." in mail.outbox[0].body


@pytest.mark.django_db
def test_internal_note_is_not_mailed_to_the_customer(desk, ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(desk, ticket, body="Customer is on the old VPN build.", kind="note")
    assert response.status_code == 302
    note = ticket.messages.last()
    assert note.is_internal and note.body == "Customer is on the old VPN build."
    assert all("old VPN build" not in email.body for email in mail.outbox)
    assert all(email.to != ["alice@acme.example"] for email in mail.outbox)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # a note is no answer


@pytest.mark.django_db
def test_send_and_set_pending_pauses_the_clock(desk, ticket):
    reply(desk, ticket, action="pending")
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING and ticket.paused_since is not None
    body = desk.get(url("desk-detail", ticket)).content.decode()
    assert "SLA paused" in body and "The clock is paused while the ticket waits on the customer." in body


@pytest.mark.django_db
def test_resolve_needs_a_summary_and_saves_nothing_without_one(desk, ticket):
    response = reply(desk, ticket, body="Fixed it, I think.", action="resolve")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write a resolution summary to resolve the ticket." in body
    assert textarea_text(response) == "Fixed it, I think."
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.messages.count() == 1 and ticket.version == 1

    response = reply(desk, ticket, body="Fixed it.", action="resolve", resolution_summary="Gateway firmware updated.")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution_summary == "Gateway firmware updated."


@pytest.mark.django_db
def test_empty_reply_is_refused(desk, ticket):
    response = reply(desk, ticket, body="   ")
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_refused_attachment_keeps_the_text(desk, ticket):
    fake_pdf = SimpleUploadedFile("invoice.pdf", b"<html><script>alert(1)</script></html>")
    response = desk.post(url("desk-reply", ticket), {"body": "See attached.", "kind": "public", "action": "send",
                                                     "version": 1, "files": [fake_pdf]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "invoice.pdf" in body and "is not a file type we accept" in body
    error_at = body.index("is not a file type we accept")
    assert body.rfind('name="files"', 0, error_at) > body.rfind('name="body"', 0, error_at)  # next to the file field
    assert textarea_text(response) == "See attached."
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_reply_with_several_files(desk, ticket):
    files = [SimpleUploadedFile("a.txt", b"first"), SimpleUploadedFile("b.log", b"second")]
    desk.post(url("desk-reply", ticket), {"body": "Two logs.", "kind": "note", "version": 1, "files": files})
    names = sorted(ticket.messages.last().attachments.values_list("original_name", flat=True))
    assert names == ["a.txt", "b.log"]


# ---------------------------------------------------------------- someone else changed the ticket


@pytest.mark.django_db
def test_conflict_keeps_the_typed_reply_and_the_second_send_goes_through(desk, ticket, manager):
    loaded = desk.get(url("desk-detail", ticket))
    version = page_version(loaded)
    services.ticket_update(ticket=ticket, actor=manager, priority="urgent", expected_version=version)

    response = reply(desk, ticket, body="My carefully written answer", version=version)
    assert response.status_code == 409
    body = response.content.decode()
    assert "This ticket changed while you were editing" in body
    alert = body.split('id="conflict"')[1].split("</div>")[0]
    assert "Morgan Manager" in alert and "Priority" in alert and "Normal" in alert and "Urgent" in alert
    assert textarea_text(response) == "My carefully written answer"
    new_version = page_version(response)
    assert new_version == version + 1
    assert ticket.messages.count() == 1

    response = reply(desk, ticket, body=textarea_text(response), version=new_version)
    assert response.status_code == 302
    assert ticket.messages.last().body == "My carefully written answer"


@pytest.mark.django_db
def test_conflict_on_the_properties_form_keeps_the_choices(desk, ticket, manager, agent):
    version = page_version(desk.get(url("desk-detail", ticket)))
    services.ticket_agent_reply(ticket=ticket, agent=manager, body="I am on it", notify=False)
    data = {"status": "on_hold", "priority": "high", "queue": ticket.queue_id, "assignee": agent.pk,
            "tags": "vpn, firmware", "version": version}

    response = desk.post(url("desk-update", ticket), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "This ticket changed while you were editing" in body and "Public reply" in body
    assert 'value="vpn, firmware"' in body
    assert re.search(r'<option value="on_hold" selected>', body)
    ticket.refresh_from_db()
    assert ticket.priority == "normal" and ticket.assignee == manager  # the reply assigned it, not the form

    new_version = page_version(response, url("desk-update", ticket))
    assert new_version == version + 1 == page_version(response, url("desk-merge", ticket))
    response = desk.post(url("desk-update", ticket), {**data, "version": new_version})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == (Status.ON_HOLD, "high", agent)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["firmware", "vpn"]


# ---------------------------------------------------------------- properties


@pytest.mark.django_db
def test_assignee_must_work_in_the_target_queue(desk, ticket, agent_y, queue_y, agent):
    data = {"status": "new", "priority": "normal", "queue": ticket.queue_id, "assignee": agent_y.pk, "tags": "",
            "version": 1}
    response = desk.post(url("desk-update", ticket), data)
    assert response.status_code == 400
    assert "Pick an agent of the queue" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.version == 1

    # Handing it to the other queue and its agent is fine; the ticket then leaves this agent's desk.
    response = desk.post(url("desk-update", ticket), {**data, "queue": queue_y.pk})
    assert response.status_code == 302 and response.url == reverse("tickets:desk-list")
    ticket.refresh_from_db()
    assert ticket.queue == queue_y and ticket.assignee == agent_y


@pytest.mark.django_db
def test_assignee_choices_follow_the_queue_picked(desk, ticket, agent_y, queue_y, agent):
    response = desk.get(url("desk-detail", ticket) + f"?assignee_options=1&queue={queue_y.pk}",
                        HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Sam Agent" in body and "Alex Agent" not in body and "<html" not in body


@pytest.mark.django_db
def test_resolving_from_the_properties_needs_a_summary(desk, ticket):
    data = {"status": "resolved", "priority": "normal", "queue": ticket.queue_id, "assignee": "", "tags": "",
            "version": 1}
    response = desk.post(url("desk-update", ticket), data)
    assert response.status_code == 400
    assert "Write a resolution summary to resolve the ticket." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


@pytest.mark.django_db
def test_refused_status_move_is_explained(desk, ticket, agent):
    services.ticket_update(ticket=ticket, actor=agent, status="resolved", resolution_summary="Done")
    ticket.refresh_from_db()
    data = {"status": "pending", "priority": "normal", "queue": ticket.queue_id, "assignee": "", "tags": "",
            "version": ticket.version}
    response = desk.post(url("desk-update", ticket), data)
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode()


# ---------------------------------------------------------------- merge


@pytest.mark.django_db
def test_merge_moves_the_messages_and_closes_the_source(desk, ticket, customer_a, queue_x):
    target = services.ticket_create(requester=customer_a, subject="VPN again", description="Still dropping",
                                    queue=queue_x, notify=False)
    response = desk.post(url("desk-merge", ticket), {"target": target.reference, "version": ticket.version})
    assert response.status_code == 302 and response.url == url("desk-detail", target)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.merged_into == target
    assert not ticket.messages.exists()
    assert set(target.messages.values_list("body", flat=True)) >= {"Every hour, on the hour.", "Still dropping"}
    body = desk.get(url("desk-detail", ticket)).content.decode()
    assert "This ticket was merged into" in body and target.reference in body
    assert f'action="{url("desk-reply", ticket)}"' not in body  # replies go to the target now
    target_page = desk.get(url("desk-detail", target)).content.decode()
    assert "Merged into this ticket:" in target_page and ticket.reference in target_page


@pytest.mark.django_db
def test_merge_into_an_unseen_or_the_same_ticket_is_refused(desk, ticket, customer_a, queue_y):
    hidden = services.ticket_create(requester=customer_a, subject="Elsewhere", description="x", queue=queue_y,
                                    notify=False)
    response = desk.post(url("desk-merge", ticket), {"target": hidden.reference, "version": 1})
    assert response.status_code == 400
    assert f"There is no ticket {hidden.reference} in your queues." in response.content.decode()
    response = desk.post(url("desk-merge", ticket), {"target": ticket.reference, "version": 1})
    assert "A ticket cannot be merged into itself." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.merged_into is None and ticket.status == Status.NEW


@pytest.mark.django_db
def test_merge_with_a_stale_version_is_a_conflict(desk, ticket, customer_a, queue_x, manager):
    target = services.ticket_create(requester=customer_a, subject="Dup", description="x", queue=queue_x,
                                    notify=False)
    services.ticket_update(ticket=ticket, actor=manager, priority="high")
    response = desk.post(url("desk-merge", ticket), {"target": target.reference, "version": 1})
    assert response.status_code == 409
    assert "This ticket changed while you were editing" in response.content.decode()
    assert f'value="{target.reference}"' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.merged_into is None


# ---------------------------------------------------------------- canned responses


@pytest.mark.django_db
def test_canned_response_placeholders_are_filled(desk, ticket, queue_y):
    canned = CannedResponse.objects.create(
        title="Ack", body="Hello {customer_name}, about {reference} ({subject}): {agent_name} is on it.")
    canned_url = reverse("tickets:desk-canned", args=[canned.pk]) + f"?ticket={ticket.reference}"

    response = desk.get(canned_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == f"Hello Alice A, about {ticket.reference} (VPN drops): Alex Agent is on it."

    # With htmx: a new reply box with what was typed, then the canned text.
    response = desk.get(canned_url + "&body=Thanks+for+waiting.", HTTP_HX_REQUEST="true")
    text = textarea_text(response)
    assert text.startswith("Thanks for waiting.\n\nHello Alice A, about")
    assert 'id="id_body"' in response.content.decode()

    other_queue = CannedResponse.objects.create(title="Y only", body="x", queue=queue_y)
    assert desk.get(reverse("tickets:desk-canned", args=[other_queue.pk]) + f"?ticket={ticket.reference}"
                    ).status_code == 404
    assert desk.get(reverse("tickets:desk-canned", args=[canned.pk])).status_code == 404


@pytest.mark.django_db
def test_canned_responses_are_offered_on_the_page(desk, ticket):
    CannedResponse.objects.create(title="Reset steps", body="1. …")
    body = desk.get(url("desk-detail", ticket)).content.decode()
    assert "Insert canned response" in body and "Reset steps" in body and 'hx-target="#reply-body"' in body


# ---------------------------------------------------------------- opening a ticket for a customer


@pytest.mark.django_db
def test_open_a_ticket_on_behalf_of_a_customer(desk, agent, customer_b, queue_x):
    response = desk.post(reverse("tickets:desk-create"), {
        "customer_email": "CAROL@globex.example", "queue": queue_x.pk, "priority": "high",
        "subject": "Phone: cannot print", "description": "Called at 10:02; printer shows E42.",
        "files": [SimpleUploadedFile("photo.txt", b"E42 on display")],
    })
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == url("desk-detail", ticket)
    assert ticket.channel == Ticket.Channel.PHONE and ticket.created_by == agent and ticket.requester == customer_b
    assert ticket.priority == "high" and ticket.organization == customer_b.organization
    assert ticket.messages.get().attachments.get().original_name == "photo.txt"
    assert TicketEvent.objects.get(ticket=ticket, kind="created").actor == agent


@pytest.mark.django_db
def test_open_on_behalf_needs_an_existing_customer_and_my_queue(desk, agent, queue_x, queue_y):
    data = {"customer_email": "nobody@nowhere.example", "queue": queue_x.pk, "priority": "normal",
            "subject": "Hi", "description": "Text I typed"}
    response = desk.post(reverse("tickets:desk-create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "No customer has the address nobody@nowhere.example" in body
    assert textarea_text(response, "description") == "Text I typed"
    AgentFactory(email="agent3@example.com")
    response = desk.post(reverse("tickets:desk-create"), {**data, "customer_email": "agent3@example.com"})
    assert "No customer has the address" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_open_on_behalf_offers_only_my_queues(desk, customer_b, queue_x, queue_y):
    response = desk.get(reverse("tickets:desk-create") + "?customer=carol@globex.example")
    assert list(response.context["form"].fields["queue"].queryset) == [queue_x]
    assert 'value="carol@globex.example"' in response.content.decode()
    response = desk.post(reverse("tickets:desk-create"), {
        "customer_email": customer_b.email, "queue": queue_y.pk, "priority": "normal", "subject": "x",
        "description": "y"})
    assert response.status_code == 400 and not Ticket.objects.exists()


# ---------------------------------------------------------------- queries


@pytest.mark.django_db
def test_the_same_number_of_queries_for_5_and_50_messages(desk, agent, ticket, customer_a, manager,
                                                          django_assert_num_queries, django_assert_max_num_queries):
    QueueFactory(name="Other")
    CannedResponse.objects.create(title="Ack", body="Hi")

    def add(count):
        for index in range(count):
            if index % 3 == 0:
                services.ticket_customer_reply(ticket=ticket, customer=customer_a, body=f"Customer {index}",
                                               notify=False)
            else:
                services.ticket_agent_reply(ticket=ticket, agent=agent if index % 2 else manager,
                                            body=f"Agent {index}", internal=index % 4 == 0, notify=False,
                                            files=[SimpleUploadedFile(f"f{index}.txt", b"data")])

    add(4)  # with the opening message: 5
    desk.get(url("desk-detail", ticket))
    with django_assert_max_num_queries(100) as five:
        response = desk.get(url("desk-detail", ticket))
    assert len(response.context["thread"]) == 5
    expected = len(five.captured_queries)
    add(45)
    desk.get(url("desk-detail", ticket))  # a long thread's summary is made (written) on its first view
    with django_assert_num_queries(expected):
        response = desk.get(url("desk-detail", ticket))
    assert len(response.context["thread"]) == 50
