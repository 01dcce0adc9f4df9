from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.data import load_demo
from users.models import User
from users.services import SYSTEM_USERNAME, system_user


class Command(BaseCommand):
    help = (
        "Load demo data: customers with their own status vocabularies and contacts, programs "
        "and projects narrowing them, locations in three countries, a workflow and work orders, "
        "a part and its first units. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help=f"The user recorded as creating the data (default: {SYSTEM_USERNAME}).",
        )

    @transaction.atomic
    def handle(self, *args, actor=None, **options):
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
            f"{new.units} new units."
        )
