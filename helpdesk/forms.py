"""What every form in the product does with the text people type.

Each form class inherits ``InputLimitsMixin`` (tests/test_input_limits.py walks them all). Before a form
cleans, every text field gets two checks, declared fields and fields added in ``__init__`` alike:

- A longest length. A field that names none gets ``TEXT_MAX_CHARS``: room for a long message with a pasted
  stack trace, not for a 4 MB paste that every list, e-mail and search index would then carry. The message
  says how long the text is and suggests attaching a long log as a file. The browser is not told the
  limit (a textarea with ``maxlength`` cuts a paste short without a word); the server answers instead.
- ``validate_visible``: text made only of invisible characters (zero-width spaces, bidi controls, fillers)
  is refused, so that no subject, name or message is blank on screen while the field counts as filled.

Passwords and hidden fields are left alone. File fields get ``validate_kept``: a file too large to keep
arrives as an ``OversizeUpload`` (helpdesk/uploads.py), and the form names it instead of reading it.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from helpdesk.uploads import OversizeUpload

TEXT_MAX_CHARS = 50_000

# Letters that draw nothing, though Unicode files them as letters or symbols.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
# Categories that draw nothing on their own: controls, formatting (zero-width, bidi), separators,
# combining marks with nothing to combine with, private use and unassigned code points.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def is_visible(char: str) -> bool:
    return char not in INVISIBLE_LETTERS and unicodedata.category(char) not in INVISIBLE_CATEGORIES


def validate_visible(value):
    """Refuse text in which nothing would be seen. Plain white space is left to the field's own "required"."""
    text = str(value or "")
    if text.strip() and not any(is_visible(char) for char in text):
        raise ValidationError(
            _("This is made only of invisible characters. Type something that can be read, or leave it empty."),
            code="invisible",
        )


def validate_kept(value):
    """Refuse a file that was too large to keep while the request arrived."""
    uploads = value if isinstance(value, list | tuple) else [value]
    oversize = [upload for upload in uploads if isinstance(upload, OversizeUpload)]
    if oversize:
        raise ValidationError([
            ValidationError(
                _("“%(name)s” is %(size)s; files can be at most %(limit)s."),
                code="file_too_large",
                params={"name": upload.name, "size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            )
            for upload in oversize
        ])


class TextMaxLengthValidator(MaxLengthValidator):
    message = _(
        "This is %(show_value)d characters long; it can be at most %(limit_value)d. "
        "Attach a long log or listing as a file instead."
    )


def guard(field: forms.Field, max_chars: int = TEXT_MAX_CHARS) -> None:
    """Give one text field the longest length and the visibility check, once; a file field the size check."""
    if getattr(field, "_input_guarded", False):
        return
    if isinstance(field, forms.FileField):
        field._input_guarded = True
        field.validators.append(validate_kept)
        return
    if not isinstance(field, forms.CharField):
        return
    if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
        return
    field._input_guarded = True
    if field.max_length is None:
        field.max_length = max_chars
        field.validators.append(TextMaxLengthValidator(max_chars))
    if validate_visible not in field.validators:
        field.validators.append(validate_visible)


class InputLimitsMixin:
    """Put first among a form's bases: ``class ReplyForm(InputLimitsMixin, forms.Form)``.

    ``text_max_chars`` names fields that may be longer (or must be shorter) than ``TEXT_MAX_CHARS``.
    """

    text_max_chars: dict[str, int] = {}

    def full_clean(self):
        for name, field in self.fields.items():
            guard(field, self.text_max_chars.get(name, TEXT_MAX_CHARS))
        super().full_clean()
