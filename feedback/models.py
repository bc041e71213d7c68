"""Surveys after a resolved ticket or a finished service, product feedback, and the improvement backlog."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tickets.models import random_upload_name


class Survey(models.Model):
    class Kind(models.TextChoices):
        CSAT = "csat", _("Customer satisfaction (CSAT)")
        NPS = "nps", _("Net Promoter Score (NPS)")
        CES = "ces", _("Customer effort (CES)")
        CUSTOM = "custom", _("Custom")

    class Trigger(models.TextChoices):
        TICKET_RESOLVED = "ticket_resolved", _("Ticket resolved")
        SERVICE_COMPLETED = "service_completed", _("Service request completed")
        PERIODIC = "periodic", _("Periodic (organisation contacts)")
        MANUAL = "manual", _("Manual")

    class Scale(models.IntegerChoices):
        FIVE = 5, _("1 to 5")
        TEN = 10, _("1 to 10")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CSAT)
    scale = models.PositiveSmallIntegerField(
        _("scale"), choices=Scale.choices, default=Scale.FIVE,
        help_text=_("For CSAT, CES and custom surveys. NPS is always asked from 0 to 10."),
    )
    trigger = models.CharField(_("sent when"), max_length=20, choices=Trigger.choices, default=Trigger.TICKET_RESOLVED)
    delay_hours = models.PositiveIntegerField(_("delay (hours)"), default=1,
                                              help_text=_("How long after the event the invitation goes out."))
    period_days = models.PositiveIntegerField(_("every (days)"), default=90,
                                              help_text=_("For periodic surveys: how often each contact is asked."))
    queue = models.ForeignKey("tickets.Queue", verbose_name=_("only for queue"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    product = models.ForeignKey("aftersales.Product", verbose_name=_("only for product"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    expiry_days = models.PositiveIntegerField(_("answerable for (days)"), default=14)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def score_min(self) -> int:
        return 0 if self.kind == self.Kind.NPS else 1

    @property
    def score_max(self) -> int:
        return 10 if self.kind == self.Kind.NPS else self.scale

    def score_choices(self) -> list[int]:
        return list(range(self.score_min, self.score_max + 1))

    def is_low(self, score) -> bool:
        """A score that calls for a follow-up: an NPS detractor, or the bottom two points of the scale."""
        if score is None:
            return False
        if self.kind == self.Kind.NPS:
            return score <= 6
        return score <= self.score_min + 1

    def score_question(self):
        return next((q for q in self.questions.all() if q.kind == Question.Kind.RATING), None)


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating")
        CHOICE = "choice", _("Single choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RATING)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_zh_hans = models.CharField(_("question (Chinese)"), max_length=300, blank=True)
    choices_en = models.TextField(_("choices (English)"), blank=True, help_text=_("One per line, for single choice."))
    choices_zh_hans = models.TextField(_("choices (Chinese)"), blank=True, help_text=_("One per line, same order."))
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.text_en

    def text_for(self, language=None) -> str:
        language = (language or get_language() or "en").lower()
        if language.startswith("zh") and self.text_zh_hans:
            return self.text_zh_hans
        return self.text_en

    def choices_for(self, language=None) -> list[str]:
        """Choice labels in the language; the stored value is always the English label."""
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        language = (language or get_language() or "en").lower()
        if language.startswith("zh"):
            chinese = [line.strip() for line in self.choices_zh_hans.splitlines() if line.strip()]
            if len(chinese) == len(english):
                return list(zip(english, chinese, strict=True))
        return list(zip(english, english, strict=True))

    @property
    def text(self):
        return self.text_for()


class CustomerSurveyPreference(models.Model):
    """Whether a customer still wants surveys, and when they were last asked (for survey fatigue)."""

    customer = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                                    related_name="survey_preference")
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    last_invited_at = models.DateTimeField(_("last invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey preference")
        verbose_name_plural = _("survey preferences")

    def __str__(self):
        return str(self.customer)


class SurveyInvitation(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="survey_invitations")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, null=True,
                               blank=True, related_name="survey_invitations")
    service_request = models.ForeignKey("aftersales.ServiceRequest", verbose_name=_("service request"),
                                        on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="survey_invitations")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("organisation"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the survey asks about ("ticket:12", "service:7", "contact:3:period:225"): one invitation per survey and key.
    subject_key = models.CharField(_("subject"), max_length=100)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    unsubscribed = models.BooleanField(_("unsubscribed here"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "subject_key"], name="feedback_invitation_once_per_subject"),
        ]
        indexes = [models.Index(fields=["recipient", "created_at"])]

    def __str__(self):
        return f"{self.survey} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("feedback:survey", args=[self.token])

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def subject(self):
        return self.ticket or self.service_request or self.organization


class SurveyResponse(models.Model):
    invitation = models.OneToOneField(SurveyInvitation, verbose_name=_("invitation"), on_delete=models.CASCADE,
                                      related_name="response")
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self):
        return f"{self.invitation}: {self.score}"

    @property
    def is_low(self) -> bool:
        return self.invitation.survey.is_low(self.score)


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+")
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="feedback_answer_once")]

    def __str__(self):
        return f"{self.question}: {self.score if self.score is not None else self.choice or self.text}"


class ProductArea(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FeedbackTag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("feedback tag")
        verbose_name_plural = _("feedback tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


def screenshot_path(instance, filename):
    return random_upload_name("feedback", filename)


class Feedback(models.Model):
    class Kind(models.TextChoices):
        BUG = "bug", _("Bug")
        IDEA = "idea", _("Idea")
        PRAISE = "praise", _("Praise")
        USABILITY = "usability", _("Usability")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        LINKED = "linked", _("Linked to an improvement")
        CLOSED = "closed", _("Closed")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.CASCADE,
                               related_name="product_feedback")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("organisation"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    area = models.ForeignKey(ProductArea, verbose_name=_("product area"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="feedback")
    text = models.TextField(_("your feedback"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    screenshot = models.FileField(_("screenshot"), upload_to=screenshot_path, max_length=255, blank=True)
    screenshot_name = models.CharField(_("screenshot file name"), max_length=255, blank=True)
    screenshot_type = models.CharField(_("screenshot content type"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.NEW)
    tags = models.ManyToManyField(FeedbackTag, verbose_name=_("tags"), blank=True, related_name="feedback")
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="duplicates")
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product feedback")
        verbose_name_plural = _("product feedback")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("feedback:desk-feedback", args=[self.pk])


class Improvement(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        VERIFIED = "verified", _("Verified")

    # One step forward at a time; verification has its own form (the before/after figures).
    TRANSITIONS = {
        Status.PROPOSED: {Status.PLANNED},
        Status.PLANNED: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.SHIPPED},
        Status.SHIPPED: {Status.VERIFIED},
        Status.VERIFIED: set(),
    }

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(ProductArea, verbose_name=_("product area"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="improvements")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PROPOSED)
    feedback = models.ManyToManyField(Feedback, verbose_name=_("feedback"), blank=True, related_name="improvements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    metric_name = models.CharField(_("metric"), max_length=100, blank=True)
    before_value = models.DecimalField(_("before"), max_digits=12, decimal_places=2, null=True, blank=True)
    after_value = models.DecimalField(_("after"), max_digits=12, decimal_places=2, null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("feedback:desk-improvement", args=[self.pk])

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def next_status(self):
        following = self.TRANSITIONS.get(self.status) or set()
        return next(iter(following), None)


class ImprovementNotice(models.Model):
    """The "we built it" e-mail to one customer about one improvement: at most one each."""

    improvement = models.ForeignKey(Improvement, verbose_name=_("improvement"), on_delete=models.CASCADE,
                                    related_name="notices")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("improvement notice")
        verbose_name_plural = _("improvement notices")
        constraints = [
            models.UniqueConstraint(fields=["improvement", "customer"], name="feedback_notice_once_per_customer"),
        ]

    def __str__(self):
        return f"{self.improvement} → {self.customer}"
