"""The access matrix: every URL of the product, requested by every persona, with GET and with POST.

The table below says what each persona must get. Every URL pattern the resolver knows is either a row of
the table or an admin page answered by ``admin_targets`` — a new URL that is neither fails the test, naming
it. Each row is requested with the objects of organisation A / queue X and of organisation B / queue Y (see
tests/access_matrix_world.py), so every page that takes an id is also asked for someone else's object.

The rules the answers encode:

- anonymous visitors are sent to sign in (302), except on public pages (landing, sign-in, sign-up, password
  reset, the knowledge base, the survey pages whose token is the key);
- a page the persona's role may not use answers 403; an object the persona may not know about answers 404;
- a method the page does not take answers 405 (accepted for anyone the page refuses anyway);
- a POST by someone who may not act is refused before anything else, and changes nothing: the test
  compares a fingerprint of the business data before and after all of them;
- nothing ever answers 500.

Adding a URL is one line in ROWS: route (as the resolver spells it), the kind of object its arguments name
(a key of ``World.objects``, or None), the methods it takes, and who gets what (one of the profiles below,
or a new ``each(...)`` / ``owned(...)``).
"""

import logging
import re
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve

from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS, agent_required
from tests import access_matrix_world
from tests.access_matrix_world import PERSONAS

# ---------------------------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    status: int
    location: str = ""  # a redirect's target: exact, or a prefix when it ends with "*"
    allowed: bool = False  # the persona may use the page: GET answers 200, a POST anything but 403 or 5xx
    label: str = ""

    def __str__(self):
        return self.label or (f"{self.status} to {self.location}" if self.location else str(self.status))

    def matches(self, response) -> bool:
        if response.status_code != self.status:
            return False
        if not self.location:
            return True
        target = response.get("Location", "")
        if self.location.endswith("*"):
            return target.startswith(self.location[:-1])
        return target == self.location


OK = Answer(200, allowed=True, label="200")
LOGIN = Answer(302, "/accounts/login/?next=*", label="302 to sign-in")
ADMIN_LOGIN = Answer(302, "/admin/login/?next=*", label="302 to admin sign-in")
DENY = Answer(403, label="403")
HIDE = Answer(404, label="404")
TO_DESK = Answer(302, "/desk/*", label="302 to the desk")  # staff opening a portal page get the desk's page


def redirect(location):
    return Answer(302, location)


def status(code):
    return Answer(code)


def each(*answers):
    """Answers in PERSONAS order: anonymous, customer_a, customer_a2, primary_a, customer_b, agent_x, agent_y,
    manager, admin."""
    assert len(answers) == len(PERSONAS), answers
    return dict(zip(PERSONAS, answers, strict=True))


def owned(anonymous, owner, colleague, primary, stranger, member, outsider, manager, admin_user):
    """Answers by relation to the object, for the A object (customer_a's, queue X) and the B object
    (customer_b's, queue Y): the owner, a colleague in the same organisation, its primary contact, a customer
    of the other organisation; the agent of the object's queue (or its assignee) and the other agent."""
    return {
        "A": each(anonymous, owner, colleague, primary, stranger, member, outsider, manager, admin_user),
        "B": each(anonymous, stranger, stranger, stranger, owner, outsider, member, manager, admin_user),
    }


# ---------------------------------------------------------------------------------------------- profiles
#                     anonymous  customer_a customer_a2 primary_a customer_b agent_x  agent_y  manager  admin
PUBLIC = each(OK, OK, OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = each(LOGIN, OK, OK, OK, OK, OK, OK, OK, OK)
PORTAL = each(LOGIN, OK, OK, OK, OK, TO_DESK, TO_DESK, TO_DESK, TO_DESK)
CUSTOMERS = each(LOGIN, OK, OK, OK, OK, DENY, DENY, DENY, DENY)
DESK = each(LOGIN, DENY, DENY, DENY, DENY, OK, OK, OK, OK)
MANAGERS = each(LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, OK, OK)
ANON_ONLY = each(OK, *[redirect("/")] * 8)  # sign-in and sign-up send a signed-in person home
HOME = each(OK, *[redirect("/portal/")] * 4, *[redirect("/desk/")] * 4)
NO_CODE_TO_GIVE = each(LOGIN, *[redirect("/")] * 8)  # the code page, for people without an authenticator
BAD_LINK = each(*[status(400)] * 9)
ADMIN_SITE = each(*[ADMIN_LOGIN] * 7, OK, OK)
ADMINS_ONLY = each(*[ADMIN_LOGIN] * 7, DENY, OK)
#                  anonymous owner colleague primary stranger member outsider manager admin
PORTAL_OWNED = owned(LOGIN, OK, HIDE, OK, HIDE, TO_DESK, TO_DESK, TO_DESK, TO_DESK)
AUTHOR_ONLY = owned(LOGIN, OK, HIDE, HIDE, HIDE, DENY, DENY, DENY, DENY)
FILE = owned(LOGIN, OK, HIDE, OK, HIDE, OK, HIDE, OK, OK)  # a ticket's file: whoever sees the ticket
SERVICE_FILE = owned(LOGIN, OK, HIDE, OK, HIDE, OK, OK, OK, OK)  # the service team sees every request
DESK_QUEUE = owned(LOGIN, DENY, DENY, DENY, DENY, OK, HIDE, OK, OK)  # agents: their queues' tickets only
DESK_OWNED = owned(LOGIN, DENY, DENY, DENY, DENY, OK, OK, OK, OK)  # every agent sees every request
SURVEY_TOKEN = owned(OK, OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE)  # the token, or its recipient signed in
NOTE_FILE = {"note": each(LOGIN, HIDE, HIDE, HIDE, HIDE, OK, HIDE, OK, OK)}  # a file on an internal note
KB_ARTICLE = {"public": PUBLIC, "internal": each(*[HIDE] * 5, OK, OK, OK, OK), "draft": each(*[HIDE] * 9)}
AT_RISK = each(LOGIN, DENY, DENY, DENY, DENY, OK, DENY, OK, OK)  # agent_x manages organisation A
HEALTH = {"A": AT_RISK, "B": MANAGERS}  # organisation B has no account manager
TO_ORGANIZATION = redirect("/desk/customers/org/*")  # a customer with an organisation is shown as it
PERSON = {"A": each(LOGIN, DENY, DENY, DENY, DENY, *[TO_ORGANIZATION] * 4), "solo": DESK}
PERSON_HEALTH = {"A": PERSON["A"], "solo": MANAGERS}

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


@dataclass(frozen=True)
class Row:
    route: str
    kind: str | None
    methods: tuple
    who: dict  # persona -> Answer, or variant -> (persona -> Answer)
    post: dict | None = None  # the answers to a POST, when they differ from a GET's
    ends_session: bool = False  # a POST signs the persona out


ROWS = [
    # route                                                kind               methods  who
    Row("", None, BOTH, HOME),
    Row("portal/", None, BOTH, PORTAL),
    Row("desk/", None, BOTH, DESK),
    Row("desk/search/", None, GET, DESK),  # scoped inside: each agent finds only what the desk shows them
    Row("favicon.ico", None, GET, PUBLIC),  # the product's icon, for pages that name none
    Row("i18n/setlang/", None, POST, PUBLIC),
    Row("csp-report/", None, POST, PUBLIC),  # browsers report policy violations here, signed in or not
    # accounts
    Row("accounts/login/", None, BOTH, ANON_ONLY),
    Row("accounts/logout/", None, POST, PUBLIC, ends_session=True),
    Row("accounts/signup/", None, BOTH, ANON_ONLY),
    Row("accounts/signup/done/", None, BOTH, PUBLIC),
    Row("accounts/verify/resend/", None, BOTH, PUBLIC),  # the same answer for every address, rate limited
    Row("accounts/verify/<uidb64>/<token>/", "bad_link", BOTH, BAD_LINK),
    Row("accounts/profile/", None, BOTH, SIGNED_IN),
    Row("accounts/two-factor/", None, BOTH, SIGNED_IN),
    Row("accounts/two-factor/verify/", None, BOTH, NO_CODE_TO_GIVE),
    Row("accounts/password/change/", None, BOTH, SIGNED_IN),
    Row("accounts/password/change/done/", None, GET, SIGNED_IN),
    Row("accounts/password/reset/", None, BOTH, PUBLIC),
    Row("accounts/password/reset/sent/", None, GET, PUBLIC),
    Row("accounts/reset/<uidb64>/<token>/", "bad_link", BOTH, PUBLIC),
    Row("accounts/reset/done/", None, GET, PUBLIC),
    Row("accounts/care/", None, GET, DESK),
    Row("accounts/care/<int:pk>/", "care_task", BOTH, DESK_QUEUE),
    Row("accounts/organizations/<int:pk>/status/", "organization", BOTH, MANAGERS),
    # tickets: portal
    Row("portal/tickets/", None, GET, PORTAL),
    Row("portal/tickets/new/", None, BOTH, PORTAL),
    Row("portal/tickets/<str:reference>/", "ticket", GET, PORTAL_OWNED),
    Row("portal/tickets/<str:reference>/reply/", "ticket", POST, PORTAL_OWNED),
    Row("portal/tickets/<str:reference>/resolve/", "ticket", POST, PORTAL_OWNED),
    Row("portal/tickets/<str:reference>/reopen/", "ticket", POST, PORTAL_OWNED),
    Row("portal/tickets/<str:reference>/close/", "ticket", POST, PORTAL_OWNED),
    # tickets: desk
    Row("desk/tickets/", None, GET, DESK),
    Row("desk/tickets/bulk/", None, POST, DESK),
    Row("desk/tickets/new/", None, BOTH, DESK),
    Row("desk/tickets/<str:reference>/", "ticket", GET, DESK_QUEUE),
    Row("desk/tickets/<str:reference>/reply/", "ticket", POST, DESK_QUEUE),
    Row("desk/tickets/<str:reference>/update/", "ticket", POST, DESK_QUEUE),
    Row("desk/tickets/<str:reference>/merge/", "ticket", POST, DESK_QUEUE),
    Row("desk/canned-responses/<int:pk>/", "canned", GET, DESK_QUEUE),
    Row("desk/suspended/", None, GET, DESK),
    Row("desk/suspended/<int:pk>/", "suspended", GET, DESK_QUEUE),  # before the rows that review it
    Row("desk/suspended/<int:pk>/recover/", "suspended", POST, DESK_QUEUE),
    Row("desk/suspended/<int:pk>/delete/", "suspended", POST, DESK_QUEUE),
    Row("attachments/<int:pk>/", "attachment", GET, {**FILE, **NOTE_FILE}),
    # assist
    Row("desk/assist/", None, BOTH, MANAGERS),
    Row("desk/assist/tickets/<str:reference>/accept/", "ticket", POST, DESK_QUEUE),
    Row("desk/assist/tickets/<str:reference>/answer-used/", "ticket", POST, DESK_QUEUE),
    # knowledge base
    Row("kb/", None, GET, PUBLIC),
    Row("kb/search/", None, GET, PUBLIC),
    Row("kb/suggest/", None, GET, PUBLIC),
    Row("kb/answered/", None, POST, PUBLIC),
    Row("kb/categories/<slug:slug>/", "category", GET, PUBLIC),
    Row("kb/articles/<slug:slug>/", "article", GET, KB_ARTICLE),
    Row("kb/articles/<slug:slug>/vote/", "article", POST, KB_ARTICLE),
    Row("desk/kb/", None, GET, DESK),
    Row("desk/kb/new/", None, BOTH, DESK),
    Row("desk/kb/preview/", None, POST, DESK),
    Row("desk/kb/link-search/", None, GET, DESK),
    Row("desk/kb/gaps/", None, GET, MANAGERS),
    Row("desk/kb/<int:pk>/", "article_pk", BOTH, DESK),
    Row("desk/kb/<int:pk>/publish/", "article_pk", POST, DESK),
    Row("desk/kb/<int:pk>/archive/", "article_pk", POST, DESK),
    Row("desk/kb/<int:pk>/draft/", "article_pk", POST, DESK),
    Row("desk/kb/<int:pk>/revisions/", "article_pk", GET, DESK),
    Row("desk/kb/<int:pk>/revisions/<int:number>/", "revision", GET, DESK),
    # after-sales: portal
    Row("portal/products/", None, GET, PORTAL),
    Row("portal/products/register/", None, BOTH, PORTAL),
    Row("portal/products/<int:pk>/", "purchase", GET, PORTAL_OWNED),
    Row("portal/products/<int:pk>/service/", "purchase", BOTH, PORTAL_OWNED),
    Row("portal/products/<int:pk>/proof/", "purchase", GET, SERVICE_FILE),
    Row("portal/service/", None, GET, PORTAL),
    Row("portal/service/files/<int:pk>/", "service_file", GET, SERVICE_FILE),
    Row("portal/service/<str:reference>/", "service_request", GET, PORTAL_OWNED),
    Row("portal/service/<str:reference>/reply/", "service_request", POST, PORTAL_OWNED),
    Row("portal/service/<str:reference>/quote/accept/", "service_request", POST, PORTAL_OWNED),
    Row("portal/service/<str:reference>/quote/decline/", "service_request", POST, PORTAL_OWNED),
    # after-sales: desk
    Row("desk/service/", None, GET, DESK),
    Row("desk/service/from-ticket/<str:reference>/", "ticket", POST, DESK_QUEUE),
    Row("desk/service/<str:reference>/", "service_request", GET, DESK_OWNED),
    Row("desk/service/<str:reference>/review/", "service_request", POST, MANAGERS),
    Row("desk/service/<str:reference>/approve/", "service_request", POST, MANAGERS),
    Row("desk/service/<str:reference>/reject/", "service_request", POST, MANAGERS),
    Row("desk/service/<str:reference>/quote/", "service_request", POST, MANAGERS),
    Row("desk/service/<str:reference>/technician/", "service_request", POST, DESK_OWNED),
    Row("desk/service/<str:reference>/log/", "service_request", POST, DESK_OWNED),
    Row("desk/service/<str:reference>/start/", "service_request", POST, DESK_OWNED),
    Row("desk/service/<str:reference>/complete/", "service_request", POST, DESK_OWNED),
    Row("desk/service/<str:reference>/close/", "service_request", POST, DESK_OWNED),
    # feedback
    Row("survey/<str:token>/", "survey_token", BOTH, SURVEY_TOKEN),
    Row("survey/<str:token>/unsubscribe/", "survey_token", BOTH, SURVEY_TOKEN),
    Row("portal/feedback/", None, GET, CUSTOMERS),
    Row("portal/feedback/new/", None, BOTH, CUSTOMERS),
    Row("portal/feedback/<int:pk>/", "feedback", GET, AUTHOR_ONLY),
    Row("portal/feedback/<int:pk>/screenshot/", "feedback", GET, AUTHOR_ONLY),
    Row("portal/feedback/rate/<str:reference>/", "ticket", POST, AUTHOR_ONLY),
    Row("portal/feedback/rate-service/<str:reference>/", "service_request", POST, AUTHOR_ONLY),
    Row("desk/feedback/", None, GET, DESK),
    Row("desk/feedback/<int:pk>/", "feedback", GET, DESK),
    Row("desk/feedback/<int:pk>/screenshot/", "feedback", GET, DESK),
    Row("desk/feedback/<int:pk>/triage/", "feedback", POST, DESK),
    Row("desk/feedback/<int:pk>/duplicate/", "feedback", POST, DESK),
    Row("desk/feedback/<int:pk>/link/", "feedback", POST, MANAGERS),
    Row("desk/feedback/improvements/", None, BOTH, MANAGERS),
    Row("desk/feedback/improvements/<int:pk>/", "improvement", GET, MANAGERS),
    Row("desk/feedback/improvements/<int:pk>/move/", "improvement", POST, MANAGERS),
    Row("desk/feedback/improvements/<int:pk>/link/", "improvement", POST, MANAGERS),
    Row("desk/feedback/improvements/<int:pk>/verify/", "improvement", POST, MANAGERS),
    Row("desk/feedback/surveys/", None, GET, MANAGERS),
    Row("desk/feedback/surveys/new/", None, BOTH, MANAGERS),
    Row("desk/feedback/surveys/<int:pk>/", "survey", BOTH, MANAGERS),
    # customers and reports
    Row("desk/customers/", None, GET, DESK),
    Row("desk/customers/at-risk/", None, GET, AT_RISK),
    Row("desk/customers/org/<int:pk>/", "organization", GET, DESK),
    Row("desk/customers/org/<int:pk>/health/", "organization", POST, HEALTH),
    Row("desk/customers/person/<int:pk>/", "person", GET, PERSON),
    Row("desk/customers/person/<int:pk>/health/", "person", POST, PERSON_HEALTH),
    Row("reports/", None, GET, MANAGERS),
    Row("reports/support/", None, GET, MANAGERS),
    Row("reports/sla/", None, GET, MANAGERS),
    Row("reports/satisfaction/", None, GET, MANAGERS),
    Row("reports/after-sales/", None, GET, MANAGERS),
    Row("reports/churn/", None, GET, MANAGERS),
    Row("reports/response-time/", None, GET, MANAGERS),
    Row("reports/knowledge-base/", None, GET, MANAGERS),
    Row("reports/feedback/", None, GET, MANAGERS),
    Row("reports/recompute/", None, POST, MANAGERS),
    Row("reports/recompute/progress/", None, GET, MANAGERS),
    Row("reports/<slug:page>/<slug:table>.csv", "report_table", GET, MANAGERS),
    # admin pages beyond the standard ones of each model (those follow the rule in admin_targets)
    Row("admin/accounts/user/<id>/password/", "admin_user", BOTH, ADMINS_ONLY),  # managers may not set passwords
    Row("admin/tickets/intakerecord/<int:pk>/raw/", "failed_inbound", BOTH, ADMIN_SITE),
    Row("admin/otp_totp/totpdevice/<int:pk>/config/", "totp_device", BOTH, ADMINS_ONLY),
    Row("admin/otp_totp/totpdevice/<int:pk>/qrcode/", "totp_device", BOTH, ADMINS_ONLY),
    Row("admin/aftersales/purchase/import/", None, BOTH, ADMIN_SITE),
]

# The suite must not shrink without anyone noticing: the number of requests made, at least.
MIN_CASES = 4000

# ---------------------------------------------------------------------------------------------- the resolver


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str


def endpoints(patterns=None, prefix="", namespace="") -> list[Endpoint]:
    """Every URL pattern of the project, with its full route and namespaced name."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            found += endpoints(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else ""
            found.append(Endpoint(prefix + str(pattern.pattern), name))
    return found


def check_listed(found, rows) -> None:
    """Every pattern is a row of the matrix or an admin page the admin rule knows."""
    listed = {row.route for row in rows}
    unlisted = [e.route for e in found if e.route not in listed and admin_kind(e) is None]
    assert not unlisted, (
        "URL patterns missing from the access matrix (add a row to ROWS in tests/test_access_matrix.py):\n  "
        + "\n  ".join(unlisted))
    known = {e.route for e in found}
    stale = sorted(listed - known)
    assert not stale, "Rows of the access matrix whose URL no longer exists:\n  " + "\n  ".join(stale)


# ---------------------------------------------------------------------------------------------- admin


ADMIN_MODEL_PAGES = {"": "changelist", "add/": "add", "<path:object_id>/history/": "history",
                     "<path:object_id>/delete/": "delete", "<path:object_id>/change/": "change",
                     "<path:object_id>/": "object"}
ADMIN_SITE_PAGES = {"admin:index", "admin:login", "admin:logout", "admin:password_change",
                    "admin:password_change_done", "admin:jsi18n", "admin:autocomplete", "admin:view_on_site",
                    "admin:app_list"}
NOT_STAFF = PERSONAS[:7]


def _registered():
    return {(m._meta.app_label, m._meta.model_name): (m, ma) for m, ma in admin.site._registry.items()}


def admin_kind(endpoint):
    """What the admin rule knows this pattern as: a site page, a model's standard page, the catch-all; or None."""
    if not endpoint.route.startswith("admin/"):
        return None
    if endpoint.name in ADMIN_SITE_PAGES:
        return ("site", endpoint.name)
    if endpoint.route == "admin/(?P<url>.*)$":
        return ("site", "catch-all")
    match = re.fullmatch(r"admin/(\w+)/(\w+)/(.*)", endpoint.route)
    if match and (match[1], match[2]) in _registered() and match[3] in ADMIN_MODEL_PAGES:
        return ("model", (match[1], match[2], ADMIN_MODEL_PAGES[match[3]]))
    return None


def _manager_may(app_label, codename) -> bool:
    return codename in MANAGER_ADMIN_PERMISSIONS.get(app_label, [])


def _staff(manager, admin_user):
    return {**dict.fromkeys(NOT_STAFF, ADMIN_LOGIN), "manager": manager, "admin": admin_user}


@dataclass(frozen=True)
class Target:
    url: str
    methods: tuple
    get: dict
    post: dict
    ends_session: bool = False


def admin_targets(endpoint, world) -> list[Target]:
    """The rule for Django admin: people who are not staff are sent to the admin's sign-in page; a superuser
    may use every page the model's admin offers at all; a manager those of the permissions granted in
    MANAGER_ADMIN_PERMISSIONS (403 otherwise). The detailed per-model limits have their own tests."""
    group, what = admin_kind(endpoint)
    ok = _staff(OK, OK)
    if group == "site":
        if what == "admin:index":
            return [Target("/admin/", BOTH, ok, ok)]
        if what == "admin:login":
            home = redirect("/admin/")
            return [Target("/admin/login/", BOTH, {**PUBLIC, "manager": home, "admin": home}, PUBLIC)]
        if what == "admin:logout":
            to_index = {**dict.fromkeys(NOT_STAFF, redirect("/admin/")), "manager": OK, "admin": OK}
            return [Target("/admin/logout/", POST, to_index, to_index, ends_session=True)]
        if what in ("admin:password_change", "admin:jsi18n", "admin:password_change_done"):
            url = {"admin:password_change": "/admin/password_change/", "admin:jsi18n": "/admin/jsi18n/",
                   "admin:password_change_done": "/admin/password_change/done/"}[what]
            return [Target(url, BOTH if what == "admin:password_change" else GET, ok, ok)]
        if what == "admin:autocomplete":  # without the field it searches for, a request is refused
            refused = _staff(DENY, DENY)
            return [Target("/admin/autocomplete/", GET, refused, refused)]
        if what == "admin:view_on_site":
            from django.contrib.contenttypes.models import ContentType

            from tickets.models import Ticket

            content_type = ContentType.objects.get_for_model(Ticket)
            ticket = world.tickets["A"]
            to_page = _staff(redirect("*"), redirect("*"))
            return [Target(f"/admin/r/{content_type.pk}/{ticket.pk}/", BOTH, to_page, to_page)]
        if what == "admin:app_list":
            targets = []
            for label in re.search(r"\(\?P<app_label>([^)]*)\)", endpoint.route)[1].split("|"):
                granted = any(not c.startswith("import_") for c in MANAGER_ADMIN_PERMISSIONS.get(label, []))
                app_page = _staff(OK if granted else HIDE, OK)  # an app with nothing to show does not exist
                targets.append(Target(f"/admin/{label}/", BOTH, app_page, app_page))
            return targets
        if what == "catch-all":
            missing = _staff(HIDE, HIDE)
            return [Target("/admin/no-such-page/", BOTH, missing, missing)]
    app_label, model_name, page = what
    model, model_admin = _registered()[(app_label, model_name)]
    base = f"/admin/{app_label}/{model_name}/"
    request = RequestFactory().get(base)
    request.user = world.users["admin"]
    if page in ("changelist", "add"):
        obj = None
    else:
        pk = world.admin_objects.get(model._meta.label_lower)
        if pk is None:
            return []  # no row of this model in the world: its object pages cannot be asked for
        obj = model._default_manager.get(pk=pk)
        base = f"{base}{pk}/"

    def may(action):
        """What the model's admin offers a superuser, and whether a manager was granted it too."""
        if action == "view":
            offered = model_admin.has_view_or_change_permission(request, obj)
            granted = _manager_may(app_label, f"view_{model_name}") or _manager_may(app_label,
                                                                                      f"change_{model_name}")
        elif action == "add":
            offered = model_admin.has_add_permission(request)
            granted = _manager_may(app_label, f"add_{model_name}")
        else:
            offered = getattr(model_admin, f"has_{action}_permission")(request, obj)
            granted = _manager_may(app_label, f"{action}_{model_name}")
        return _staff(OK if offered and granted else DENY, OK if offered else DENY)

    if page == "changelist":
        return [Target(base, BOTH, may("view"), may("view"))]
    if page == "add":
        return [Target(base + "add/", BOTH, may("add"), may("add"))]
    if page == "change":
        return [Target(base + "change/", BOTH, may("view"), may("change"))]
    if page == "history":
        return [Target(base + "history/", BOTH, may("view"), may("view"))]
    if page == "delete":
        return [Target(base + "delete/", BOTH, may("delete"), may("delete"))]
    to_change = _staff(redirect(base + "change/"), redirect(base + "change/"))
    return [Target(base, BOTH, to_change, to_change)]


# ---------------------------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    persona: str
    method: str
    url: str
    answer: Answer
    methods: tuple
    where: str  # the route and variant, for the report
    ends_session: bool = False


def _fill(route, kwargs):
    def value(match):
        name = match[1].split(":")[-1]
        assert name in kwargs, f"{route}: the world has no value for <{name}>"
        return str(kwargs[name])

    return "/" + re.sub(r"<([^>]+)>", value, route)


def _row_targets(row, world) -> list[tuple[str, Target]]:
    variants = world.objects[row.kind] if row.kind else {"-": ({}, "")}
    by_variant = set(row.who) <= set(PERSONAS)
    targets = []
    for variant, (kwargs, query) in variants.items():
        get = row.who if by_variant else row.who.get(variant)
        if get is None:
            continue
        post = row.post or get
        if not by_variant and row.post:
            post = row.post[variant]
        url = _fill(row.route, kwargs)
        assert resolve(url).route == row.route, f"{url} does not open {row.route}"
        targets.append((f"{row.route} [{variant}]", Target(url + (f"?{query}" if query else ""), row.methods,
                                                          get, post, row.ends_session)))
    missing = set() if by_variant else set(row.who) - set(variants)
    assert not missing, f"{row.route}: the world has no {row.kind} of variant {missing}"
    return targets


def build_cases(world, rows, found) -> tuple[list[Case], list[str]]:
    """The requests to make, and the admin pages that could not be asked for (no object in the world)."""
    targets = []
    for row in rows:
        targets += _row_targets(row, world)
    listed = {row.route for row in rows}
    skipped = []
    for endpoint in found:
        if endpoint.route in listed or admin_kind(endpoint) is None:
            continue
        admin_pages = admin_targets(endpoint, world)
        skipped += [] if admin_pages else [endpoint.route]
        targets += [(endpoint.route, target) for target in admin_pages]
    cases = []
    for where, target in targets:
        for persona in PERSONAS:
            for method, answers in (("GET", target.get), ("POST", target.post)):
                cases.append(Case(persona, method, target.url, answers[persona], target.methods, where,
                                  target.ends_session))
    return cases, skipped


# ---------------------------------------------------------------------------------------------- requests


class Visitor:
    """One persona's browser: signed in, holding a CSRF cookie, sending its token with every POST."""

    TOKEN_PAGES = ["/accounts/login/", "/portal/tickets/new/", "/desk/tickets/new/"]

    def __init__(self, user):
        self.user = user
        self.client = Client(enforce_csrf_checks=True)
        self.sign_in()

    def sign_in(self):
        if self.user is not None:
            self.client.force_login(self.user)
        for page in self.TOKEN_PAGES:
            finish(self.client.get(page))
            if self.client.cookies.get("csrftoken"):
                return
        raise AssertionError("no page gave a CSRF cookie")

    def request(self, method, url):
        if method == "GET":
            return self.client.get(url)
        return self.client.post(url, headers={"X-CSRFToken": self.client.cookies["csrftoken"].value})


def finish(response):
    """Read a streamed download to its end, so the test client closes its file.

    Not response.close(): called again outside the client, it sends request_finished with the
    connection clean-up attached, and that closes the test's database connection mid-transaction.
    """
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def verdict(case, response) -> str | None:
    """None when the answer is the expected one, else what went wrong."""
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    answer = case.answer
    if case.method not in case.methods:
        if answer.allowed:
            return None if code == 405 else f"expected 405 (the page does not take {case.method}), got {code}"
        return None if code == 405 or answer.matches(response) else f"expected {answer} or 405, got {_got(response)}"
    if answer.allowed:
        if case.method == "GET":
            return None if code == 200 else f"expected 200, got {_got(response)}"
        return None if code not in (403, 405) else f"expected the POST to be taken, got {code}"
    return None if answer.matches(response) else f"expected {answer}, got {_got(response)}"


def _got(response):
    location = response.get("Location")
    return f"{response.status_code} to {location}" if location else str(response.status_code)


@contextmanager
def _quiet():
    """Thousands of expected 403s and 404s: keep them out of the log."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "django.server")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run_cases(world, cases) -> list[str]:
    """Make every request; the failures, as readable lines."""
    with _quiet():
        return _run(world, cases)


def _run(world, cases) -> list[str]:
    visitors = {persona: Visitor(world.users[persona]) for persona in {case.persona for case in cases}}
    failures = []
    for case in cases:
        visitor = visitors[case.persona]
        try:
            response = visitor.request(case.method, case.url)
        except Exception as error:  # a view that raises is a 500 for the person who opened it
            failures.append(f"{case.method} {case.url} as {case.persona}: raised {error!r} ({case.where})")
            continue
        problem = verdict(case, response)
        finish(response)
        if problem:
            failures.append(f"{case.method} {case.url} as {case.persona}: {problem} ({case.where})")
        if case.ends_session and case.method == "POST":
            visitor.sign_in()
    return failures


def check_answers(world, cases) -> None:
    failures = run_cases(world, cases)
    assert not failures, f"{len(failures)} of {len(cases)} requests answered wrongly:\n  " + "\n  ".join(failures)


def fingerprint():
    """The business data a refused POST must leave as it was."""
    from aftersales.models import Purchase, ServiceLog, ServiceRequest
    from care.models import CareTask
    from feedback.models import Feedback, Improvement, Survey, SurveyResponse
    from helpdesk.accounts.models import Organization, User
    from knowledgebase.models import Article, ArticleVote
    from tickets.models import Attachment, Message, Ticket

    rows = {
        Ticket: ["status", "priority", "assignee", "queue", "merged_into", "version"],
        Message: ["ticket"], Attachment: ["message"],
        ServiceRequest: ["status", "technician", "eligibility"], ServiceLog: ["service_request"],
        Purchase: ["customer"], Feedback: ["status", "duplicate_of"], Improvement: ["status"],
        Survey: ["is_active"], SurveyResponse: ["invitation"], CareTask: ["status", "assignee"],
        Organization: ["status", "account_manager"], User: ["is_active", "is_staff", "is_superuser"],
        Article: ["status", "visibility"], ArticleVote: ["article"],
    }
    return {model.__name__: list(model.objects.order_by("pk").values_list("pk", *fields))
            for model, fields in rows.items()}


# ---------------------------------------------------------------------------------------------- tests


@pytest.mark.django_db
def test_every_url_is_in_the_matrix_and_the_matrix_asks_every_persona(capsys):
    found = endpoints()
    check_listed(found, ROWS)
    world = access_matrix_world.build()
    cases, skipped = build_cases(world, ROWS, found)
    with capsys.disabled():
        print(f"\naccess matrix: {len(cases)} requests over {len(found)} URL patterns and {len(PERSONAS)} personas;"
              f" admin object pages without a row to ask for: {len(skipped)}")
    assert len(cases) >= MIN_CASES, f"only {len(cases)} requests: the matrix shrank"
    assert {case.persona for case in cases} == set(PERSONAS)


# One test per persona, each on a world of its own: a failure names the persona, and parallel runs share the work.
@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_the_persona_as_the_matrix_says(persona):
    found = endpoints()
    world = access_matrix_world.build()
    cases = [case for case in build_cases(world, ROWS, found)[0] if case.persona == persona]
    # First every GET and every POST that must be refused; then (data may change) the POSTs the persona may make.
    refused_first = [c for c in cases if c.method == "GET" or not c.answer.allowed]
    allowed_posts = [c for c in cases if c.method == "POST" and c.answer.allowed]
    before = fingerprint()
    failures = run_cases(world, refused_first)
    after = fingerprint()
    changed = [name for name in before if before[name] != after[name]]
    failures += [f"refused requests changed {name} rows" for name in changed]
    failures += run_cases(world, allowed_posts)
    assert not failures, f"{len(failures)} of {len(cases)} requests answered wrongly:\n  " + "\n  ".join(failures)


def _open_door(request):
    return HttpResponse("anyone may read this")


@pytest.fixture
def probe_urls(settings):
    """The project's URLs plus an unprotected page and a protected one, in a temporary URLconf."""
    from helpdesk import urls

    module = types.ModuleType("tests.access_matrix_probe_urls")
    module.urlpatterns = [*urls.urlpatterns, path("desk/open-door/", _open_door),
                          path("desk/closed-door/", agent_required(_open_door))]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    yield
    del sys.modules[module.__name__]


@pytest.mark.django_db
def test_an_unlisted_or_unprotected_page_fails_the_matrix(probe_urls):
    found = endpoints()
    with pytest.raises(AssertionError, match="missing from the access matrix") as unlisted:
        check_listed(found, ROWS)
    assert "desk/open-door/" in str(unlisted.value) and "desk/closed-door/" in str(unlisted.value)

    rows = [*ROWS, Row("desk/open-door/", None, BOTH, DESK), Row("desk/closed-door/", None, BOTH, DESK)]
    check_listed(found, rows)  # listed now
    world = access_matrix_world.people()
    open_cases, _skipped = build_cases(world, rows[-2:-1], [])
    with pytest.raises(AssertionError) as unprotected:
        check_answers(world, open_cases)
    report = str(unprotected.value)
    assert "GET /desk/open-door/ as anonymous: expected 302 to sign-in, got 200" in report
    assert "POST /desk/open-door/ as customer_b: expected 403, got 200" in report
    assert report.startswith("10 of 18 requests")  # anonymous and the four customers, GET and POST

    closed_cases, _skipped = build_cases(world, rows[-1:], [])
    check_answers(world, closed_cases)  # the same page behind the desk's check passes
