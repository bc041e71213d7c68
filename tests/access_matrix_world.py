"""One world of people and objects for the access matrix (tests/test_access_matrix.py).

Nine personas, and for every kind of object a URL can name, the values of its URL arguments in
*variants*:

- ``A``: belongs to ``customer_a`` (organisation A, which ``primary_a`` is the primary contact of), lives in
  queue X (``agent_x``), and organisation A is managed by ``agent_x``;
- ``B``: belongs to ``customer_b`` (organisation B), lives in queue Y (``agent_y``); B has no account manager;
- a few kinds have their own variants (``note``: a file on an internal note; ``internal``/``draft``
  knowledge-base articles; ``solo``: a customer without an organisation).

Everything is made through the services where they exist, as in real use, with e-mail switched off.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales import services as aftersales_services
from aftersales.models import ServiceRequest
from care.models import CareTask
from care.services import care_task_create
from feedback import services as feedback_services
from feedback.models import Question, Survey, SurveyInvitation
from helpdesk.accounts.models import Organization
from knowledgebase.models import Article
from tests.aftersales.factories import ProductFactory
from tests.factories import AgentFactory, CustomerFactory, ManagerFactory, OrganizationFactory, UserFactory
from tests.knowledgebase.factories import make_article, make_category
from tests.tickets.factories import QueueFactory
from tickets import services as ticket_services
from tickets.models import Attachment, CannedResponse, IntakeRecord

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSONAS = ("anonymous", "customer_a", "customer_a2", "primary_a", "customer_b",
            "agent_x", "agent_y", "manager", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)  # persona -> User (anonymous: None)
    # kind -> variant -> (URL kwargs, query string)
    objects: dict = field(default_factory=dict)
    # label_lower of a model -> pk of one row, for the admin's object pages
    admin_objects: dict = field(default_factory=dict)
    tickets: dict = field(default_factory=dict)  # variant -> Ticket

    def add(self, kind, variant, query="", **kwargs):
        self.objects.setdefault(kind, {})[variant] = (kwargs, query)


def _png(name):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _people(world):
    org_a = OrganizationFactory(name="Acme", email_domain="acme.example", tier=Organization.Tier.VIP)
    org_b = OrganizationFactory(name="Globex", email_domain="globex.example")
    users = {
        "anonymous": None,
        "customer_a": CustomerFactory(email="alice@acme.example", name="Alice A", organization=org_a),
        "customer_a2": CustomerFactory(email="bob@acme.example", name="Bob A", organization=org_a),
        "primary_a": CustomerFactory(email="pat@acme.example", name="Pat Primary", organization=org_a,
                                     is_primary_contact=True),
        "customer_b": CustomerFactory(email="carol@globex.example", name="Carol B", organization=org_b,
                                      is_primary_contact=True),
        "agent_x": AgentFactory(email="agent1@example.com", name="Alex Agent"),
        "agent_y": AgentFactory(email="agent2@example.com", name="Sam Agent"),
        "manager": ManagerFactory(email="manager@example.com", name="Morgan Manager"),
        "admin": UserFactory(email="admin@example.com", name="Ada Admin", is_superuser=True, is_staff=True,
                             roles=[]),
    }
    org_a.account_manager = users["agent_x"]
    org_a.save(update_fields=["account_manager"])
    world.users = users
    return org_a, org_b


def _tickets(world, queue_x, queue_y):
    users = world.users
    for variant, customer, queue, agent in [("A", users["customer_a"], queue_x, users["agent_x"]),
                                            ("B", users["customer_b"], queue_y, users["agent_y"])]:
        ticket = ticket_services.ticket_create(
            requester=customer, subject=f"Printer {variant} jams", description="It jams every morning.",
            queue=queue, files=[_png(f"photo-{variant}.png")], notify=False)
        ticket_services.ticket_agent_reply(ticket=ticket, agent=agent, body="Internal: calls every day.",
                                           internal=True, files=[_pdf(f"note-{variant}.pdf")], notify=False)
        ticket_services.ticket_agent_reply(ticket=ticket, agent=agent, body="Please send the log.", notify=False)
        world.add("ticket", variant, reference=ticket.reference)
        public = Attachment.objects.get(message__ticket=ticket, message__is_internal=False)
        world.add("attachment", variant, pk=public.pk)
        if variant == "A":
            note = Attachment.objects.get(message__ticket=ticket, message__is_internal=True)
            world.add("attachment", "note", pk=note.pk)
        canned = CannedResponse.objects.create(title=f"Greeting {variant}", body="Hello {customer_name}",
                                               queue=queue)
        world.add("canned", variant, query=f"ticket={ticket.reference}", pk=canned.pk)
        suspended = IntakeRecord.objects.create(
            external_key=f"<held-{variant}@example.com>", outcome=IntakeRecord.Outcome.SUSPENDED, queue=queue,
            sender=agent.email, subject="Re: invoice", reason="Claims a staff address; not verified",
            raw=f"From: {agent.email}\r\nSubject: Re: invoice\r\nMessage-ID: <held-{variant}@example.com>\r\n"
                f"\r\nPay to this account.\r\n".encode())
        world.add("suspended", variant, pk=suspended.pk)
        world.tickets[variant] = ticket


def _after_sales(world):
    users = world.users
    product = ProductFactory(name="SecureGate SG-200", sku="SG-200", warranty_months=24, refund_window_days=30)
    for variant, customer in [("A", users["customer_a"]), ("B", users["customer_b"])]:
        purchase = aftersales_services.purchase_register(
            customer=customer, product=product, serial_number=f"SN-{variant}-1", order_reference=f"PO-{variant}",
            purchase_date=timezone.localdate() - timedelta(days=60), proof=_pdf(f"receipt-{variant}.pdf"))
        service_request = aftersales_services.service_request_submit(
            purchase=purchase, requester=customer, kind=ServiceRequest.Kind.REPAIR,
            description="The unit overheats.", files=[_png(f"unit-{variant}.png")], notify=False)
        world.add("purchase", variant, pk=purchase.pk)
        world.add("service_request", variant, reference=service_request.reference)
        world.add("service_file", variant, pk=service_request.files.get().pk)


def _feedback(world):
    users = world.users
    survey = Survey.objects.create(name="After a ticket", kind=Survey.Kind.CSAT, scale=5,
                                   trigger=Survey.Trigger.TICKET_RESOLVED, expiry_days=14)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING, text_en="How satisfied are you?")
    world.add("survey", "A", pk=survey.pk)
    now = timezone.now()
    for variant, customer in [("A", users["customer_a"]), ("B", users["customer_b"])]:
        ticket = world.tickets[variant]
        invitation = SurveyInvitation.objects.create(
            survey=survey, recipient=customer, subject_key=f"ticket:{ticket.pk}", token=secrets.token_urlsafe(16),
            ticket=ticket, organization=customer.organization, created_at=now, sent_at=now,
            expires_at=now + timedelta(days=14))
        world.add("survey_token", variant, token=invitation.token)
        feedback = feedback_services.feedback_create(
            author=customer, kind="idea", text=f"Dark mode please ({variant})", score=4,
            screenshot=(_png(f"shot-{variant}.png"), f"shot-{variant}.png", "image/png"))
        world.add("feedback", variant, pk=feedback.pk)
    improvement = feedback_services.improvement_create(title="Dark mode", by=users["manager"])
    world.add("improvement", "A", pk=improvement.pk)


def _knowledge_base(world):
    category = make_category("Printing")
    world.add("category", "A", slug=category.slug)
    for variant, fields in [("public", {}),
                            ("internal", {"visibility": Article.Visibility.INTERNAL}),
                            ("draft", {"status": Article.Status.DRAFT})]:
        article = make_article(f"Clearing a paper jam ({variant})", category=category, **fields)
        world.add("article", variant, slug=article.slug)
        world.add("article_pk", variant, pk=article.pk)
        world.add("revision", variant, pk=article.pk, number=article.revisions.order_by("number").first().number)


def _customer_care(world, org_a, org_b):
    users = world.users
    task_a, _created = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call Alice back",
                                        assignee=users["agent_x"], customer=users["customer_a"],
                                        organization=org_a)
    task_b, _created = care_task_create(kind=CareTask.Kind.FOLLOW_UP, title="Call Carol back",
                                        assignee=users["agent_y"], customer=users["customer_b"],
                                        organization=org_b)
    world.add("care_task", "A", pk=task_a.pk)
    world.add("care_task", "B", pk=task_b.pk)
    world.add("organization", "A", pk=org_a.pk)
    world.add("organization", "B", pk=org_b.pk)
    solo = CustomerFactory(email="sole@trader.example", name="Sole Trader")
    world.add("person", "A", pk=users["customer_a"].pk)
    world.add("person", "solo", pk=solo.pk)


def _admin_objects(world):
    """One row of every model registered in the admin (those the world made), for its object pages."""
    from django.contrib import admin

    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if row is not None:
            world.admin_objects[model._meta.label_lower] = row
    # A customer's row, not a superuser's: what a manager may touch is the admin test's subject.
    world.admin_objects["accounts.user"] = world.users["customer_a"].pk


def build() -> World:
    world = World()
    org_a, org_b = _people(world)
    queue_x = QueueFactory(name="Queue X", slug="queue-x")
    queue_x.members.add(world.users["agent_x"])
    queue_y = QueueFactory(name="Queue Y", slug="queue-y")
    queue_y.members.add(world.users["agent_y"])
    _tickets(world, queue_x, queue_y)
    _after_sales(world)
    _feedback(world)
    _knowledge_base(world)
    _customer_care(world, org_a, org_b)
    # Links whose token is wrong: every persona must get the "invalid link" answer, never a sign-in.
    world.add("bad_link", "A", uidb64="MTIzNDU2", token="not-a-token")
    world.add("report_table", "A", page="support", table="queues")
    world.add("admin_user", "A", id=world.users["customer_a"].pk)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Someone who is not a persona: a persona with an authenticator would be asked for codes everywhere.
    holder = CustomerFactory(email="phone@holder.example", name="Phone Holder")
    device = TOTPDevice.objects.create(user=holder, name="Phone", confirmed=True)
    world.add("totp_device", "A", pk=device.pk)
    failed = IntakeRecord.objects.create(external_key="<failed@mail.example>", outcome=IntakeRecord.Outcome.FAILED,
                                         raw=b"From: someone@example.org\r\n\r\nHello\r\n")
    world.add("failed_inbound", "A", pk=failed.pk)
    _admin_objects(world)
    return world


def people() -> World:
    """Only the nine personas, for tests that need no objects."""
    world = World()
    _people(world)
    return world
