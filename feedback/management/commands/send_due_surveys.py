from django.core.management.base import BaseCommand

from feedback import services


class Command(BaseCommand):
    help = "Invite customers to the surveys that are due (resolved tickets, completed service, periodic)."

    def handle(self, *args, **options):
        sent = services.send_due_surveys()
        self.stdout.write(f"Sent {sent} survey invitation(s).")
