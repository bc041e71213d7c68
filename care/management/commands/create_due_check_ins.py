from django.core.management.base import BaseCommand

from care import services


class Command(BaseCommand):
    help = "Open the customer check-ins that are due and e-mail the account managers (the same work as the daily task)."

    def handle(self, *args, **options):
        created = services.check_ins_create_due()
        self.stdout.write(f"Opened {created} check-in(s).")
