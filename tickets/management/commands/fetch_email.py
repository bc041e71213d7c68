from django.core.management.base import BaseCommand

from tickets import inbound


class Command(BaseCommand):
    help = "Fetch inbound e-mail from the maildir and the IMAP mailbox once (the same work as the periodic task)."

    def handle(self, *args, **options):
        processed = inbound.fetch_all()
        self.stdout.write(f"Processed {processed} message(s).")
