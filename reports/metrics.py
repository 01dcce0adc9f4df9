"""Named metrics over a date range, each item a value on a date with its dimensions (always
the customer): what a manager reads the week by."""

from collections import defaultdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils.dateparse import parse_datetime

from batches.models import Cycle
from customers.models import Customer
from engine.models import Context, RunState
from events.models import Event
from niagara.access import visible

METRICS = {
    "throughput": "Cycles that reached COMPLETE, per day",
    "first_pass_yield": "Of the cycles completed, the share whose first run succeeded",
    "cycle_time": "Mean seconds per finished pass of each workflow step",
    "blocked_time": "Seconds cycles spent BLOCKED within the range",
    "technician_output": "Steps each technician closed, per day",
}
MAX_ITEMS = 1000
CUSTOMER = "work_order__project__program__customer"


def _customer(public_id, label) -> dict:
    return {"key": "customer", "value": public_id, "label": label}


def _item(metric: str, value, when, dimensions: list[dict]) -> dict:
    return {
        "entity_type": "MET",
        "metric": metric,
        "value": value,
        "date": when.isoformat() if isinstance(when, datetime) else f"{when}T00:00:00Z",
        "dimensions": dimensions,
    }


def _cycles(request):
    return visible(request, Cycle.objects.all(), through="batch")


def throughput(request, start, end) -> list[dict]:
    rows = (
        _cycles(request)
        .filter(category="COMPLETE", updated__gte=start, updated__lt=end)
        .annotate(day=TruncDate("updated"))
        .values("day", f"{CUSTOMER}__public_id", f"{CUSTOMER}__label")
        .annotate(value=Count("id"))
        .order_by("day", f"{CUSTOMER}__label")
    )
    return [
        _item(
            "throughput",
            row["value"],
            row["day"],
            [_customer(row[f"{CUSTOMER}__public_id"], row[f"{CUSTOMER}__label"])],
        )
        for row in rows
    ]


def first_pass_yield(request, start, end) -> list[dict]:
    first_run = Context.objects.filter(cycle=OuterRef("pk")).order_by("id").values("state")[:1]
    rows = (
        _cycles(request)
        .filter(category="COMPLETE", updated__gte=start, updated__lt=end)
        .annotate(first=Subquery(first_run))
        .values(f"{CUSTOMER}__public_id", f"{CUSTOMER}__label")
        .annotate(done=Count("id"), first_time=Count("id", filter=Q(first=RunState.SUCCEEDED)))
        .order_by(f"{CUSTOMER}__label")
    )
    return [
        _item(
            "first_pass_yield",
            round(row["first_time"] / row["done"], 4),
            start,
            [_customer(row[f"{CUSTOMER}__public_id"], row[f"{CUSTOMER}__label"])],
        )
        for row in rows
        if row["done"]
    ]


def _passes(request, start, end):
    """Every step closed within the range on a run of a cycle the reader may see:
    (customer id, customer label, step entry)."""
    runs = (
        Context.objects.filter(cycle__in=_cycles(request), started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .values_list("last_steps", f"cycle__{CUSTOMER}__public_id", f"cycle__{CUSTOMER}__label")
    )
    for steps, customer_id, customer_label in runs.iterator(chunk_size=1000):
        for step in steps or []:
            ended = parse_datetime(step.get("ended_at") or "")
            if ended is not None and start <= ended < end:
                yield customer_id, customer_label, step, ended


def cycle_time(request, start, end) -> list[dict]:
    totals = defaultdict(lambda: [0, 0])
    labels = {}
    for customer_id, customer_label, step, _ended in _passes(request, start, end):
        if step.get("type") == "fail":
            continue  # a finished pass is a closed step
        key = (customer_id, step["step_name"])
        totals[key][0] += step.get("time_to_run") or 0
        totals[key][1] += 1
        labels[customer_id] = customer_label
    return [
        _item(
            "cycle_time",
            round(total / count / 1000, 3),
            start,
            [
                _customer(customer_id, labels[customer_id]),
                {"key": "step", "value": step, "label": step},
            ],
        )
        for (customer_id, step), (total, count) in sorted(totals.items())
    ]


def technician_output(request, start, end) -> list[dict]:
    counts = defaultdict(int)
    labels = {}
    for customer_id, customer_label, step, ended in _passes(request, start, end):
        if step.get("closed_by"):
            counts[(ended.date(), customer_id, step["closed_by"])] += 1
            labels[customer_id] = customer_label
    people = dict(
        get_user_model()
        .objects.filter(public_id__in={key[2] for key in counts})
        .values_list("public_id", "username")
    )
    return [
        _item(
            "technician_output",
            count,
            day,
            [
                _customer(customer_id, labels[customer_id]),
                {"key": "technician", "value": tech, "label": people.get(tech, tech)},
            ],
        )
        for (day, customer_id, tech), count in sorted(counts.items())
    ]


def blocked_time(request, start, end) -> list[dict]:
    """From the cycles' status changes (the events): each stretch in BLOCKED, cut to the
    range, summed per customer."""
    customers = dict(visible(request, Customer.objects.all()).values_list("pk", "public_id"))
    labels = dict(Customer.objects.filter(pk__in=customers).values_list("pk", "label"))
    changes = (
        Event.objects.filter(type="CYC.status-changed", customer_id__in=customers, occurred__lt=end)
        .order_by("entity_id", "occurred", "id")
        .values_list("entity_id", "customer_id", "occurred", "data")
    )
    seconds = defaultdict(float)
    blocked_since = {}
    for cycle_id, customer_id, occurred, data in changes.iterator(chunk_size=2000):
        category = ((data or {}).get("current_status") or {}).get("category")
        since = blocked_since.pop(cycle_id, None)
        if since is not None:
            seconds[customer_id] += _overlap(since, occurred, start, end)
        if category == "BLOCKED":
            blocked_since[cycle_id] = (occurred, customer_id)
    for since in blocked_since.values():
        seconds[since[1]] += _overlap(since, end, start, end)
    return [
        _item(
            "blocked_time",
            round(value, 1),
            start,
            [_customer(customers[customer_id], labels[customer_id])],
        )
        for customer_id, value in sorted(seconds.items())
        if value > 0
    ]


def _overlap(since, until, start, end) -> float:
    began = since[0] if isinstance(since, tuple) else since
    first, last = max(began, start), min(until, end)
    return max(0.0, (last - first).total_seconds())


COMPUTE = {
    "throughput": throughput,
    "first_pass_yield": first_pass_yield,
    "cycle_time": cycle_time,
    "blocked_time": blocked_time,
    "technician_output": technician_output,
}


def metrics_of(request, asked: list[dict], start, end) -> list[dict]:
    """The asked metrics, each cut to its ``top`` items (largest values) if given; at most
    ``MAX_ITEMS`` in all."""
    items = []
    for each in asked:
        found = COMPUTE[each["metric"]](request, start, end)
        if each.get("top"):
            found = sorted(found, key=lambda item: item["value"], reverse=True)[: each["top"]]
        items.extend(found)
    return items[:MAX_ITEMS]
