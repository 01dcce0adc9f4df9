"""A large report's CSV, written ahead by a worker into the default storage."""

import tempfile
from types import SimpleNamespace

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from .models import Report
from .services import csv_lines


@task()
def build_report_file(report_id: int) -> int:
    """Write the report's CSV as its maker may read it now; return its size in bytes."""
    report = Report.objects.select_related("created_by").filter(pk=report_id).first()
    if report is None:
        return 0
    reader = SimpleNamespace(user=report.created_by, auth=None)
    size = 0
    with tempfile.TemporaryFile(mode="w+b") as spool:
        for line in csv_lines(report, reader):
            data = line.encode()
            spool.write(data)
            size += len(data)
        spool.seek(0)
        report.file.save(f"{report.public_id}.csv", File(spool), save=False)
    report.built = timezone.now()
    report.save(update_fields=["file", "built"])
    return size
