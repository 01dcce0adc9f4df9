"""The cockpit's week in numbers: charts of the last seven days' metrics (drawn by the browser
from ``week.json``, so the cockpit itself costs nothing more), and the same figures as CSV."""

import csv
from datetime import timedelta

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone

from niagara.access import access_for
from niagara.spreadsheets import safe_cell

from .metrics import metrics_of

WEEK = timedelta(days=7)
CHARTED = ("throughput", "first_pass_yield", "cycle_time", "technician_output")


def _week(request):
    end = timezone.now()
    start = (end - WEEK).replace(hour=0, minute=0, second=0, microsecond=0)
    asked = [{"metric": name} for name in CHARTED]
    return start, end, metrics_of(request, asked, start, end)


def metrics_panel(request) -> dict | None:
    """Shown to whoever reads some work (a manager; a technician sees their batches')."""
    if not access_for(request).may_somewhere("batch:read"):
        return None
    return {
        "title": "The week in numbers",
        "template": "admin/cockpit/metrics.html",
        "data_url": reverse("reports-week-json"),
        "csv_url": reverse("reports-week-csv"),
    }


@staff_member_required
def week_json(request):
    start, end, items = _week(request)
    return JsonResponse(
        {"date_start": start.isoformat(), "date_end": end.isoformat(), "metrics": items}
    )


@staff_member_required
def week_csv(request):
    _start, end, items = _week(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="niagara-week-{end:%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["metric", "date", "customer", "dimension", "value"])
    for item in items:
        dimensions = item["dimensions"]
        customer = dimensions[0]["label"] if dimensions else ""
        other = "; ".join(f"{d['key']}={d['label']}" for d in dimensions[1:])
        writer.writerow(
            [
                item["metric"],
                item["date"][:10],
                safe_cell(customer),
                safe_cell(other),
                item["value"],
            ]
        )
    return response
