"""What the knowledge base does when something happens in the tickets app."""

from knowledgebase import services


def ticket_created(sender, ticket, **kwargs):
    """A ticket from someone who opened a suggested article shortly before: that suggestion did not deflect it."""
    services.deflection_candidates_convert(ticket=ticket)
