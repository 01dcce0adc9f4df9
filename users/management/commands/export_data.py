import sys

from django.core.management.base import BaseCommand, CommandError

from niagara.exchange import kinds
from users.access import Access
from users.models import User

FORMATS = ("csv", "xlsx", "json")


class Command(BaseCommand):
    help = (
        "Export every row of KIND (or, with --as, the rows a user may read) as CSV (default), "
        "XLSX or JSON, to a file or the output."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What to export: {', '.join(kinds())}.")
        parser.add_argument("--format", choices=FORMATS, default="csv", help="File format.")
        parser.add_argument("--output", help="Write to this file (needed for xlsx).")
        parser.add_argument(
            "--as",
            dest="viewer",
            metavar="USERNAME",
            help="Export only the rows this user may read (as their admin export would).",
        )

    def handle(self, *args, kind, format, output, viewer=None, **options):
        known = kinds()
        if kind not in known:
            raise CommandError(f"Unknown kind {kind!r}: one of {', '.join(known)}.")
        if format == "xlsx" and not output:
            raise CommandError("xlsx is a binary format: name a file with --output.")
        resource = known[kind].resource_class()
        rows = None
        if viewer:
            user = User.objects.filter(username=viewer, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user called {viewer!r}.")
            rows = Access(user).visible(resource.get_queryset())
        dataset = resource.export(queryset=rows)
        data = dataset.export(format)
        if output:
            mode = "wb" if isinstance(data, bytes) else "w"
            with open(output, mode) as file:
                file.write(data)
            self.stdout.write(f"Exported {len(dataset)} {kind} to {output}.")
        else:
            (sys.stdout if self.stdout is None else self.stdout).write(data)
