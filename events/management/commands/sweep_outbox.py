"""``manage.py sweep_outbox``: hand over what the outbox holds and start the periodic sweeps —
what ``db_worker`` does when it starts, for queues whose workers are not Niagara's (RQ's
``rqworker``): run it when they start, or from cron."""

from django.core.management.base import BaseCommand

from events.models import Event
from events.tasks import start_sweeping


class Command(BaseCommand):
    help = "Sweep the outbox now and start the periodic sweeps (for the RQ backend's workers)."

    def handle(self, *args, **options):
        start_sweeping()
        waiting = Event.objects.filter(dispatched__isnull=True).count()
        self.stdout.write(f"Swept; {waiting} event(s) not handed over yet.")
