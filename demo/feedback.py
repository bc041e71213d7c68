"""Demo data for ``seed_demo``: three surveys with answers, ~50 product feedback items and 8 improvements.

Runs after the tickets and after-sales stories (``seed_demo`` plays them in that order), so it rates their
resolved tickets and completed service requests. Rows are written in bulk and nothing is e-mailed; a
fixed random seed makes every demo database look the same.
"""

import random
import secrets
import time
from datetime import timedelta

from django.utils import timezone

from aftersales.models import ServiceRequest
from care.models import CareTask
from care.services import care_task_create
from feedback.models import (
    Feedback,
    FeedbackTag,
    Improvement,
    ImprovementNotice,
    ProductArea,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from feedback.services import follow_up_assignee
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from tickets.models import Ticket

RANDOM_SEED = 7315
FIVE_POINT = [5] * 52 + [4] * 28 + [3] * 10 + [2] * 6 + [1] * 4
NPS_POINTS = [10] * 30 + [9] * 22 + [8] * 18 + [7] * 12 + [6] * 8 + [5] * 5 + [3] * 5
COMMENTS_HIGH = ["Quick and friendly, thank you!", "Solved on the first reply.", "Very clear explanation.",
                 "", "", "", "Great support as always.", "The agent went the extra mile."]
COMMENTS_LOW = ["It took far too long to get an answer.", "I had to explain the problem three times.",
                "The fix did not work, I had to reopen.", "Nobody called me back as promised."]
AREAS = ["Dashboard", "Reports", "Billing", "Mobile app", "Integrations", "Search", "User management", "Firmware"]
FEEDBACK = [
    ("idea", "Reports", "Let us export reports as CSV or Excel."),
    ("idea", "Reports", "Schedule a weekly report by e-mail."),
    ("bug", "Dashboard", "The dashboard chart shows yesterday twice after midnight."),
    ("usability", "Dashboard", "It is hard to find where to change the date range."),
    ("praise", "Mobile app", "The new mobile app is fast and lovely to use."),
    ("bug", "Mobile app", "The app logs me out every time I switch to another app."),
    ("idea", "Integrations", "Please add a Slack integration for alerts."),
    ("idea", "Integrations", "A webhook when a licence is about to expire would help."),
    ("bug", "Billing", "The invoice PDF shows the wrong VAT number."),
    ("usability", "Billing", "I cannot tell which plan I am on from the billing page."),
    ("idea", "Search", "Search should find tickets by serial number."),
    ("bug", "Search", "Search results ignore accents: “resume” does not find “résumé”."),
    ("usability", "User management", "Inviting ten colleagues one by one takes ages; allow a list."),
    ("idea", "User management", "Single sign-on with our Azure AD, please."),
    ("bug", "Firmware", "After firmware 4.2 the VPN drops every night at 2 a.m."),
    ("praise", "Firmware", "Firmware 4.3 fixed our throughput issue, thanks!"),
    ("usability", "Dashboard", "Dark mode would be easier on the eyes at night."),
    ("praise", "Reports", "The new report builder saves me an hour every week."),
]
IMPROVEMENTS = [  # title, area, status, indexes of FEEDBACK texts it answers
    ("CSV and Excel export for reports", "Reports", "verified", [0]),
    ("Stay signed in on the mobile app", "Mobile app", "shipped", [5]),
    ("Slack alerts", "Integrations", "in_progress", [6]),
    ("Bulk invite users", "User management", "planned", [12]),
    ("Accent-insensitive search", "Search", "shipped", [11]),
    ("Clearer plan summary on the billing page", "Billing", "proposed", [9]),
    ("Dark mode", "Dashboard", "planned", [16]),
    ("Scheduled reports by e-mail", "Reports", "proposed", [1]),
]


def _customers():
    return list(User.objects.filter(groups__name=Role.CUSTOMER, is_active=True).select_related("organization")
                .order_by("pk"))


def _surveys():
    csat = Survey.objects.create(name="Support satisfaction", kind=Survey.Kind.CSAT, scale=5,
                                 trigger=Survey.Trigger.TICKET_RESOLVED, delay_hours=2, expiry_days=14)
    Question.objects.create(survey=csat, order=1, kind=Question.Kind.RATING,
                            text_en="How satisfied are you with the support you received?",
                            text_zh_hans="您对获得的支持满意吗？")
    Question.objects.create(survey=csat, order=2, kind=Question.Kind.CHOICE,
                            text_en="Was your problem solved?", text_zh_hans="您的问题解决了吗？",
                            choices_en="Yes\nPartly\nNo", choices_zh_hans="是\n部分解决\n否")
    service = Survey.objects.create(name="After-sales service", kind=Survey.Kind.CSAT, scale=5,
                                    trigger=Survey.Trigger.SERVICE_COMPLETED, delay_hours=24, expiry_days=21)
    Question.objects.create(survey=service, order=1, kind=Question.Kind.RATING,
                            text_en="How satisfied are you with the service on your product?",
                            text_zh_hans="您对产品的售后服务满意吗？")
    nps = Survey.objects.create(name="Quarterly relationship (NPS)", kind=Survey.Kind.NPS,
                                trigger=Survey.Trigger.PERIODIC, period_days=90, expiry_days=30)
    Question.objects.create(survey=nps, order=1, kind=Question.Kind.RATING,
                            text_en="How likely are you to recommend us to a friend or colleague?",
                            text_zh_hans="您向朋友或同事推荐我们的可能性有多大？")
    Question.objects.create(survey=nps, order=2, kind=Question.Kind.TEXT,
                            text_en="What is the main reason for your score?",
                            text_zh_hans="您打这个分数的主要原因是什么？")
    return csat, service, nps


def _invite(rng, survey, subjects, points, now):
    """subjects: (recipient, ticket, service_request, organization, key, moment). Returns the low responses."""
    invitations, answered = [], []
    for recipient, ticket, service_request, organization, key, moment in subjects:
        sent = moment + timedelta(hours=survey.delay_hours)
        if sent > now:
            continue
        invitation = SurveyInvitation(survey=survey, recipient=recipient, ticket=ticket,
                                      service_request=service_request, organization=organization, subject_key=key,
                                      token=secrets.token_urlsafe(32), created_at=sent, sent_at=sent,
                                      expires_at=sent + timedelta(days=survey.expiry_days))
        if rng.random() < 0.68:
            invitation.responded_at = min(sent + timedelta(hours=rng.randint(1, 40)), now)
            answered.append(invitation)
        invitations.append(invitation)
    SurveyInvitation.objects.bulk_create(invitations)
    responses = []
    for invitation in answered:
        score = rng.choice(points)
        low = survey.is_low(score)
        comment = rng.choice(COMMENTS_LOW) if low else rng.choice(COMMENTS_HIGH)
        responses.append(SurveyResponse(invitation=invitation, score=score, comment=comment,
                                        submitted_at=invitation.responded_at, updated_at=invitation.responded_at))
    SurveyResponse.objects.bulk_create(responses)
    return [response for response in responses if survey.is_low(response.score)]


def _follow_ups(low_responses, now):
    for response in low_responses:
        invitation = response.invitation
        recipient = invitation.recipient
        task, _created = care_task_create(
            kind=CareTask.Kind.FOLLOW_UP,
            title=f"Low {invitation.survey.get_kind_display()} score {response.score} from {recipient.get_full_name()}",
            description=response.comment, assignee=follow_up_assignee(invitation), customer=recipient,
            organization=invitation.organization or recipient.organization,
            due_on=timezone.localdate(response.submitted_at) + timedelta(days=1), source=response)
        if response.submitted_at < now - timedelta(days=10):  # older ones were called back already
            CareTask.objects.filter(pk=task.pk).update(status=CareTask.Status.DONE, done_at=now,
                                                       outcome="Called the customer; issue explained.")


def _feedback(rng, customers, now):
    areas = {name: ProductArea.objects.create(name=name) for name in AREAS}
    tags = {name: FeedbackTag.objects.create(name=name) for name in ["quick win", "enterprise", "regression", "ux"]}
    items = []
    for n in range(50):
        kind, area, text = FEEDBACK[n % len(FEEDBACK)]
        author = customers[(n * 7) % len(customers)]
        created = now - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 23))
        status = rng.choice(["new", "new", "new", "acknowledged", "acknowledged", "closed"])
        items.append(Feedback(author=author, organization=author.organization, kind=kind, area=areas[area],
                              text=text,
                              score=rng.choice([None, None, 2, 3, 4, 5]), status=status, created_at=created))
    Feedback.objects.bulk_create(items)
    originals = items[:len(FEEDBACK)]
    for item in items[len(FEEDBACK):]:
        if rng.random() < 0.5:  # a repeat of an earlier idea, folded into it
            item.duplicate_of = originals[items.index(item) % len(FEEDBACK)]
            item.status = Feedback.Status.CLOSED
    Feedback.objects.bulk_update(items, ["duplicate_of", "status"])
    for item in items[::4]:
        item.tags.add(rng.choice(list(tags.values())))
    return areas, originals


def _improvements(areas, originals, manager, now):
    for index, (title, area, status, answers) in enumerate(IMPROVEMENTS):
        shipped = now - timedelta(days=35 - index) if status in ("shipped", "verified") else None
        improvement = Improvement.objects.create(
            title=title, area=areas[area], status=status, created_by=manager, shipped_at=shipped,
            description=f"Customers asked for it: {originals[answers[0]].text}",
            created_at=now - timedelta(days=60 - index),
        )
        linked = [originals[i] for i in answers]
        improvement.feedback.add(*linked)
        Feedback.objects.filter(pk__in=[item.pk for item in linked]).update(status=Feedback.Status.LINKED)
        if shipped:  # the "we built it" e-mails went out when it shipped
            authors = {item.author_id for item in linked} | set(
                Feedback.objects.filter(duplicate_of__in=linked).values_list("author_id", flat=True))
            ImprovementNotice.objects.bulk_create(
                [ImprovementNotice(improvement=improvement, customer_id=pk, created_at=shipped) for pk in authors])
        if status == "verified":
            Improvement.objects.filter(pk=improvement.pk).update(
                verified_at=shipped + timedelta(days=30), metric_name="Feedback about Reports in 30 days",
                before_value=6, after_value=1, verification_note="Export requests stopped after the release.")


def seed(*, users, organizations, stdout=None):
    """Add the feedback demo unless surveys exist already."""
    if Survey.objects.exists():
        return
    started = time.monotonic()
    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    customers = _customers()
    if not customers:
        return
    csat, service, nps = _surveys()
    tickets = (Ticket.objects.filter(status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED],
                                     resolved_at__isnull=False, requester__groups__name=Role.CUSTOMER)
               .select_related("requester", "organization", "queue__manager", "assignee").order_by("pk"))
    low = _invite(rng, csat, [(t.requester, t, None, t.organization, f"ticket:{t.pk}", t.resolved_at)
                              for t in tickets], FIVE_POINT, now)
    requests = (ServiceRequest.objects.filter(completed_at__isnull=False)
                .select_related("requester", "organization", "ticket__queue", "technician").order_by("pk"))
    low += _invite(rng, service, [(r.requester, None, r, r.organization, f"service:{r.pk}", r.completed_at)
                                  for r in requests], FIVE_POINT, now)
    period = (now - timedelta(days=20)).date().toordinal() // nps.period_days
    contacts = [c for c in customers if c.is_primary_contact and c.organization_id]
    low += _invite(rng, nps, [(c, None, None, c.organization, f"contact:{c.pk}:period:{period}",
                               now - timedelta(days=20)) for c in contacts], NPS_POINTS, now)
    _follow_ups(low, now)
    areas, originals = _feedback(rng, customers, now)
    manager = next((u for u in users.values() if u.groups.filter(name=Role.MANAGER).exists()), None)
    _improvements(areas, originals, manager, now)
    if stdout is not None:
        stdout.write(f"Added 3 demo surveys with {SurveyResponse.objects.count()} answers, "
                     f"{Feedback.objects.count()} feedback items and {len(IMPROVEMENTS)} improvements "
                     f"({time.monotonic() - started:.1f} s).")
