from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TARGETS = ("queue", "priority", "product")


class Target(models.TextChoices):
    QUEUE = "queue", _("Queue")
    PRIORITY = "priority", _("Priority")
    PRODUCT = "product", _("Product")
    SENTIMENT = "sentiment", _("Sentiment")


class TrainedModel(models.Model):
    """One nightly training run: the shared text vectors and a classifier per target, as one joblib artefact."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    training_size = models.PositiveIntegerField(_("resolved tickets used"), default=0)
    seconds = models.FloatField(_("training time (s)"), default=0)
    # target -> {"enabled", "reason", "accuracy", "baseline", "held_out", "classes"}
    report = models.JSONField(_("report"), default=dict)
    artefact = models.BinaryField(_("artefact"))

    class Meta:
        verbose_name = _("assist model")
        verbose_name_plural = _("assist models")
        ordering = ["-version"]

    def __str__(self):
        return f"assist v{self.version} ({self.training_size})"


class TargetSetting(models.Model):
    """The confidence above which assist sets a target's value on a new ticket without asking."""

    target = models.CharField(_("target"), max_length=20, choices=Target.choices, unique=True)
    threshold = models.FloatField(_("confidence threshold"), default=0.9)

    class Meta:
        verbose_name = _("assist threshold")
        verbose_name_plural = _("assist thresholds")

    def __str__(self):
        return f"{self.target} ≥ {self.threshold}"


class Suggestion(models.Model):
    """What assist proposed for a ticket, and whether it set it, an agent took it, or an agent changed it."""

    class State(models.TextChoices):
        SET = "set", _("Set by assist")
        OPEN = "open", _("Suggested")
        ACCEPTED = "accepted", _("Taken by an agent")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="assist_suggestions")
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    value = models.CharField(_("value"), max_length=200)
    label = models.CharField(_("shown as"), max_length=200, blank=True)
    confidence = models.FloatField(_("confidence"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    model_version = models.PositiveIntegerField(_("model version"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("assist suggestion")
        verbose_name_plural = _("assist suggestions")
        ordering = ["pk"]
        indexes = [models.Index(fields=["target", "state"])]

    def __str__(self):
        return f"{self.target}={self.value} ({self.confidence:.2f})"


class AnswerUse(models.Model):
    """An agent inserted a suggested answer (an article or a past resolution) into a reply."""

    class Source(models.TextChoices):
        ARTICLE = "article", _("Knowledge base article")
        RESOLUTION = "resolution", _("Past resolution")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_id = models.PositiveIntegerField(_("source id"))
    created_at = models.DateTimeField(_("used"), default=timezone.now)

    class Meta:
        verbose_name = _("suggested answer use")
        verbose_name_plural = _("suggested answer uses")

    def __str__(self):
        return f"{self.source} {self.source_id}"


class LLMCall(models.Model):
    """Every request to the configured language model: who, for which ticket, how much text, how long."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.SET_NULL, null=True, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20)
    characters = models.PositiveIntegerField(_("characters sent"))
    milliseconds = models.PositiveIntegerField(_("duration (ms)"))
    ok = models.BooleanField(_("answered"), default=False)
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("language model call")
        verbose_name_plural = _("language model calls")

    def __str__(self):
        return f"{self.purpose} {self.characters} chars {self.milliseconds} ms"


class ThreadSummary(models.Model):
    """The extractive summary of a long thread, kept so the page can say how many messages came after it."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="assist_summary")
    sentences = models.JSONField(_("sentences"), default=list)
    message_count = models.PositiveIntegerField(_("messages summarised"))
    source = models.CharField(_("made by"), max_length=10, default="local")
    made_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("thread summary")
        verbose_name_plural = _("thread summaries")

    def __str__(self):
        return f"summary of {self.message_count} messages"
