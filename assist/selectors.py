"""What assist shows an agent: suggestions, similar tickets (only ones the agent may open), suggested answers,
the frustration signal and the thread summary."""

from django.conf import settings

from assist import insight, llm, services, training
from assist.models import TARGETS, AnswerUse, Suggestion, ThreadSummary, TrainedModel
from knowledgebase.selectors import articles_visible_to
from tickets import selectors as ticket_selectors
from tickets.models import Ticket

RESOLVED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)


def open_suggestions(ticket):
    return list(Suggestion.objects.filter(ticket=ticket, state=Suggestion.State.OPEN,
                                          target__in=services.ACCEPTABLE).order_by("target"))


def set_by_assist(ticket):
    return list(Suggestion.objects.filter(ticket=ticket, state=Suggestion.State.SET).order_by("target"))


def similar_tickets(user, ticket, *, bundle=None, vec=None, limit: int = 5) -> list[Ticket]:
    """The nearest resolved tickets this agent may open (queue membership), with their resolution summaries."""
    bundle = bundle or services.current_bundle()
    if bundle is None:
        return []
    vec = vec if vec is not None else training.vector(bundle, services.ticket_text(ticket.subject, ticket.description))
    ranked = [(pk, score) for pk, score in training.nearest(bundle, vec, limit=60) if pk != ticket.pk]
    visible = {t.pk: t for t in ticket_selectors.tickets_for_agent(user).filter(
        pk__in=[pk for pk, _score in ranked], status__in=RESOLVED).select_related("queue")}
    found = []
    for pk, score in ranked:
        if pk in visible:
            visible[pk].assist_score = score
            found.append(visible[pk])
        if len(found) == limit:
            break
    return found


def suggested_articles(user, ticket, *, bundle, vec, limit: int = 3) -> list:
    articles = list(articles_visible_to(user).only("pk", "title", "slug", "body").order_by("-pk")[:300])
    if not articles:
        return []
    matrix = training._normalised(bundle["vectorizer"].transform([f"{a.title}\n{a.body}" for a in articles]))
    scores = (matrix @ vec.T).toarray().ravel()
    ranked = sorted(zip(scores, range(len(articles)), strict=True), reverse=True)[:limit]
    out = []
    for score, index in ranked:
        if score > 0.05:
            articles[index].assist_score = float(score)
            out.append(articles[index])
    return out


def frustrated(ticket, bundle=None) -> bool:
    customer = [m.body for m in ticket.messages.filter(is_internal=False, from_agent=False).order_by("-pk")[:3]]
    return insight.frustrated("\n".join([ticket.description, *customer]), bundle)[0]


def thread_summary(user, ticket, thread) -> dict | None:
    """The kept summary of a long thread (made again when five more messages came), and how many came since."""
    minimum = int(getattr(settings, "ASSIST_SUMMARY_MIN_MESSAGES", 6))
    public = [m for m in thread if not m.is_internal]
    kept = ThreadSummary.objects.filter(ticket=ticket).first()  # looked up on every page: the same queries
    if len(thread) + 1 < minimum:
        return None
    if kept is None or len(thread) - kept.message_count >= 5:
        sentences, source = None, "local"
        if llm.configured():
            answer = llm.complete(user=user, ticket=ticket, purpose="summary",
                                  prompt="Summarise this support thread in three short sentences: the problem, "
                                         "what was tried, the latest state.",
                                  text=llm.thread_text(ticket, thread))
            if answer:
                sentences, source = [answer], "llm"
        if sentences is None:
            sentences = insight.summary([ticket.description, *[m.body for m in public]])
        kept, _created = ThreadSummary.objects.update_or_create(
            ticket=ticket, defaults={"sentences": sentences, "message_count": len(thread), "source": source})
    return {"sentences": kept.sentences, "since": len(thread) - kept.message_count, "source": kept.source,
            "made_at": kept.made_at}


def dashboard() -> dict:
    model = TrainedModel.objects.order_by("-version").defer("artefact").first()
    limits = services.thresholds()
    overrides = services.overrides()
    rows = []
    for target in (*TARGETS, "sentiment"):
        report = (model.report.get(target) if model else None) or {}
        total, changed = overrides.get(target, (0, 0))
        rows.append({"target": target, "report": report, "threshold": limits.get(target), "auto": total,
                     "overridden": changed, "override_rate": (changed / total) if total else None})
    uses = {source: AnswerUse.objects.filter(source=source).count() for source in AnswerUse.Source.values}
    return {"model": model, "rows": rows, "uses": uses}
