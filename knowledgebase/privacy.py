"""Data protection: what this app exports about a customer and how it forgets them.

Export: the customer's "was this helpful?" votes, the "this answered my question" clicks and the
suggested articles they opened from the new-ticket form, with what they had typed.
Forget: what they typed is removed and those rows are detached from the account. Votes stay on the
(now anonymous) account: a yes or no says nothing about a person, and the helpful counts must not move.
"""

from django.dispatch import receiver

from helpdesk.accounts.signals import privacy_export, privacy_forget
from knowledgebase.models import ArticleVote, Deflection, DeflectionCandidate
from tickets.models import Ticket


@receiver(privacy_export, dispatch_uid="knowledgebase.privacy.export")
def export_knowledgebase(sender, user, **kwargs):
    votes = list(ArticleVote.objects.filter(user=user).order_by("created_at", "pk")
                 .values("article__title", "helpful", "created_at", "updated_at"))
    deflections = list(Deflection.objects.filter(user=user).order_by("created_at", "pk")
                       .values("article__title", "query", "created_at"))
    opened = list(DeflectionCandidate.objects.filter(user=user).order_by("opened_at", "pk")
                  .values("article__title", "query", "opened_at", "converted_ticket_id", "converted_at", "confirmed"))
    for row in opened:
        ticket_id = row.pop("converted_ticket_id")
        row["ticket_submitted"] = Ticket(pk=ticket_id).reference if ticket_id else None
    rename = {"article__title": "article"}
    return {
        "article_votes": [{rename.get(key, key): value for key, value in row.items()} for row in votes],
        "article_deflections": [{rename.get(key, key): value for key, value in row.items()} for row in deflections],
        "articles_opened": [{rename.get(key, key): value for key, value in row.items()} for row in opened],
    }


@receiver(privacy_forget, dispatch_uid="knowledgebase.privacy.forget")
def forget_knowledgebase(sender, user, **kwargs):
    deflections = Deflection.objects.filter(user=user).update(query="", user=None)
    opened = DeflectionCandidate.objects.filter(user=user).update(query="", user=None)
    return {"article_deflections": deflections, "articles_opened": opened}
