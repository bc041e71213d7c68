"""Limits on what a request may send, enforced while it arrives rather than after.

- ``UploadLimitMiddleware`` answers 413 before anything reads the body when its declared length is over
  ``UPLOAD_MAX_REQUEST_BYTES`` (a 50 MB upload is refused having read none of it); non-file fields are
  capped apart by ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
- ``UploadLimitHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts the bytes as they are parsed. Past the
  request limit it stops the upload. A file over ``ATTACHMENT_MAX_BYTES`` is no longer stored from the byte
  that crosses it: the form receives an ``OversizeUpload`` in its place, with the real size and no content,
  and says which file is too large while keeping everything typed (``helpdesk.forms.InputLimitsMixin``).
  Admin pages, whose forms are Django's, answer such a request with the 413 page instead.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

REFUSED_ATTRIBUTE = "refused_uploads"


class OversizeUpload(UploadedFile):
    """Stands in for a file that was too large to keep: its name and real size, and nothing to read."""

    def __init__(self, *, name, size, content_type="", charset=None):
        super().__init__(file=None, name=name, content_type=content_type, size=size, charset=charset)

    def _no_content(self, *args, **kwargs):
        raise ValueError(f"{self.name!r} was too large to keep; it has no content to read.")

    open = read = chunks = seek = _no_content

    def close(self):
        return None

    def __bool__(self):
        return True  # a file was chosen; the form must say what is wrong with it


class UploadLimitHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0
        self.file_size = 0
        self.file_refused = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_size = 0
        self.file_refused = False

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > settings.UPLOAD_MAX_REQUEST_BYTES:
            _refuse(self.request, self.file_name, self.total, settings.UPLOAD_MAX_REQUEST_BYTES, stopped=True)
            raise StopUpload(connection_reset=True)
        self.file_size += len(raw_data)
        if self.file_size > settings.ATTACHMENT_MAX_BYTES:
            if not self.file_refused:
                self.file_refused = True
                _refuse(self.request, self.file_name, None, settings.ATTACHMENT_MAX_BYTES)
            return None  # the later handlers (memory, temporary file) never see the rest
        return raw_data

    def file_complete(self, file_size):
        if not self.file_refused:
            return None  # the memory or temporary-file handler completes it
        getattr(self.request, REFUSED_ATTRIBUTE)[-1]["size"] = self.file_size
        return OversizeUpload(name=self.file_name, size=self.file_size, content_type=self.content_type,
                              charset=self.charset)


def _refuse(request, name, size, limit, *, stopped=False):
    if request is None:
        return
    refused = getattr(request, REFUSED_ATTRIBUTE, None)
    if refused is None:
        refused = []
        setattr(request, REFUSED_ATTRIBUTE, refused)
    refused.append({"name": name or "", "size": size, "limit": limit, "stopped": stopped})


def limits(request):
    """Context processor: the limits, for the browser-side check in static/js/uploads.js."""
    return {
        "upload_limits": {
            "file_bytes": settings.ATTACHMENT_MAX_BYTES,
            "request_bytes": settings.UPLOAD_MAX_REQUEST_BYTES,
        }
    }


def too_large_response(request, refused):
    return render(
        request,
        "413.html",
        {
            "refused": refused,
            "file_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "request_limit": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES),
        },
        status=413,
    )


class UploadLimitMiddleware:
    """Goes after AuthenticationMiddleware (the page knows who is signed in); nothing before it reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_REQUEST_BYTES:
            refused = [{"name": "", "size": declared, "limit": settings.UPLOAD_MAX_REQUEST_BYTES}]
            return too_large_response(request, refused)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        request.POST  # noqa: B018 — parse now, through UploadLimitHandler, before the view runs
        refused = getattr(request, REFUSED_ATTRIBUTE, None)
        if not refused:
            return None
        stopped = any(item["stopped"] for item in refused)
        in_admin = request.resolver_match is not None and request.resolver_match.namespace == "admin"
        if stopped or in_admin:
            return too_large_response(request, refused)
        return None  # the product's forms name the oversize files themselves
