"""Assist's actions: train on the desk's history, score a ticket, take a suggestion, count a used answer."""

import threading

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assist import training
from assist.models import TARGETS, AnswerUse, Suggestion, TargetSetting, TrainedModel
from feedback.models import SurveyResponse
from helpdesk.accounts.privacy import FORGOTTEN_DOMAIN, REMOVED
from tickets import services as ticket_services
from tickets.models import Priority, Queue, Ticket

_cache = threading.local()


def min_per_class() -> int:
    return int(getattr(settings, "ASSIST_MIN_PER_CLASS", 200))


def default_threshold() -> float:
    return float(getattr(settings, "ASSIST_DEFAULT_THRESHOLD", 0.9))


def thresholds() -> dict:
    saved = dict(TargetSetting.objects.values_list("target", "threshold"))
    return {target: saved.get(target, default_threshold()) for target in TARGETS}


def ticket_text(subject: str, description: str) -> str:
    return f"{subject}\n{description}"


def training_rows() -> list[dict]:
    """Resolved and closed tickets, never a forgotten customer's (their text is gone, and so is their ticket)."""
    tickets = (Ticket.objects.filter(status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED], merged_into=None)
               .exclude(requester__email__iendswith=f"@{FORGOTTEN_DOMAIN}").exclude(description=REMOVED)
               .values_list("pk", "subject", "description", "created_at", "queue__slug", "priority", "product"))
    scores = {}
    for ticket_id, score, survey_scale in (SurveyResponse.objects.filter(invitation__ticket__isnull=False)
                                           .values_list("invitation__ticket_id", "score", "invitation__survey")):
        scores[ticket_id] = (score, survey_scale)
    low = _low_scores(scores)
    rows = []
    for pk, subject, description, created_at, queue, priority, product in tickets.iterator(chunk_size=2000):
        rows.append({"id": pk, "text": ticket_text(subject, description), "created_at": created_at, "queue": queue,
                     "priority": priority, "product": product,
                     "sentiment": None if pk not in low else ("negative" if low[pk] else "positive")})
    return rows


def _low_scores(scores: dict) -> dict:
    from feedback.models import Survey

    surveys = {survey.pk: survey for survey in Survey.objects.filter(pk__in={s for _v, s in scores.values()})}
    return {pk: surveys[survey].is_low(score) for pk, (score, survey) in scores.items()
            if score is not None and survey in surveys}


def train_models() -> TrainedModel | None:
    rows = training_rows()
    if len(rows) < 2:
        return None
    bundle, report = training.train(rows, targets=(*TARGETS, "sentiment"), min_per_class=min_per_class())
    version = (TrainedModel.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    bundle["version"] = version
    model = TrainedModel.objects.create(version=version, training_size=len(rows), seconds=report["seconds"],
                                        report=report["targets"], artefact=training.dump(bundle))
    # Only the newest few are kept; the page compares against the previous one.
    for old in TrainedModel.objects.order_by("-version")[3:]:
        old.delete()
    return model


def current_bundle() -> dict | None:
    latest = TrainedModel.objects.order_by("-version").values_list("pk", "version", "trained_at").first()
    if latest is None:
        return None
    cached = getattr(_cache, "bundle", None)
    # The row's id, version and time together name one artefact: a version number alone can come back after a
    # restored or rebuilt database, and the process would go on scoring with the old model.
    if cached is None or cached["identity"] != latest:
        model = TrainedModel.objects.get(pk=latest[0])
        cached = training.load(bytes(model.artefact))
        cached["version"] = model.version
        cached["identity"] = latest
        _cache.bundle = cached
    return cached


def score(subject: str, description: str) -> dict:
    """target -> (value, confidence), empty when no model is trained yet."""
    bundle = current_bundle()
    if bundle is None:
        return {}
    return training.predict(bundle, ticket_text(subject, description))


def label_for(target: str, value: str) -> str:
    if target == "queue":
        return Queue.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if target == "priority":
        return str(dict(Priority.choices).get(value, value))
    return value


ACCEPTABLE = ("queue", "priority")  # the ticket page's own update service changes these


def accept_suggestion(*, agent, ticket, suggestion_id: int) -> Suggestion:
    """One click: the agent takes what assist suggested, through the ticket's own update service."""
    suggestion = Suggestion.objects.get(pk=suggestion_id, ticket=ticket, state=Suggestion.State.OPEN,
                                        target__in=ACCEPTABLE)
    changes: dict[str, object] = {}
    if suggestion.target == "queue":
        changes["queue"] = Queue.objects.get(slug=suggestion.value)
    else:
        changes["priority"] = suggestion.value
    with transaction.atomic():
        ticket_services.ticket_update(actor=agent, ticket=ticket, **changes)
        suggestion.state = Suggestion.State.ACCEPTED
        suggestion.save(update_fields=["state"])
    return suggestion


def count_answer_use(*, agent, ticket, source: str, source_id: int) -> AnswerUse:
    return AnswerUse.objects.create(ticket=ticket, agent=agent, source=source, source_id=source_id,
                                    created_at=timezone.now())


CURRENT = {"queue": "ticket__queue__slug", "priority": "ticket__priority", "product": "ticket__product"}


def overrides() -> dict:
    """target -> (values set by assist, of which agents changed since)."""
    out = {}
    for target in TARGETS:
        pairs = list(Suggestion.objects.filter(target=target, state=Suggestion.State.SET).values_list(
            "value", CURRENT[target]))
        out[target] = (len(pairs), sum(1 for value, now in pairs if value != now))
    return out
