import sys

from django.core.management.base import BaseCommand, CommandError

from niagara.exchange import kinds

FORMATS = ("csv", "xlsx", "json")


class Command(BaseCommand):
    help = "Export every row of KIND as CSV (default), XLSX or JSON, to a file or the output."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What to export: {', '.join(kinds())}.")
        parser.add_argument("--format", choices=FORMATS, default="csv", help="File format.")
        parser.add_argument("--output", help="Write to this file (needed for xlsx).")

    def handle(self, *args, kind, format, output, **options):
        known = kinds()
        if kind not in known:
            raise CommandError(f"Unknown kind {kind!r}: one of {', '.join(known)}.")
        if format == "xlsx" and not output:
            raise CommandError("xlsx is a binary format: name a file with --output.")
        dataset = known[kind].resource_class().export()
        data = dataset.export(format)
        if output:
            mode = "wb" if isinstance(data, bytes) else "w"
            with open(output, mode) as file:
                file.write(data)
            self.stdout.write(f"Exported {len(dataset)} {kind} to {output}.")
        else:
            (sys.stdout if self.stdout is None else self.stdout).write(data)
