"""Data protection: the care tasks about a customer, in their export, and forgotten with them.

Forget replaces a task's title and the text written about the customer (description, outcome, notes) and
strips the e-mails written about those tasks; the rows, kinds, statuses and dates stay, so the care figures
do not change.
"""

from django.db.models import Q
from django.dispatch import receiver

from care.models import CareTask
from helpdesk.accounts.privacy import REMOVED, outbound_anonymise, outbound_related_to, removed_unless_blank
from helpdesk.accounts.signals import privacy_export, privacy_forget


@receiver(privacy_export, dispatch_uid="care.privacy.export")
def export_care_tasks(sender, user, **kwargs):
    return {"care_tasks": list(
        CareTask.objects.filter(customer=user).order_by("created_at", "pk").values(
            "kind", "status", "title", "description", "due_on", "channel", "outcome", "notes",
            "next_follow_up_on", "created_at", "done_at"))}


@receiver(privacy_forget, dispatch_uid="care.privacy.forget")
def forget_care_tasks(sender, user, **kwargs):
    tasks = CareTask.objects.filter(customer=user)
    task_ids = list(tasks.values_list("pk", flat=True))
    changed = tasks.update(
        title=REMOVED, description=removed_unless_blank("description"), outcome=removed_unless_blank("outcome"),
        notes=removed_unless_blank("notes"))
    # The e-mails sent to the customer themselves are the accounts part's (counted there, once).
    emails = outbound_related_to(CareTask, task_ids).exclude(Q(to__iexact=user.email))
    return {"care_tasks": changed, "emails": outbound_anonymise(emails)}
