"""Header values that never raise: raw 8-bit text repaired, encoded words decoded, broken headers missing."""

import logging
from email.header import decode_header, make_header
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from helpdesk.accounts.models import normalize_email
from tickets.channels.email.charsets import repair

logger = logging.getLogger("tickets.channels.email")


def decode_words(text: str) -> str:
    """RFC 2047 words the parser left as they were (inside quotes, in a parameter), decoded."""
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (LookupError, UnicodeError, ValueError):  # an unknown charset or a broken word: keep the text
        return text


def clean(text: str) -> str:
    return decode_words(repair(text)).replace("\x00", "")


def header(message, name) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header too broken to parse counts as missing
        logger.warning("Unreadable %s header in an inbound e-mail", name)
        return ""
    return clean(str(value)) if value is not None else ""


def addresses(message, *names) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of these headers, in order, invalid addresses left out."""
    pairs = []
    for name in names:
        try:
            values = message.get_all(name) or []
        except Exception:
            logger.warning("Unreadable %s header in an inbound e-mail", name)
            continue
        for value in values:
            try:
                found = getattr(value, "addresses", None)
            except Exception:
                found = None
            if found is not None:
                candidates = [(address.display_name, address.addr_spec) for address in found]
            else:
                candidates = getaddresses([str(value)])
            for display_name, address in candidates:
                address = normalize_email(repair(address or ""))
                try:
                    validate_email(address)
                except ValidationError:
                    continue
                pairs.append((" ".join(clean(display_name or "").split()), address))
    return pairs
