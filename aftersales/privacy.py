"""Data protection: what this app exports about a customer and how it forgets them.

Export: the customer's purchases (with the proof they uploaded) and the service requests they asked
for, with the public log and the files they can see. Forget: the text written by or about them is
replaced, the on-site address too, and every proof and service file deleted. Serial numbers identify
a device, not a person, and order references an order: both stay, as do products, dates, statuses,
eligibility and quotes' amounts, so warranty checks and the after-sales reports keep working.
"""

from django.db.models import F, Q
from django.dispatch import receiver

from aftersales.models import SERVICE_REFERENCE, Purchase, ServiceFile, ServiceLog, ServiceRequest
from helpdesk.accounts.privacy import (
    REMOVED,
    files_delete_on_commit,
    outbound_anonymise,
    outbound_related_to,
    removed_unless_blank,
)
from helpdesk.accounts.signals import privacy_export, privacy_forget


def _file_entry(row, path) -> dict:
    return {"file_name": row["original_name"], "size": row["size"], "content_type": row["content_type"],
            "uploaded_at": row["created_at"], "path": f"files/{path}"}


@receiver(privacy_export, dispatch_uid="aftersales.privacy.export")
def export_aftersales(sender, user, **kwargs):
    files = []
    purchases = list(
        Purchase.objects.filter(customer=user).order_by("purchase_date", "pk").values(
            "pk", "product__name", "product__sku", "serial_number", "purchase_date", "order_reference",
            "warranty_until", "created_at", "proof", "proof_name", "proof_size", "proof_content_type"))
    for purchase in purchases:
        pk, proof = purchase.pop("pk"), purchase.pop("proof")
        purchase["product"] = purchase.pop("product__name")
        purchase["sku"] = purchase.pop("product__sku")
        name, size, content_type = (purchase.pop("proof_name"), purchase.pop("proof_size"),
                                    purchase.pop("proof_content_type"))
        purchase["proof"] = None
        if proof:
            path = f"purchases/{pk}-{name or 'proof'}"
            files.append((path, proof))
            purchase["proof"] = {"file_name": name, "size": size, "content_type": content_type,
                                 "path": f"files/{path}"}

    requests = list(
        ServiceRequest.objects.filter(requester=user).order_by("created_at", "pk").values(
            "pk", "kind", "status", "description", "onsite_address", "request_date", "eligibility",
            "purchase__serial_number", "purchase__product__name", "quote_amount", "quote_currency", "quote_note",
            "quote_reason", "quote_sent_at", "quote_accepted_at", "quote_declined_at", "rejection_reason", "work_done",
            "parts_replaced", "replacement_serial", "created_at", "decided_at", "service_started_at",
            "completed_at", "closed_at"))
    logs = (ServiceLog.objects.filter(service_request__requester=user, is_internal=False)
            .order_by("created_at", "pk").values("pk", "service_request_id", "text", "from_customer", "created_at"))
    # What the customer sees in the portal: the files sent with the request and those on public log entries.
    service_files = (ServiceFile.objects.filter(service_request__requester=user)
                     .filter(Q(log__isnull=True) | Q(log__is_internal=False)).order_by("pk")
                     .values("pk", "service_request_id", "log_id", "original_name", "size", "content_type",
                             "created_at", "file"))
    files_by_request, files_by_log = {}, {}
    for row in service_files:
        reference = SERVICE_REFERENCE.format(row["service_request_id"])
        path = f"service-requests/{reference}/{row['pk']}-{row['original_name']}"
        files.append((path, row["file"]))
        if row["log_id"]:
            files_by_log.setdefault(row["log_id"], []).append(_file_entry(row, path))
        else:
            files_by_request.setdefault(row["service_request_id"], []).append(_file_entry(row, path))
    logs_by_request = {}
    for row in logs:
        logs_by_request.setdefault(row["service_request_id"], []).append(
            {"text": row["text"], "from_customer": row["from_customer"], "created_at": row["created_at"],
             "files": files_by_log.get(row["pk"], [])})
    exported = []
    for request in requests:
        pk = request.pop("pk")
        request["serial_number"] = request.pop("purchase__serial_number")
        request["product"] = request.pop("purchase__product__name")
        exported.append({"reference": SERVICE_REFERENCE.format(pk), **request, "files": files_by_request.get(pk, []),
                         "log": logs_by_request.get(pk, [])})
    return {"purchases": purchases, "service_requests": exported, "files": files}


@receiver(privacy_forget, dispatch_uid="aftersales.privacy.forget")
def forget_aftersales(sender, user, **kwargs):
    purchases = Purchase.objects.filter(customer=user)
    proofs = list(purchases.exclude(proof="").values_list("proof", flat=True))
    changed_purchases = purchases.update(proof="", proof_name="", proof_size=0, proof_content_type="")

    request_ids = list(ServiceRequest.objects.filter(requester=user).values_list("pk", flat=True))
    changed_requests = ServiceRequest.objects.filter(pk__in=request_ids).update(
        description=REMOVED,
        # On-site requests must keep an address (a check constraint): the placeholder stands in.
        onsite_address=removed_unless_blank("onsite_address"),
        quote_note=removed_unless_blank("quote_note"),
        quote_reason=removed_unless_blank("quote_reason"),
        rejection_reason=removed_unless_blank("rejection_reason"),
        work_done=removed_unless_blank("work_done"),
        parts_replaced=removed_unless_blank("parts_replaced"),
        version=F("version") + 1,
    )
    # What they wrote on requests of others (a primary contact replying on a colleague's) goes too.
    their_logs = Q(service_request_id__in=request_ids) | Q(author=user, from_customer=True)
    changed_logs = ServiceLog.objects.filter(their_logs).update(text=REMOVED)
    service_files = ServiceFile.objects.filter(Q(service_request_id__in=request_ids)
                                               | Q(log__author=user, log__from_customer=True))
    names = list(service_files.values_list("file", flat=True))
    deleted_files, _per_model = service_files.delete()
    files_delete_on_commit(proofs + names)
    emails = outbound_anonymise(outbound_related_to(ServiceRequest, request_ids))
    return {"purchases": changed_purchases, "proofs": len(proofs), "service_requests": changed_requests,
            "service_logs": changed_logs, "service_files": deleted_files, "service_request_emails": emails}
