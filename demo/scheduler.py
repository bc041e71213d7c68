"""Celery beat's schedule, run by a thread inside `make run` (the embedded default has no beat and no worker).

Only the demo server (``manage.py rundemo``) starts it, and only while tasks run in-process (no ``REDIS_URL``);
production runs Celery beat, and neither gunicorn, the worker nor the tests import this module. Each due task
runs synchronously in the thread, as the eager worker would run it; a failing task is logged and tried again
at its next turn, so one bad run never stops the others.
"""

import logging
import threading
from datetime import datetime
from importlib import import_module

from celery.schedules import crontab, maybe_schedule, schedule
from django.db import close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class InProcessScheduler:
    """Run the entries of a ``CELERY_BEAT_SCHEDULE`` when they are due, until ``stop()``.

    ``max_interval`` (seconds) shortens the fixed intervals (e.g. surveys every 10 minutes) so that a demo shows
    their effect quickly; clock-time entries (crontab, e.g. nightly at 02:00) keep their time.
    """

    thread_name = "helpdesk-scheduler"

    def __init__(self, entries: dict, *, app, max_interval: float | None = None, tick: float = 1.0):
        self.app = app
        self.tick = tick
        self.entries = {name: self._schedule(entry["schedule"], max_interval, app)
                        for name, entry in entries.items()}
        self.tasks = {name: entry["task"] for name, entry in entries.items()}
        self.last_run: dict[str, datetime] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def _schedule(value, max_interval, app):
        if max_interval and not isinstance(value, crontab):
            every = value.run_every.total_seconds() if isinstance(value, schedule) else float(value)
            value = min(every, max_interval)
        return maybe_schedule(value, app=app)

    def run_pending(self, now: datetime | None = None) -> list[str]:
        """Run every entry that is due at ``now``; the names of those that ran. The first call only starts the
        clocks, as Celery beat does: nothing is run at start-up."""
        now = now or timezone.now()
        ran = []
        for name, when in self.entries.items():
            last = self.last_run.setdefault(name, now)
            if not self._is_due(when, last, now):
                continue
            self.last_run[name] = now
            ran.append(name)
            self._run(name)
        return ran

    @staticmethod
    def _is_due(when, last, now) -> bool:
        if isinstance(when, crontab):
            start, delta, _ = when.remaining_delta(last)
            return start + delta <= now  # the first clock time after the last run has passed
        return last + when.run_every <= now

    def _run(self, name):
        task_name = self.tasks[name]
        try:
            self._task(task_name).apply(throw=True)
        except Exception:
            logger.exception("Periodic task %s (%s) failed; it runs again at its next turn.", name, task_name)

    def _task(self, task_name):
        """The task, importing its module first: a server process has not loaded the tasks modules, the
        worker would have (autodiscovery)."""
        if task_name not in self.app.tasks:
            import_module(task_name.rsplit(".", 1)[0])
        return self.app.tasks[task_name]

    # ------------------------------------------------------------ the thread

    def start(self) -> threading.Thread:
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to stop after the task it is running, and wait for it. True when it has stopped."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self):
        self.run_pending()  # start the clocks
        while not self._stop.wait(self.tick):
            close_old_connections()
            try:
                self.run_pending()
            finally:
                connections.close_all()  # this thread's own connections; each request has its own
