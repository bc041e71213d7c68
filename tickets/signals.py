"""What happened to tickets, for the apps above this one. A signal is declared here only while some app
receives it: ticket_created, for the knowledge base's "articles that would have answered it"."""

from django.dispatch import Signal

ticket_created = Signal()  # sender=Ticket, ticket=…
