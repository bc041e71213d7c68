"""Whether an e-mail really comes from the address in its From: header.

Anybody can write any From:. The receiving mail server checks SPF, DKIM and DMARC and writes what it
found in an ``Authentication-Results`` header; only the topmost such header of a server named in
INBOUND_TRUSTED_AUTHSERV_IDS is read (a sender can add headers of their own, below it). A pass counts
when its domain is the From: domain (or a parent of it). With INBOUND_DKIM_VERIFY the helpdesk checks
the DKIM signatures itself as well (dkimpy, which asks DNS for the keys).
"""

import logging
import re

from django.conf import settings
from django.utils.translation import gettext as _

from tickets.models import Verification

logger = logging.getLogger("tickets.channels.email")

COMMENT = re.compile(r"\([^()]*\)")
RESULT = re.compile(r"^\s*([a-z0-9-]+)\s*=\s*([a-z]+)(.*)$", re.IGNORECASE | re.DOTALL)
PROPERTY = re.compile(r"([a-z]+\.[a-z0-9-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)", re.IGNORECASE)
DKIM_DNSFUNC = None  # dkimpy's own DNS lookup unless set (tests give it their keys)


def _aligned(domain: str, from_domain: str) -> bool:
    domain = domain.strip().strip('"').lower().rstrip(".").rpartition("@")[2]
    return bool(domain) and (from_domain == domain or from_domain.endswith("." + domain))


def _results(value: str) -> tuple[str, list[tuple[str, str, dict]]]:
    """(authserv-id, [(method, result, properties)]) of one Authentication-Results value."""
    value = COMMENT.sub(" ", COMMENT.sub(" ", value))
    server, *parts = value.split(";")
    found = []
    for part in parts:
        match = RESULT.match(part)
        if match:
            properties = {name.lower(): text.strip('"') for name, text in PROPERTY.findall(match.group(3))}
            found.append((match.group(1).lower(), match.group(2).lower(), properties))
    return (server.split() or [""])[0].lower(), found


def from_authentication_results(message, from_domain: str) -> tuple[str, str] | None:
    """(verification, how) from the topmost trusted Authentication-Results header, or None without one."""
    trusted = {server.lower() for server in settings.INBOUND_TRUSTED_AUTHSERV_IDS}
    if not trusted:
        return None
    try:
        values = [str(value) for value in message.get_all("Authentication-Results") or []]
    except Exception:
        return None
    for value in values:
        server, results = _results(value)
        if server not in trusted:
            continue
        for method, result, properties in results:
            if method == "dmarc" and result == "pass" and _aligned(properties.get("header.from", from_domain),
                                                                   from_domain):
                return Verification.VERIFIED, f"dmarc=pass ({server})"
            if method == "dkim" and result == "pass" and _aligned(
                    properties.get("header.d") or properties.get("header.i", ""), from_domain):
                return Verification.VERIFIED, f"dkim=pass header.d={properties.get('header.d', '')} ({server})"
            if method == "spf" and result == "pass" and _aligned(properties.get("smtp.mailfrom", ""), from_domain):
                return Verification.VERIFIED, f"spf=pass smtp.mailfrom={properties['smtp.mailfrom']} ({server})"
        if any(method == "dmarc" and result == "fail" for method, result, _properties in results):
            return Verification.FAILED, f"dmarc=fail ({server})"
        summary = ", ".join(f"{method}={result}" for method, result, _properties in results) or _("no results")
        return Verification.UNVERIFIED, f"{summary} ({server})"
    return None


def from_dkim(raw: bytes, message, from_domain: str) -> tuple[str, str] | None:
    """(verification, how) from checking the DKIM signatures here, or None when there are none."""
    import dkim

    try:
        count = len(message.get_all("DKIM-Signature") or [])
    except Exception:
        count = 0
    if not count:
        return None
    checker = dkim.DKIM(raw)
    for index in range(count):
        try:
            options = {"dnsfunc": DKIM_DNSFUNC} if DKIM_DNSFUNC else {}
            passed = checker.verify(idx=index, **options)
        except Exception:  # a broken signature or a DNS failure is no proof either way
            logger.info("DKIM signature %d of an inbound e-mail could not be checked", index, exc_info=True)
            continue
        domain = (checker.domain or b"").decode("ascii", "replace")
        if passed and _aligned(domain, from_domain):
            return Verification.VERIFIED, f"dkim=pass header.d={domain} (checked here)"
    return Verification.UNVERIFIED, _("no valid DKIM signature of the sender's domain")


def verify(raw: bytes, message, sender: str) -> tuple[str, str]:
    """(verification, how) for this e-mail's sender address."""
    from_domain = sender.rpartition("@")[2].lower()
    found = from_authentication_results(message, from_domain) if from_domain else None
    if found is not None and found[0] != Verification.UNVERIFIED:
        return found
    if settings.INBOUND_DKIM_VERIFY and from_domain:
        checked = from_dkim(raw, message, from_domain)
        if checked is not None and (checked[0] == Verification.VERIFIED or found is None):
            return checked
    if found is not None:
        return found
    if not settings.INBOUND_TRUSTED_AUTHSERV_IDS and not settings.INBOUND_DKIM_VERIFY:
        return Verification.UNVERIFIED, _("sender verification is not configured")
    return Verification.UNVERIFIED, _("no Authentication-Results from a trusted mail server")
