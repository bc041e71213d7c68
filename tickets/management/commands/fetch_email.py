from django.core.management.base import BaseCommand, CommandError

from tickets.channels.email import sources


class Command(BaseCommand):
    help = "Fetch inbound e-mail from the maildir and the IMAP mailbox once (the same work as the periodic task)."

    def handle(self, *args, **options):
        try:
            processed = sources.fetch_all()
        except sources.InboundFailures as failures:
            self.stdout.write(f"Processed {failures.processed} message(s).")
            raise CommandError(str(failures)) from None
        self.stdout.write(f"Processed {processed} message(s).")
