import factory
from django.utils import timezone

from tests.factories import CustomerFactory
from tickets.models import Message, Queue, Ticket


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Queue {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket with its opening message, made without services (no SLA, no e-mail)."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Problem number {n}")
    description = "It does not work."
    requester = factory.SubFactory(CustomerFactory)
    organization = factory.LazyAttribute(lambda o: o.requester.organization)
    queue = factory.SubFactory(QueueFactory)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def opening_message(self, create, extracted, **kwargs):
        if create:
            Message.objects.create(ticket=self, author=self.requester, body=self.description,
                                   created_at=self.created_at)
