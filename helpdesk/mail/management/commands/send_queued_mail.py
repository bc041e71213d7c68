from django.core.management.base import BaseCommand

from helpdesk.mail import services


class Command(BaseCommand):
    help = "Send every queued e-mail that is due, in this process (the same work as the periodic task)."

    def handle(self, *args, **options):
        sent = sum(services.email_send(email_id=email_id) for email_id in services.emails_due())
        self.stdout.write(f"Sent {sent} e-mail(s).")
