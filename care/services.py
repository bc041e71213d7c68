"""Every write of customer care: care tasks (follow-ups and check-ins), logging a check-in, the daily
scheduler of due check-ins, and the follow-up a low survey score asks for."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from care.models import CarePlan, CareTask
from feedback.services import follow_up_assignee
from helpdesk.accounts.models import Organization
from helpdesk.mail.services import email_queue_template


class CareError(Exception):
    """A care task change that cannot be carried out; the message is for the person."""


def care_task_create(*, kind, title, assignee=None, customer=None, organization=None, description="", due_on=None,
                     source=None):
    """Open a care task; for a given source and kind only the first call creates one (safe to repeat)."""
    fields = dict(title=title[:200], assignee=assignee, customer=customer, organization=organization,
                  description=description, due_on=due_on or timezone.localdate())
    if source is None:
        return CareTask.objects.create(kind=kind, **fields), True
    key = {"kind": kind, "source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}
    try:
        with transaction.atomic():
            return CareTask.objects.create(**key, **fields), True
    except IntegrityError:  # made already, by an earlier or a concurrent call
        return CareTask.objects.get(**key), False


def care_task_complete(*, task, by, outcome=""):
    with transaction.atomic():
        task = CareTask.objects.select_for_update().get(pk=task.pk)
        if task.status == CareTask.Status.DONE:
            raise CareError(_("This task is already done."))
        task.status = CareTask.Status.DONE
        task.outcome = outcome.strip()
        task.done_at = timezone.now()
        task.save(update_fields=["status", "outcome", "done_at"])
    return task


# ---------------------------------------------------------------- check-ins


def _next_check_in_on(*, organization, cadence: int, today):
    """When an organisation without an open check-in is next due.

    After a check-in: the follow-up date it asked for, else its done date plus the tier's cadence. Never
    checked in: one cadence after the organisation became a customer, but not before today (an old customer
    added today is due today, not years ago). Never on the date of an earlier check-in: one per date.
    """
    if organization.last_done_at is not None:
        due_on = organization.last_next_on or (timezone.localdate(organization.last_done_at) + timedelta(days=cadence))
    else:
        due_on = max(organization.customer_since + timedelta(days=cadence), today)
    if organization.last_due_on is not None and due_on <= organization.last_due_on:
        due_on = organization.last_due_on + timedelta(days=1)
    return due_on


def _check_in_title(organization, language) -> str:
    with translation.override(language or None):
        return str(_("Check in with %(organization)s") % {"organization": organization.name})[:200]


def _check_in_notify(task) -> None:
    manager = task.assignee
    if manager is None or not manager.email or not manager.is_active:
        return
    email_queue_template(
        to=manager.email,
        template="care/email/check_in_due",
        context={"task": task, "organization": task.organization, "manager": manager,
                 "task_path": reverse("care:care-task", args=[task.pk])},
        language=manager.locale,
        related=task,
    )


def check_ins_create_due(*, today=None) -> int:
    """Open the check-ins that are due and tell each account manager; returns how many were opened.

    Safe to run twice or on two workers at once: the unique (organisation, due date) constraint lets only
    one insert win; the loser's savepoint is rolled back with its e-mail.
    """
    today = today or timezone.localdate()
    cadences = dict(CarePlan.objects.filter(is_active=True).values_list("tier", "check_in_every_days"))
    if not cadences:
        return 0
    check_ins = CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN, organization=OuterRef("pk"))
    last_done = check_ins.filter(status=CareTask.Status.DONE).order_by("-done_at", "-pk")
    candidates = (
        Organization.objects.filter(status=Organization.Status.ACTIVE, tier__in=list(cadences),
                                    account_manager__isnull=False, account_manager__is_active=True)
        .exclude(Exists(check_ins.filter(status=CareTask.Status.OPEN)))
        .annotate(last_done_at=Subquery(last_done.values("done_at")[:1]),
                  last_next_on=Subquery(last_done.values("next_follow_up_on")[:1]),
                  last_due_on=Subquery(check_ins.order_by("-due_on").values("due_on")[:1]))
        .select_related("account_manager")
        .order_by("pk")
    )
    created = 0
    for organization in candidates:
        due_on = _next_check_in_on(organization=organization, cadence=cadences[organization.tier], today=today)
        if due_on > today:
            continue
        manager = organization.account_manager
        try:
            with transaction.atomic():
                task = CareTask.objects.create(
                    kind=CareTask.Kind.CHECK_IN, title=_check_in_title(organization, manager.locale),
                    organization=organization, assignee=manager, due_on=due_on,
                )
                _check_in_notify(task)
        except IntegrityError:  # opened already, by an earlier or a concurrent run
            continue
        created += 1
    return created


def check_in_log(*, task, by, channel, notes="", outcome, next_follow_up_on=None):
    """Record how a check-in went, and open the next one if a follow-up date is given.

    Returns the logged check-in and the next one (or None).
    """
    today = timezone.localdate()
    with transaction.atomic():
        task = CareTask.objects.select_for_update(of=("self",)).select_related("organization").get(pk=task.pk)
        if task.kind != CareTask.Kind.CHECK_IN:
            raise CareError(_("Only a check-in is logged this way."))
        if task.status == CareTask.Status.DONE:
            raise CareError(_("This check-in is already logged."))
        if channel not in CareTask.Channel.values:
            raise CareError(_("Choose how you were in touch: call, e-mail or meeting."))
        if not (outcome or "").strip():
            raise CareError(_("Write down the outcome of the check-in."))
        if next_follow_up_on is not None and next_follow_up_on <= today:
            raise CareError(_("The next follow-up must be after today."))
        task.status = CareTask.Status.DONE
        task.channel = channel
        task.notes = (notes or "").strip()
        task.outcome = outcome.strip()
        task.next_follow_up_on = next_follow_up_on
        task.done_at = timezone.now()
        task.save(update_fields=["status", "channel", "notes", "outcome", "next_follow_up_on", "done_at"])
        follow_up = None
        if next_follow_up_on is not None:
            try:
                with transaction.atomic():
                    follow_up = CareTask.objects.create(
                        kind=CareTask.Kind.CHECK_IN, organization=task.organization, assignee=task.assignee,
                        due_on=next_follow_up_on,
                        title=_check_in_title(task.organization, getattr(task.assignee, "locale", "")),
                    )
            except IntegrityError:
                raise CareError(
                    _("%(organization)s already has a check-in on that date; pick another one.")
                    % {"organization": task.organization.name}
                ) from None
    return task, follow_up


# ---------------------------------------------------------------- follow-ups on feedback


def _survey_subject_label(invitation) -> str:
    if invitation.ticket_id:
        return invitation.ticket.reference
    if invitation.service_request_id:
        return invitation.service_request.reference
    return str(invitation.survey)


def follow_up_for_low_score(*, response, invitation, now=None):
    """Open the follow-up a low survey score asks for: one per response, however often the answer changes.

    Returns ``(task, created)``. Called inside the transaction that saves the answer.
    """
    now = now or timezone.now()
    survey, recipient = invitation.survey, invitation.recipient
    return care_task_create(
        kind=CareTask.Kind.FOLLOW_UP,
        title=_("Low %(kind)s score %(score)s from %(customer)s (%(subject)s)") % {
            "kind": survey.get_kind_display(), "score": response.score, "customer": recipient.get_full_name(),
            "subject": _survey_subject_label(invitation)},
        description=response.comment,
        assignee=follow_up_assignee(invitation),
        customer=recipient,
        organization=invitation.organization or recipient.organization,
        due_on=timezone.localdate(now) + timedelta(days=1),
        source=response,
    )
