"""Which ticket a message answers: by the ids of the earlier messages it names, else by a ticket reference."""

from django.contrib.contenttypes.models import ContentType

from helpdesk.mail.models import OutboundEmail
from tickets.models import Message, Ticket

MAX_THREAD_IDS = 50  # the newest ids are enough to find the thread


def find_ticket(message) -> Ticket | None:
    ids = list(dict.fromkeys(message.thread_ids))[:MAX_THREAD_IDS]
    if ids:
        found: dict[str, str] = dict(
            OutboundEmail.objects.filter(message_id__in=ids, related_type=ContentType.objects.get_for_model(Ticket))
            .values_list("message_id", "related_id")
        )
        for message_id, ticket_id in Message.objects.filter(email_message_id__in=ids).values_list(
                "email_message_id", "ticket_id"):
            found.setdefault(message_id, str(ticket_id))
        for message_id in ids:  # the closest ancestor wins
            related = found.get(message_id, "")
            if related.isdigit():
                ticket = _ticket(int(related))
                if ticket is not None:
                    return ticket
    for reference in message.references:
        pk = Ticket.pk_from_reference(reference)
        if pk is not None and (ticket := _ticket(pk)) is not None:
            return ticket
    return None


def _ticket(pk: int) -> Ticket | None:
    return Ticket.objects.select_related("requester", "queue").filter(pk=pk).first()
