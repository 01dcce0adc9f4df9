from django.core.management.base import BaseCommand

from niagara.api.idempotency import expire


class Command(BaseCommand):
    help = (
        "Delete Idempotency-Key records older than 24 hours (run it daily; an expired key is "
        "also ignored and dropped when a request names it)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Expired {expire()} idempotency keys.")
