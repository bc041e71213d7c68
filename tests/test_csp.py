"""Content-Security-Policy: every page carries a strict policy, no template needs inline script or style to
work, violations reported by browsers are logged, and downloads keep their own sandbox."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services
from tickets.models import Attachment

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
REPORT_URL = "/csp-report/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ticket(customer_a, queue_x):
    return services.ticket_create(
        requester=customer_a, subject="Screen flickers", description="See the screenshot.", queue=queue_x,
        files=[SimpleUploadedFile("flicker.png", PNG)], notify=False,
    )


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["report-uri"] == [REPORT_URL]
    for values in directives.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
    assert response.get("Content-Security-Policy", "").count("script-src") == 1  # one policy, not two


def pages_for(role, ticket):
    public = ["/", reverse("accounts:login"), "/kb/"]
    return {
        "anonymous": public,
        "customer": ["/portal/", "/portal/tickets/", "/portal/tickets/new/", f"/portal/tickets/{ticket.reference}/",
                     "/kb/", reverse("accounts:profile")],
        "agent": ["/desk/", "/desk/tickets/", f"/desk/tickets/{ticket.reference}/", "/desk/kb/", "/desk/customers/"],
        "manager": ["/desk/", "/reports/", "/reports/sla/", "/desk/customers/at-risk/", "/admin/"],
        "admin": ["/admin/", f"/admin/tickets/ticket/{ticket.pk}/change/", "/admin/accounts/user/",
                  "/admin/aftersales/purchase/import/"],
    }[role]


@pytest.mark.parametrize("role", ["anonymous", "customer", "agent", "manager", "admin"])
def test_every_page_carries_the_strict_policy(client, role, ticket, customer_a, agent, manager, admin_user):
    user = {"customer": customer_a, "agent": agent, "manager": manager, "admin": admin_user}.get(role)
    if user:
        client.force_login(user)
    for url in pages_for(role, ticket):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"].startswith("text/html")
        assert_strict(response)


def test_refusals_and_redirects_carry_the_policy_too(client, customer_a, ticket):
    assert_strict(client.get("/desk/"))  # anonymous: sent to sign in
    client.force_login(customer_a)
    forbidden = client.get("/reports/")
    assert forbidden.status_code == 403
    assert_strict(forbidden)
    missing = client.get("/portal/tickets/NO-SUCH-TICKET/")
    assert missing.status_code == 404
    assert_strict(missing)


def test_attachment_download_keeps_its_sandbox_policy(client, customer_a, ticket):
    attachment = Attachment.objects.get(message__ticket=ticket)
    client.force_login(customer_a)
    response = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"  # not the pages' policy


# ---------------------------------------------------------------------------------------------- templates

INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _templates():
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 50  # the scan really reads the templates
    return files


def _is_email(path: Path) -> bool:
    """E-mail bodies are read by mail clients, which need inline styles; no browser applies the policy there."""
    relative = path.relative_to(TEMPLATES).as_posix()
    return "/email/" in relative or relative.startswith("mail/")


@pytest.mark.parametrize("pattern, what", [
    (INLINE_HANDLER, "an inline on…= event handler"),
    (INLINE_SCRIPT, "an inline <script> without src"),
    (SCRIPT_URL, "a javascript: URL"),
])
def test_no_template_has_inline_script(pattern, what):
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]!r}"
             for path in _templates() for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert not found, f"Move {what} to a file under static/ (the policy blocks it):\n  " + "\n  ".join(found)


def test_no_page_template_has_inline_style():
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]!r}"
             for path in _templates() if not _is_email(path)
             for pattern in (STYLE_ATTRIBUTE, STYLE_ELEMENT)
             for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert not found, "Move inline styles to a stylesheet under static/ (the policy blocks them):\n  " + "\n  ".join(
        found)


def test_the_scan_catches_what_it_looks_for():
    assert INLINE_HANDLER.search('<select class="x" onchange="this.form.submit()">')
    assert INLINE_HANDLER.search("<a\n  href='#' onclick='go()'>")
    assert not INLINE_HANDLER.search('<select data-autosubmit name="language">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">')
    assert not INLINE_SCRIPT.search('<script src="/static/js/page.js"></script>')
    assert SCRIPT_URL.search('<a href="javascript:void(0)">')
    assert STYLE_ATTRIBUTE.search('<span class="bar" style="width: 5%">')


# ---------------------------------------------------------------------------------------------- reports

LEGACY_REPORT = {"csp-report": {
    "document-uri": "https://helpdesk.example/portal/", "violated-directive": "script-src-elem",
    "effective-directive": "script-src-elem", "blocked-uri": "inline", "source-file": "https://helpdesk.example/portal/",
    "line-number": 12, "disposition": "enforce"}}
REPORTING_API = [{"type": "csp-violation", "age": 3, "url": "https://helpdesk.example/desk/", "body": {
    "documentURL": "https://helpdesk.example/desk/", "effectiveDirective": "style-src-attr",
    "blockedURL": "inline", "lineNumber": 7, "disposition": "enforce"}}]


def test_a_legacy_report_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="helpdesk.csp"):
        response = client.post(REPORT_URL, json.dumps(LEGACY_REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "helpdesk.csp"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "script-src-elem" in message and "inline" in message and "https://helpdesk.example/portal/" in message


def test_a_reporting_api_report_is_logged(client, customer_a, caplog):
    client.force_login(customer_a)  # signed in or not, without a CSRF token: browsers send none
    client.handler.enforce_csrf_checks = True
    with caplog.at_level(logging.WARNING, logger="helpdesk.csp"):
        response = client.post(REPORT_URL, json.dumps(REPORTING_API), content_type="application/reports+json")
    assert response.status_code == 204
    messages = [r.getMessage() for r in caplog.records if r.name == "helpdesk.csp"]
    assert len(messages) == 1 and "style-src-attr" in messages[0] and "/desk/" in messages[0]


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/csp-report"),
    (b"\xff\xfe\x00garbage", "application/csp-report"),
    (b'{"csp-report": "a string"}', "application/csp-report"),
    (b"[1, 2, 3]", "application/reports+json"),
    (b'[{"type": "deprecation", "body": {}}]', "application/reports+json"),
    (b"[" * 5000 + b"]" * 5000, "application/reports+json"),
    (b"   ", "application/csp-report"),
])
def test_garbage_is_refused_without_logging(client, caplog, body, content_type):
    with caplog.at_level(logging.WARNING, logger="helpdesk.csp"):
        response = client.post(REPORT_URL, body, content_type=content_type)
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name == "helpdesk.csp"]


def test_other_content_types_and_methods_are_refused(client):
    assert client.post(REPORT_URL, {"csp-report": "x"}).status_code == 415  # a form post
    assert client.get(REPORT_URL).status_code == 405


def test_a_large_report_is_refused_unread(client, caplog):
    padded = {"csp-report": {**LEGACY_REPORT["csp-report"], "script-sample": "x" * 20_000}}
    with caplog.at_level(logging.WARNING, logger="helpdesk.csp"):
        response = client.post(REPORT_URL, json.dumps(padded), content_type="application/csp-report")
    assert response.status_code == 413
    assert not [r for r in caplog.records if r.name == "helpdesk.csp"]


def test_a_report_cannot_forge_log_lines(client, caplog):
    forged = {"csp-report": {**LEGACY_REPORT["csp-report"],
                             "blocked-uri": "inline\n2026-01-01 00:00:00 ERROR django: forged " + "y" * 1000}}
    with caplog.at_level(logging.WARNING, logger="helpdesk.csp"):
        response = client.post(REPORT_URL, json.dumps(forged), content_type="application/csp-report")
    assert response.status_code == 204
    [message] = [r.getMessage() for r in caplog.records if r.name == "helpdesk.csp"]
    assert "\n" not in message
    assert len(message) < 1000
