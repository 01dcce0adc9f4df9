"""``manage.py db_worker``: django-tasks' database worker, which first sweeps the outbox.

A worker that starts (after a crash, a deploy) hands over at once what a dead worker left: the
events and deliveries it held are taken up again under their ids, then the sweeps go on every
few seconds while workers run (``events.tasks.keep_sweeping``).
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from events.tasks import start_sweeping


class Command(db_worker.Command):
    help = "Run the background worker (django-tasks' database worker; sweeps the outbox first)."

    def handle(self, *args, **options):
        # Under the reloader, the child process (the one that runs tasks) sweeps.
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            start_sweeping()
        return super().handle(*args, **options)
