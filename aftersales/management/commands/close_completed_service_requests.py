from django.core.management.base import BaseCommand

from aftersales import services


class Command(BaseCommand):
    help = "Close service requests completed more than AFTERSALES_AUTO_CLOSE_DAYS ago (the same work as the task)."

    def handle(self, *args, **options):
        closed = services.service_requests_auto_close()
        self.stdout.write(f"Closed {closed} service request(s) completed more than {services.AUTO_CLOSE_DAYS} days "
                          f"ago.")
