from django.core.management.base import BaseCommand

from tickets import services


class Command(BaseCommand):
    help = "Raise due SLA warnings (80 %) and breaches, each once (the same work as the every-minute task)."

    def handle(self, *args, **options):
        counts = services.sla_check()
        self.stdout.write(f"{counts['warnings']} warning(s), {counts['breaches']} breach(es) raised.")
