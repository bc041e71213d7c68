"""Service files and proofs of purchase, served only through these permission-checked views, always as a download."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from aftersales import selectors
from tickets.attachments import private_file_response


@require_safe
@login_required
def service_file(request, pk):
    stored = selectors.service_file_for_user(request.user, pk)
    return private_file_response(stored.file, name=stored.original_name, content_type=stored.content_type)


@require_safe
@login_required
def proof_of_purchase(request, pk):
    purchase = selectors.purchase_for_user(request.user, pk)
    return private_file_response(purchase.proof, name=purchase.proof_name or "proof",
                                 content_type=purchase.proof_content_type)
