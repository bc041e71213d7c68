"""The tickets group of the desk search: subject, description and every message of the tickets the agent may see.

PostgreSQL matches the ``search_vector`` columns of tickets and messages (GIN-indexed, written by the triggers
of migration 0010_search) and, for part of a word, the subject with a trigram index. SQLite has none of this:
every query word must be in the subject, the description or one of the messages (``icontains``). Chinese words
are cut by jieba on both sides: ``fill_tokens`` keeps the helper columns before every save.
"""

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from helpdesk.desk import SearchGroup, register_search_group
from helpdesk.textsearch import SearchTerms, highlight, segment
from tickets import selectors
from tickets.models import TICKET_REFERENCE, Message, Ticket

STATUS_FILTERS = {
    "active": Ticket.ACTIVE_STATUSES,
    "resolved": (Ticket.Status.RESOLVED,),
    "closed": (Ticket.Status.CLOSED,),
}


def fill_tokens(sender, instance, **kwargs):
    if sender is Ticket:
        instance.subject_tokens = segment(instance.subject)
        instance.description_tokens = segment(instance.description)
    elif sender is Message:
        instance.body_tokens = segment(instance.body)


pre_save.connect(fill_tokens, sender=Ticket, dispatch_uid="tickets.search.ticket_tokens")
pre_save.connect(fill_tokens, sender=Message, dispatch_uid="tickets.search.message_tokens")


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def text_query(terms: SearchTerms):
    """The PostgreSQL query: the English words (stemmed, as typed in a web search) and the Chinese words."""
    query = None
    if terms.english_words:
        query = SearchQuery(terms.english, config="english", search_type="websearch")
    if terms.chinese:
        chinese = SearchQuery(" ".join(terms.chinese), config="simple", search_type="plain")
        query = chinese if query is None else query & chinese
    return query


def visible_messages(user):
    """The messages whose text this user may search: every message for the desk, which shows internal notes."""
    return Message.objects.all()


def matching_tickets(user, terms: SearchTerms, *, status: str = ""):
    """The tickets the agent may see (``selectors.tickets_for_agent``) that match, most recently updated first."""
    tickets = selectors.tickets_for_agent(user)
    if status in STATUS_FILTERS:
        tickets = tickets.filter(status__in=STATUS_FILTERS[status])
    if terms.is_empty:
        return tickets.none()
    messages = visible_messages(user)
    if uses_postgres():
        query = text_query(terms)
        # Each half uses its own GIN index (a bitmap OR with the subject's trigram index); the union of ids is then
        # narrowed to what the agent may see.
        match = Q(search_vector=query)
        if len(terms.text) >= 3:
            match |= Q(subject__icontains=terms.text)
        by_text = Ticket.objects.filter(match).order_by().values("pk")
        by_message = messages.filter(search_vector=query).order_by().values("ticket_id")
        tickets = tickets.filter(pk__in=by_text.union(by_message))
    else:
        for term in terms.terms:
            tickets = tickets.filter(
                Q(subject__icontains=term) | Q(description__icontains=term)
                | Q(pk__in=messages.filter(body__icontains=term).values("ticket_id"))
            )
    return tickets.select_related("queue", "requester", "assignee").order_by("-updated_at", "-pk")


def first_matches(user, tickets, terms: SearchTerms) -> dict:
    """For each ticket, the first of its messages that matches (one query for the page)."""
    messages = visible_messages(user).filter(ticket__in=[ticket.pk for ticket in tickets])
    if uses_postgres():
        messages = messages.filter(search_vector=text_query(terms))
    else:
        condition = Q()
        for term in terms.terms:
            condition &= Q(body__icontains=term)
        messages = messages.filter(condition)
    found = {}
    for message in messages.only("pk", "ticket_id", "body", "is_internal").order_by("created_at", "pk"):
        found.setdefault(message.ticket_id, message)
    return found


def search(request, terms):
    return matching_tickets(request.user, terms, status=request.GET.get("status", ""))


def describe(request, tickets, terms):
    tickets = list(tickets)
    matches = first_matches(request.user, tickets, terms)
    rows = []
    for ticket in tickets:
        message = matches.get(ticket.pk)
        text = message.body if message else ticket.description
        rows.append({
            "url": ticket.get_absolute_url(),
            "title": highlight(ticket.subject, terms, length=200),
            "reference": ticket.reference,
            "snippet": highlight(text, terms),
            "internal": bool(message and message.is_internal),
            "meta": [ticket.get_status_display(), ticket.queue.name, str(ticket.requester)],
        })
    return rows


def jump(request, text):
    """An exact ticket reference (HD-000123) the agent may see opens that ticket."""
    text = text.strip()
    pk = Ticket.pk_from_reference(text) if text.upper().startswith(TICKET_REFERENCE.prefix) else None
    if pk is None:
        return None
    ticket = selectors.tickets_for_agent(request.user).filter(pk=pk).first()
    return ticket.get_absolute_url() if ticket else None


register_search_group(SearchGroup(
    key="tickets", title=_("Tickets"), search=search, describe=describe, order=10, jump=jump,
    filters_template="tickets/search/_status_filter.html",
))
