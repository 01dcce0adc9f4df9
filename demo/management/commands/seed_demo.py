import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.data import load_demo
from demo.floor import BATCHES_PER_WORK_ORDER, SIZES, seed_floor
from demo.progress import Progress
from users.models import User
from users.services import SYSTEM_USERNAME, system_user


class Command(BaseCommand):
    help = (
        "Load demo data: customers with their own status vocabularies and contacts, programs "
        "and projects narrowing them, locations in three countries, a workflow and work orders, "
        "a part and its first units. --size 100k or 1m grows it into a large floor of that many "
        "batches (30 technicians, tech01 holding a tenth; a manager per customer; devices in "
        "every state), with a progress bar. Idempotent: what exists is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help=f"The user recorded as creating the data (default: {SYSTEM_USERNAME}).",
        )
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="small (default): the demo floor; 100k or 1m: a floor of that many batches "
            "(1m takes a few minutes on PostgreSQL).",
        )

    def handle(self, *args, actor=None, size="small", **options):
        started = time.perf_counter()
        with transaction.atomic():
            if actor is None:
                acting_user = system_user()
            else:
                acting_user = User.objects.filter(username=actor).first()
                if acting_user is None:
                    raise CommandError(f"No user called {actor!r}.")
            new = load_demo(actor=acting_user)
        self.stdout.write(
            f"Demo data ready: {new.customers} new customers, {new.programs} new programs, "
            f"{new.projects} new projects, {new.locations} new locations, "
            f"{new.work_orders} new work orders, {new.batches} new batches, "
            f"{new.units} new units, {new.runs} devices taken."
        )
        if SIZES[size] == 0:
            return
        progress = Progress(self.stderr, enabled=options["verbosity"] > 0)
        floor = seed_floor(
            SIZES[size],
            actor=acting_user,
            progress=progress,
            per_work_order=BATCHES_PER_WORK_ORDER.get(size),
        )
        self.stdout.write(
            f"Floor of {size} ready in {time.perf_counter() - started:.0f} s: "
            f"{floor.work_orders:,} new work orders, {floor.batches:,} new batches, "
            f"{floor.technicians} technicians, {floor.devices} devices taken."
        )
