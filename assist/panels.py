"""What assist adds to the desk ticket page: the side panel, the suggested answers by the reply box and the
summary above the thread."""

from django.urls import reverse

from assist import selectors, services, training
from helpdesk.accounts.roles import is_manager
from helpdesk.desk import register_template_hook


def _vectors(ticket):
    bundle = services.current_bundle()
    if bundle is None:
        return None, None
    return bundle, training.vector(bundle, services.ticket_text(ticket.subject, ticket.description))


def desk_ticket_side(request, context):
    ticket = context.get("ticket")
    if ticket is None:
        return {}
    bundle, vec = _vectors(ticket)
    return {
        "assist_suggestions": selectors.open_suggestions(ticket),
        "assist_set": selectors.set_by_assist(ticket),
        "assist_similar": selectors.similar_tickets(request.user, ticket, bundle=bundle, vec=vec) if bundle else [],
        "assist_frustrated": selectors.frustrated(ticket, bundle),
        "assist_trained": bundle is not None,
        "assist_manager": is_manager(request.user),
    }


def desk_reply_tools(request, context):
    ticket = context.get("ticket")
    if ticket is None:
        return {}
    bundle, vec = _vectors(ticket)
    if bundle is None:
        return {"assist_answers": []}
    answers = []
    for article in selectors.suggested_articles(request.user, ticket, bundle=bundle, vec=vec):
        answers.append({"source": "article", "id": article.pk, "title": article.title,
                        "text": f"{article.title}: {request.build_absolute_uri(article.get_absolute_url())}"})
    for similar in selectors.similar_tickets(request.user, ticket, bundle=bundle, vec=vec, limit=3):
        if similar.resolution_summary:
            answers.append({"source": "resolution", "id": similar.pk, "title": similar.subject,
                            "text": similar.resolution_summary})
    return {"assist_answers": answers,
            "assist_used_url": reverse("assist:answer-used", args=[ticket.reference])}


def desk_thread_top(request, context):
    ticket = context.get("ticket")
    if ticket is None:
        return {}
    return {"assist_summary": selectors.thread_summary(request.user, ticket, context.get("thread") or [])}


register_template_hook("desk_ticket_side", "assist/desk/_ticket_side.html", desk_ticket_side, order=30)
register_template_hook("desk_reply_tools", "assist/desk/_reply_tools.html", desk_reply_tools, order=30)
register_template_hook("desk_ticket_thread_top", "assist/desk/_thread_top.html", desk_thread_top, order=10)
