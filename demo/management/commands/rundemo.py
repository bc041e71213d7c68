"""`make run`: the development server, plus the periodic tasks that Celery beat runs in production."""

from django.conf import settings
from django.core.management import get_commands, load_command_class

from demo.scheduler import InProcessScheduler
from helpdesk.celery import app as celery_app

# Whichever runserver the installed apps provide (whitenoise's, which leaves static files to whitenoise).
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RunserverCommand):
    help = ("Serve the embedded default like runserver, and run Celery beat's periodic tasks (e-mail, SLA checks, "
            "surveys, auto-close, reports) in a thread of the server process. Only while tasks run in-process: "
            "with REDIS_URL set, Celery beat does that job (make serve).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--periodic-every", type=float, default=15.0, metavar="SECONDS",
            help="Run the tasks scheduled every minute or more at least this often (default 15); nightly and daily "
                 "ones keep their clock time.",
        )

    def inner_run(self, *args, **options):
        # Runs in the process that serves requests (the auto-reloader's child), so there is one scheduler.
        scheduler = self.start_scheduler(options.get("periodic_every") or 15.0)
        try:
            super().inner_run(*args, **options)
        finally:
            if scheduler is not None:
                scheduler.stop()

    def start_scheduler(self, every: float) -> InProcessScheduler | None:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Periodic tasks: REDIS_URL is set, so Celery beat runs them (make serve).")
            return None
        scheduler = InProcessScheduler(settings.CELERY_BEAT_SCHEDULE, app=celery_app, max_interval=every)
        scheduler.start()
        delay = getattr(settings, "SURVEY_DELAY_SECONDS", 0)
        surveys = f"; surveys go out {delay:g} s after a ticket is resolved" if delay > 0 else ""
        self.stdout.write(f"Periodic tasks run in this process, at least every {every:g} s{surveys}. "
                          f"E-mail links point to {settings.SITE_URL}.")
        return scheduler
