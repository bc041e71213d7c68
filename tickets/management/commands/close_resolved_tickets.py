from django.conf import settings
from django.core.management.base import BaseCommand

from tickets import services


class Command(BaseCommand):
    help = "Close tickets resolved more than TICKET_AUTO_CLOSE_DAYS ago (the same work as the hourly task)."

    def handle(self, *args, **options):
        closed = services.tickets_auto_close()
        self.stdout.write(f"Closed {closed} ticket(s) resolved more than {settings.TICKET_AUTO_CLOSE_DAYS} days ago.")
