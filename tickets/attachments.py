"""Upload checks: size, count, and a type allowlist decided by the file's bytes, not its name."""

import unicodedata
from dataclasses import dataclass
from mimetypes import guess_extension
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT_EXTENSIONS = {".txt", ".log", ".csv", ".md", ".json", ".yaml", ".yml", ".ini", ".conf", ".cfg"}
# What a text file must not look like: a page a browser would run.
MARKUP_MARKERS = (b"<html", b"<svg", b"<script", b"<!doctype", b"<?xml", b"<iframe", b"<body", b"<head", b"<object")


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: object  # a lazy translation
    extensions: frozenset
    signatures: tuple = ()


BINARY_TYPES = (
    FileType("image/png", gettext_lazy("PNG image"), frozenset({".png"}), (b"\x89PNG\r\n\x1a\n",)),
    FileType("image/jpeg", gettext_lazy("JPEG image"), frozenset({".jpg", ".jpeg"}), (b"\xff\xd8\xff",)),
    FileType("image/gif", gettext_lazy("GIF image"), frozenset({".gif"}), (b"GIF87a", b"GIF89a")),
    FileType("application/pdf", gettext_lazy("PDF document"), frozenset({".pdf"}), (b"%PDF-",)),
    FileType(
        "application/zip", gettext_lazy("ZIP archive or Office document"),
        frozenset({".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}), (b"PK\x03\x04",),
    ),
    FileType("application/gzip", gettext_lazy("gzip archive"), frozenset({".gz", ".tgz"}), (b"\x1f\x8b",)),
)
WEBP = FileType("image/webp", gettext_lazy("WebP image"), frozenset({".webp"}))
TEXT = FileType("text/plain", gettext_lazy("text file"), frozenset(TEXT_EXTENSIONS))


def allowed_extensions() -> list[str]:
    extensions = set(TEXT_EXTENSIONS) | set(WEBP.extensions)
    for file_type in BINARY_TYPES:
        extensions |= file_type.extensions
    return sorted(extensions)


def clean_filename(name: str) -> str:
    """The bare file name, without folders or control characters, at most 200 characters."""
    name = PurePath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        name = "file"
    stem, suffix = name[: -len(PurePath(name).suffix) or None], PurePath(name).suffix
    return stem[: 200 - len(suffix)] + suffix


def sniff(head: bytes) -> FileType | None:
    for file_type in BINARY_TYPES:
        if any(head.startswith(signature) for signature in file_type.signatures):
            return file_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
        text = head[: error.start].decode("utf-8")
    lowered = text.lower().encode()
    if any(marker in lowered for marker in MARKUP_MARKERS):
        return None
    return TEXT


def with_detected_extension(upload):
    """A file whose name has no extension (mail programs send "image" or "Scan"), named after its bytes.

    The allowlist goes by the bytes and wants the name to agree; a real PNG called "screenshot" becomes
    "screenshot.png" instead of being refused. Names with an extension are left alone.
    """
    name = getattr(upload, "name", "") or ""
    if PurePath(name).suffix:
        return upload
    upload.seek(0)
    detected = sniff(upload.read(4096))
    upload.seek(0)
    if detected is not None:
        extension = guess_extension(detected.content_type)
        if extension not in detected.extensions:
            extension = sorted(detected.extensions)[0]
        upload.name = f"{name or 'file'}{extension}"
    return upload


def check_upload(upload) -> tuple[str, str]:
    """Return (clean file name, content type) or raise ValidationError with a message for the person."""
    name = clean_filename(getattr(upload, "name", ""))
    size = upload.size
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    detected = sniff(head)
    extension = PurePath(name).suffix.lower()
    if detected is None:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(allowed_extensions())}
        )
    if extension not in detected.extensions:
        raise ValidationError(
            _("“%(name)s” does not match its content (it looks like a %(kind)s). Rename it or attach another file.")
            % {"name": name, "kind": detected.label}
        )
    return name, detected.content_type


def check_uploads(uploads) -> list[tuple[object, str, str]]:
    uploads = list(uploads or [])
    if len(uploads) > settings.ATTACHMENT_MAX_FILES:
        raise ValidationError(
            _("Attach at most %(count)d files at a time.") % {"count": settings.ATTACHMENT_MAX_FILES}
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, *check_upload(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def private_file_response(stored_file, *, name, content_type=""):
    """Send a stored upload as a download that a browser will neither sniff nor run, nor keep.

    Every app serves its customers' files through a permission-checked view that ends here;
    none is ever reachable under a public media URL.
    """
    from django.http import FileResponse, Http404

    if not stored_file:
        raise Http404
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name or "file",
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
