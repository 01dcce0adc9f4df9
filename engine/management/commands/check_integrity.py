from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from batches.integrity import CHECKS, REPAIRS
from engine.integrity import runs_out_of_line
from relations.integrity import dangling_relations
from units.integrity import units_out_of_line

ALL_CHECKS = {
    **CHECKS,
    "both ends of every relation exist": dangling_relations,
    "units hold their customer's statuses and derived serial numbers": units_out_of_line,
    "a device is in one unfinished cycle at most, and runs on its cycle's device": (
        runs_out_of_line
    ),
}


class Command(BaseCommand):
    help = (
        "Recompute every invariant from the rows (placed ≤ needed, cycles in their work order, "
        "counters, end dates, statuses in vocabulary, relation ends, units, runs) and exit "
        "non-zero with a report of each violation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Rewrite what is derived and found wrong (the counters kept by the database) "
            "from the rows, then check again. Facts are never changed: their problems are "
            "reported.",
        )

    def handle(self, *args, repair=False, **options):
        failed = 0
        for name, check in ALL_CHECKS.items():
            problems = check()
            if problems and repair and name in REPAIRS:
                with transaction.atomic():
                    REPAIRS[name]()
                self.stdout.write(f"REPAIRED {name}: {len(problems)}")
                problems = check()
            if problems:
                failed += 1
                self.stdout.write(f"FAIL {name}: {len(problems)}")
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
            else:
                self.stdout.write(f"ok   {name}")
        if failed:
            raise CommandError(f"{failed} of {len(ALL_CHECKS)} invariants do not hold")
        self.stdout.write(f"All {len(ALL_CHECKS)} invariants hold.")
