"""Data protection: what this app exports about a customer and how it forgets them.

Export: the tickets the customer requested with their public thread and the files on it. Never
internal notes, and never another person's ticket, even one a primary contact may read in the portal.
Forget: the text of those tickets and of every message on them (notes too: they are about the person)
is replaced, their files deleted, and the inbound and outbound e-mail records stripped. Statuses,
dates, priorities, queues, SLA fields and the rows themselves stay, so the reports count the same.
"""

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, LPad
from django.dispatch import receiver

from helpdesk.accounts.privacy import (
    REMOVED,
    files_delete_on_commit,
    forgotten_email,
    outbound_anonymise,
    outbound_related_to,
    removed_unless_blank,
)
from helpdesk.accounts.signals import privacy_export, privacy_forget
from tickets.models import TICKET_REFERENCE, Attachment, IntakeRecord, Message, Ticket


def _author(row, user) -> dict:
    """Who wrote a message, as the customer may see it: themselves, an agent (by name), or someone else."""
    if row["author_id"] == user.pk:
        return {"author": "you"}
    if row["from_agent"]:
        return {"author": "agent", "author_name": row["author__name"]}
    return {"author": "other"}


@receiver(privacy_export, dispatch_uid="tickets.privacy.export")
def export_tickets(sender, user, **kwargs):
    tickets = list(
        Ticket.objects.filter(requester=user).order_by("created_at", "pk").values(
            "pk", "subject", "description", "status", "priority", "channel", "queue__name", "organization__name",
            "product", "created_at", "first_response_at", "resolved_at", "closed_at", "resolution_summary"))
    messages = (Message.objects.filter(ticket__requester=user, is_internal=False).order_by("created_at", "pk")
                .values("pk", "ticket_id", "author_id", "author__name", "from_agent", "body", "channel", "created_at"))
    attachments = (Attachment.objects.filter(message__ticket__requester=user, message__is_internal=False)
                   .order_by("pk").values("pk", "message_id", "message__ticket_id", "original_name", "size",
                                          "content_type", "created_at", "file"))

    files, attachments_by_message = [], {}
    for row in attachments:
        reference = TICKET_REFERENCE.format(row["message__ticket_id"])
        path = f"tickets/{reference}/{row['pk']}-{row['original_name']}"
        files.append((path, row["file"]))
        attachments_by_message.setdefault(row["message_id"], []).append(
            {"file_name": row["original_name"], "size": row["size"], "content_type": row["content_type"],
             "uploaded_at": row["created_at"], "path": f"files/{path}"})
    messages_by_ticket = {}
    for row in messages:
        messages_by_ticket.setdefault(row["ticket_id"], []).append({
            **_author(row, user), "body": row["body"], "channel": row["channel"], "created_at": row["created_at"],
            "attachments": attachments_by_message.get(row["pk"], []),
        })
    exported = []
    for ticket in tickets:
        pk = ticket.pop("pk")
        ticket["queue"] = ticket.pop("queue__name")
        ticket["organization"] = ticket.pop("organization__name")
        exported.append({"reference": TICKET_REFERENCE.format(pk), **ticket,
                         "messages": messages_by_ticket.get(pk, [])})
    return {"tickets": exported, "files": files}


@receiver(privacy_forget, dispatch_uid="tickets.privacy.forget")
def forget_tickets(sender, user, **kwargs):
    ticket_ids = list(Ticket.objects.filter(requester=user).values_list("pk", flat=True))
    tickets = Ticket.objects.filter(pk__in=ticket_ids)
    # "Ticket HD-000123": a neutral subject that still tells an agent which ticket it is.
    # LPAD cuts a longer string, so numbers of seven digits and more are taken as they are (like ``reference``).
    number = Case(When(pk__gte=10**6, then=Cast("pk", CharField())),
                  default=LPad(Cast("pk", CharField()), 6, Value("0")), output_field=CharField())
    subject = Concat(Value(f"Ticket {TICKET_REFERENCE.prefix}"), number, output_field=CharField())
    changed_tickets = tickets.update(subject=subject, description=REMOVED,
                                     resolution_summary=removed_unless_blank("resolution_summary"),
                                     version=F("version") + 1)
    # Every message on their tickets, and what they wrote on anyone else's (a colleague's, as primary contact).
    messages = Message.objects.filter(Q(ticket_id__in=ticket_ids) | Q(author=user))
    changed_messages = messages.update(body=REMOVED)

    attachments = Attachment.objects.filter(Q(message__ticket_id__in=ticket_ids) | Q(message__author=user))
    names = list(attachments.values_list("file", flat=True))
    deleted_attachments, _per_model = attachments.delete()
    files_delete_on_commit(names)

    placeholder = forgotten_email(user)
    # Kept originals (a suspended or failed message) hold what they wrote: they go too.
    inbound = IntakeRecord.objects.filter(sender__iexact=user.email).update(sender=placeholder, subject=REMOVED,
                                                                              raw=b"")
    inbound += (IntakeRecord.objects.filter(ticket_id__in=ticket_ids).exclude(sender=placeholder)
                .update(subject=REMOVED, raw=b""))
    # Notifications about their tickets (to agents, too) quote the subject and the messages.
    emails = outbound_anonymise(outbound_related_to(Ticket, ticket_ids))
    return {"tickets": changed_tickets, "messages": changed_messages, "attachments": deleted_attachments,
            "inbound_emails": inbound, "ticket_emails": emails}
