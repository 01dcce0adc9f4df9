from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError

from niagara.exchange import ImportTooLarge, check_import_file, check_import_size, kinds
from users.models import User
from users.services import system_user

READERS = {".csv": ("csv", "r"), ".xlsx": ("xlsx", "rb"), ".json": ("json", "r")}


class Command(BaseCommand):
    help = (
        "Import KIND rows from FILE (.csv, .xlsx or .json) through the same rules as the API and "
        "the admin. A file with any failing row imports nothing; --dry-run checks it only."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="What to import (see export_data for the columns).")
        parser.add_argument("file", help="A .csv, .xlsx or .json file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, store none.")
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help="The user recorded as making the change (default: the system user).",
        )

    def handle(self, *args, kind, file, dry_run, actor, **options):
        importable = {name: k for name, k in kinds().items() if k.importable}
        if kind not in importable:
            raise CommandError(f"Unknown kind {kind!r}: one of {', '.join(importable)}.")
        path = Path(file)
        if path.suffix.lower() not in READERS or not path.is_file():
            raise CommandError(f"{file}: name an existing .csv, .xlsx or .json file.")
        fmt, mode = READERS[path.suffix.lower()]
        try:
            check_import_size(path.stat().st_size)
            check_import_file(path.read_bytes())
        except ImportTooLarge as exc:
            raise CommandError(f"Nothing imported. {exc}") from exc
        with path.open(mode) as stream:
            dataset = tablib.Dataset().load(stream.read(), format=fmt)
        acting = User.objects.filter(username=actor).first() if actor else system_user()
        if acting is None:
            raise CommandError(f"No user called {actor!r}.")
        resource = importable[kind].resource_class(actor=acting)
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        problems = (
            [str(error.error) for error in result.base_errors]
            + [f"row {row.number}: {'; '.join(row.error.messages)}" for row in result.invalid_rows]
            + [f"row {number}: {errors[0].error}" for number, errors in result.row_errors()]
        )
        if problems:
            raise CommandError("Nothing imported.\n" + "\n".join(problems))
        totals = result.totals
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {kind}: {totals['new']} new, {totals['update']} updated.")
