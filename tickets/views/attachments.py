"""Ticket files, served only through this permission-checked view, always as a download."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from tickets import selectors
from tickets.attachments import private_file_response


@require_safe
@login_required
def download(request, pk):
    attachment = selectors.attachment_for_user(request.user, pk)
    return private_file_response(attachment.file, name=attachment.original_name,
                                 content_type=attachment.content_type)
