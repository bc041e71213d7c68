from django.core.management.base import BaseCommand

from assist.services import train_models


class Command(BaseCommand):
    help = "Train the assist models on the resolved tickets (the nightly job does the same)."

    def handle(self, *args, **options):
        model = train_models()
        if model is None:
            self.stdout.write("Not enough resolved tickets to train on.")
            return
        self.stdout.write(f"Version {model.version}: {model.training_size} tickets in {model.seconds} s")
        for target, report in model.report.items():
            state = (f"accuracy {report['accuracy']} vs baseline {report['baseline']}" if report["enabled"]
                     else f"off: {report['reason']}")
            self.stdout.write(f"  {target}: {state}")
