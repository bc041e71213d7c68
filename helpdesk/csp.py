"""Where browsers send the Content-Security-Policy violations they block (the policy's report-uri).

Browsers post either the older ``application/csp-report`` form, ``{"csp-report": {...}}``, or the Reporting
API's ``application/reports+json``, a list of ``{"type": "csp-violation", "body": {...}}``. Each violation is
logged at WARNING on the ``helpdesk.csp`` logger, a few known fields only, each one shortened and on one line,
so that a report cannot flood the log or forge lines in it. Anyone may post here, signed in or not, and
nothing is stored.
"""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("helpdesk.csp")

REPORT_CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
MAX_REPORT_BYTES = 16 * 1024  # a real report is well under 2 KB
MAX_VIOLATIONS = 20  # per request, for the list form
MAX_FIELD_CHARS = 300

# The fields worth logging, in the older form's spelling and the Reporting API's.
FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
    "disposition": ("disposition",),
}


def _one_line(value) -> str:
    text = str(value)[:MAX_FIELD_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _violations(payload) -> list[dict]:
    """The violation bodies of a report in either form; [] when it is neither."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [item["body"] for item in payload[:MAX_VIOLATIONS]
                if isinstance(item, dict) and item.get("type") == "csp-violation"
                and isinstance(item.get("body"), dict)]
    return []


def _summary(violation: dict) -> dict:
    summary = {}
    for name, keys in FIELDS.items():
        for key in keys:
            if violation.get(key) not in (None, ""):
                summary[name] = _one_line(violation[key])
                break
    return summary


def _bad_request(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")


@csrf_exempt  # browsers send reports without a token, and the view changes nothing
@require_POST
def csp_report(request):
    """Log the violations a browser reports; 204 when read, 400 for a body that is not a report."""
    content_type = request.content_type or ""
    if content_type not in REPORT_CONTENT_TYPES:
        return HttpResponse("Unsupported report type.", status=415, content_type="text/plain; charset=utf-8")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REPORT_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain; charset=utf-8")
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse("Report too large.", status=413, content_type="text/plain; charset=utf-8")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _bad_request("Not a JSON report.")
    violations = _violations(payload)
    if not violations:
        return _bad_request("No violation in the report.")
    for violation in violations:
        summary = _summary(violation)
        logger.warning(
            "Content-Security-Policy violation: %s blocked %s on %s (source %s, line %s, %s)",
            summary.get("directive", "?"), summary.get("blocked", "?"), summary.get("document", "?"),
            summary.get("source", "?"), summary.get("line", "?"), summary.get("disposition", "enforce"))
    return HttpResponse(status=204)
