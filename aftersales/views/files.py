"""Service files and proofs of purchase, served only through these permission-checked views, always as a download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from aftersales import selectors


def _download(stored_file, name, content_type):
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=content_type or "application/octet-stream")
    # Whatever the bytes are, a browser must neither guess a type nor run them.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def service_file(request, pk):
    stored = selectors.service_file_for_user(request.user, pk)
    return _download(stored.file, stored.original_name, stored.content_type)


@require_safe
@login_required
def proof_of_purchase(request, pk):
    purchase = selectors.purchase_for_user(request.user, pk)
    if not purchase.proof:
        raise Http404
    return _download(purchase.proof, purchase.proof_name or "proof", purchase.proof_content_type)
