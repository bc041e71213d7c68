from django.core.management.base import BaseCommand

from care import health


class Command(BaseCommand):
    help = ("Compute the health score of every organisation and of every customer without one (run nightly); "
            "--auto-churn also marks long-idle organisations churned when AUTO_CHURN_AFTER_DAYS is set.")

    def add_arguments(self, parser):
        parser.add_argument("--auto-churn", action="store_true",
                            help="Then churn organisations idle for AUTO_CHURN_AFTER_DAYS days (0 = off).")

    def handle(self, *args, auto_churn=False, **options):
        counts = health.compute_all()
        self.stdout.write(
            f"Scored {counts['organizations']} organisations and {counts['customers']} customers without one: "
            f"{counts['healthy']} healthy, {counts['watch']} to watch, {counts['at_risk']} at risk."
        )
        if auto_churn:
            churned = health.auto_churn()
            if churned:
                names = ", ".join(organization.name for organization in churned)
                self.stdout.write(f"Marked {len(churned)} idle organisations churned: {names}.")
            else:
                self.stdout.write("Automatic churn: nothing to do (off, or no organisation idle long enough).")
