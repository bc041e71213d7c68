"""Everything a customer can leave behind, made through the services as in real use.

``build(customer, tag=…)`` gives the customer tickets (a public reply, an internal note, files on both),
a purchase with its proof, an on-site service request with a file and log entries, answered CSAT and
NPS surveys, product feedback with a screenshot, a deflection, a care task, e-mails in and out and a
failed sign-in. Every text they wrote carries ``tag`` so a test can search the whole database for it.
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
from helpdesk.mail.services import email_queue
from knowledgebase.models import Deflection
from tests.aftersales.factories import ProductFactory
from tests.knowledgebase.factories import make_article
from tickets import services as ticket_services
from tickets.models import IntakeRecord, Priority, Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    customer: object
    tag: str
    tickets: list = field(default_factory=list)
    purchase: object = None
    service_request: object = None
    internal_note: str = ""
    texts: list = field(default_factory=list)  # everything the customer or staff wrote about them
    file_names: list = field(default_factory=list)  # stored names under MEDIA_ROOT
    file_bytes: dict = field(default_factory=dict)  # original name -> content


def _upload(world, name, content):
    world.file_bytes[name] = content
    return SimpleUploadedFile(name, content)


def surveys():
    """A CSAT survey (a rating and a free-text question) and an NPS survey, made once per test."""
    csat, created = Survey.objects.get_or_create(
        name="After a ticket", defaults={"kind": Survey.Kind.CSAT, "scale": 5, "expiry_days": 14,
                                         "trigger": Survey.Trigger.TICKET_RESOLVED})
    if created:
        Question.objects.create(survey=csat, order=1, kind=Question.Kind.RATING, text_en="How satisfied are you?")
        Question.objects.create(survey=csat, order=2, kind=Question.Kind.TEXT, text_en="What could we do better?")
    nps, created = Survey.objects.get_or_create(
        name="Would you recommend us", defaults={"kind": Survey.Kind.NPS, "trigger": Survey.Trigger.MANUAL,
                                                 "expiry_days": 14})
    if created:
        Question.objects.create(survey=nps, order=1, kind=Question.Kind.RATING,
                                text_en="How likely are you to recommend us?")
    return csat, nps


def build(customer, *, tag, agent, queue, csat_score=4, nps_score=9):
    world = World(customer=customer, tag=tag)
    product = ProductFactory(name="SecureGate SG-200", sku="SG-200", warranty_months=24, refund_window_days=30)
    csat, nps = surveys()
    article = make_article()
    short = tag.split("-")[0]  # serial numbers and order references are kept when a customer is forgotten

    first = ticket_services.ticket_create(
        requester=customer, subject=f"{tag} printer jams", description=f"{tag} my printer in room 12 jams.",
        queue=queue, files=[_upload(world, f"{tag}-photo.png", PNG)], notify=False)
    ticket_services.ticket_agent_reply(ticket=first, agent=agent, body=f"{tag} please send the log.",
                                       files=[_upload(world, f"{tag}-guide.pdf", PDF)], notify=False)
    world.internal_note = f"{tag} internal: this customer calls every day"
    ticket_services.ticket_agent_reply(ticket=first, agent=agent, body=world.internal_note, internal=True,
                                       files=[_upload(world, f"{tag}-note.txt", b"internal only")], notify=False)
    ticket_services.ticket_customer_reply(ticket=first, customer=customer, body=f"{tag} here is the log.",
                                          files=[_upload(world, f"{tag}-log.txt", b"log of " + tag.encode())],
                                          notify=False)
    second = ticket_services.ticket_create(
        requester=customer, subject=f"{tag} invoice question", description=f"{tag} the invoice is wrong.",
        queue=queue, priority=Priority.HIGH, notify=False)
    ticket_services.ticket_agent_reply(ticket=second, agent=agent, body=f"{tag} fixed the invoice.",
                                       status=Ticket.Status.RESOLVED, resolution_summary=f"{tag} invoice fixed",
                                       notify=False)
    world.tickets = [first, second]

    world.purchase = aftersales_services.purchase_register(
        customer=customer, product=product, serial_number=f"SN-{short}", order_reference=f"PO-{short}",
        purchase_date=timezone.localdate() - timedelta(days=60), proof=_upload(world, f"{tag}-receipt.pdf", PDF))
    world.service_request = aftersales_services.service_request_submit(
        purchase=world.purchase, requester=customer, kind=ServiceRequest.Kind.ONSITE,
        description=f"{tag} the unit overheats.", onsite_address=f"{tag} 1 Main Street",
        files=[_upload(world, f"{tag}-unit.png", PNG)], notify=False)
    aftersales_services.service_request_add_log(service_request=world.service_request, author=agent,
                                                text=f"{tag} technician booked.")
    aftersales_services.service_request_add_log(service_request=world.service_request, author=agent,
                                                text=f"{tag} internal: gate code 1234", internal=True)

    now = timezone.now()
    for survey, subject_key, score, comment in [
        (csat, f"ticket:{second.pk}", csat_score, f"{tag} quick and friendly"),
        (nps, f"contact:{customer.pk}", nps_score, f"{tag} I tell everyone"),
    ]:
        invitation = SurveyInvitation.objects.create(
            survey=survey, recipient=customer, subject_key=subject_key, token=secrets.token_urlsafe(16),
            ticket=second if survey == csat else None, organization=customer.organization, created_at=now,
            sent_at=now, expires_at=now + timedelta(days=14))
        questions = list(survey.questions.all())
        answers = {questions[0].pk: score}
        if len(questions) > 1:
            answers[questions[1].pk] = f"{tag} answer text"
        feedback_services.response_submit(invitation=invitation, answers=answers, comment=comment)

    feedback_services.feedback_create(author=customer, kind="idea", text=f"{tag} wants dark mode", score=4,
                                      screenshot=(_upload(world, f"{tag}-shot.png", PNG), f"{tag}-shot.png",
                                                  "image/png"))
    Deflection.objects.create(article=article, query=f"{tag} reset password", user=customer)
    care_task_create(kind=CareTask.Kind.FOLLOW_UP, title=f"Call {customer.name} back", customer=customer,
                     organization=customer.organization, description=f"{tag} wants a call")
    email_queue(to=customer.email, subject=f"Hello {customer.name}", text=f"Dear {customer.name}, {tag}.",
                related=first)
    IntakeRecord.objects.create(external_key=f"<{secrets.token_hex(8)}@mail.example>", sender=customer.email,
                                subject=f"{tag} printer jams", outcome=IntakeRecord.Outcome.CREATED, ticket=first)
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username=customer.email, ip_address="192.0.2.7", user_agent="Firefox",
                                 http_accept="*/*", path_info="/accounts/login/", get_data="", post_data="",
                                 failures_since_start=1)
    world.file_names = stored_file_names(customer)
    return world


def stored_file_names(customer) -> list[str]:
    from aftersales.models import Purchase, ServiceFile
    from feedback.models import Feedback
    from tickets.models import Attachment

    names = list(Attachment.objects.filter(message__ticket__requester=customer).values_list("file", flat=True))
    names += list(Purchase.objects.filter(customer=customer).exclude(proof="").values_list("proof", flat=True))
    names += list(ServiceFile.objects.filter(service_request__requester=customer).values_list("file", flat=True))
    names += list(Feedback.objects.filter(author=customer).exclude(screenshot="")
                  .values_list("screenshot", flat=True))
    return names
