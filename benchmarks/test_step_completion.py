"""Benchmark: two technicians completing 1,000 steps each, at the same time.

Run with ``make bench`` (on PostgreSQL: ``DATABASE_URL=postgres://… make bench``). Each
technician takes 100 devices of one shared batch (``POST /batches/{id}/cycles/next``) and
walks each through a 10-step workflow (``PATCH /contexts/{id}/{step}``). Each technician is
served by a process of their own, as by two workers of an application server (threads of one
process would measure Python's global lock instead), so their writes meet on the work order's
lock in the database. For each technician it prints the
median and the 95th percentile of a step completion, and, as the baseline measured in the same
run, the median of ``GET /contexts/{id}`` (an authenticated read of the same run). Times are
server time: each response's ``Server-Timing`` (from the request entering Django to the
response leaving it).

Targets (issue 13), on PostgreSQL: each technician's median step completion under 20 ms and
under 2.5 x the baseline; on SQLite the figures are printed for information (its writers queue
on one file lock). Always: no 5xx, no deadlock, every cycle COMPLETE and ``check_integrity``
clean afterwards.
"""

import multiprocessing
import statistics
import time

import pytest
from django.db import connection, connections

from batches.models import Cycle
from tests.engine.shop import build_floor
from tests.helpers import assert_integrity, clients_of

DEVICES_EACH = 100
STEPS = 10
TARGET_MS = 20
TARGET_RATIO = 2.5


def bench_steps() -> dict:
    keys = [f"step-{'abcdefghijklmnopqrstuvwxyz'[n]}" for n in range(STEPS)]
    steps = {
        key: {
            "step_type": "user",
            "label": f"Step {n + 1}",
            "goto": keys[n + 1] if n + 1 < STEPS else "done",
            "goto-fail": "failed",
            "options": {"component": "follow-pdf-instructions", "payload": {}},
        }
        for n, key in enumerate(keys)
    }
    return {
        **steps,
        "done": {"step_type": "success", "label": "Done"},
        "failed": {"step_type": "fail", "label": "Failed"},
    }


def server_time(response) -> float:
    """The server's own time for a request, in ms (its ``Server-Timing`` header)."""
    return float(response["Server-Timing"].split("dur=", 1)[1])


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


@pytest.mark.django_db(transaction=True)
def test_two_technicians_complete_a_thousand_steps_each():
    steps = bench_steps()
    floor = build_floor(devices=2 * DEVICES_EACH, steps=steps, starts_at="step-a")
    batch_url = f"/api/batches/{floor['batch'].public_id}/cycles/next"
    clients = [clients_of(tech, 1)[0] for tech in floor["techs"]]

    def technician(number, results):
        connections.close_all()  # this process's own connections, not the parent's
        client, timings, baselines, failures = clients[number], [], [], []
        for device in range(DEVICES_EACH):
            taken = client.post(
                batch_url, {"raw_serial_number": f"DMP{number}-{device}"}, format="json"
            )
            if taken.status_code != 200:
                failures.append(taken.status_code)
                continue
            run = taken.json()
            for key in list(steps)[:STEPS]:
                url = f"/api/contexts/{run['context_id']}/{key}"
                closed = client.patch(url, {"close_step": {"step": key}}, format="json")
                timings.append(server_time(closed))
                if closed.status_code != 200:
                    failures.append(closed.status_code)
            read = client.get(f"/api/contexts/{run['context_id']}")
            baselines.append(server_time(read))
            if read.status_code != 200:
                failures.append(read.status_code)
        connections.close_all()
        results.put((number, timings, baselines, failures))

    processes = multiprocessing.get_context("fork")
    results = processes.Queue()
    connections.close_all()
    workers = [processes.Process(target=technician, args=(n, results)) for n in range(2)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    timings = {number: values for number, values, _, _ in answers}
    baselines = {number: values for number, _, values, _ in answers}
    failures = [code for *_, codes in answers for code in codes]

    print(f"\nStep completions on {connection.vendor}, 2 technicians at once, {wall:.1f} s:")
    medians = {}
    for number in sorted(timings):
        p50, p95 = statistics.median(timings[number]), percentile(timings[number], 0.95)
        baseline = statistics.median(baselines[number])
        medians[number] = (p50, baseline)
        print(
            f"  technician {number + 1}: {len(timings[number])} steps, p50 {p50:5.1f} ms, "
            f"p95 {p95:5.1f} ms; baseline GET p50 {baseline:5.1f} ms "
            f"(x{p50 / baseline:.2f})"
        )
    assert failures == []
    assert all(len(values) == DEVICES_EACH * STEPS for values in timings.values())
    cycles = Cycle.objects.filter(batch=floor["batch"])
    assert cycles.filter(category="COMPLETE").count() == 2 * DEVICES_EACH
    assert_integrity()
    if connection.vendor == "postgresql":
        for p50, baseline in medians.values():
            assert p50 < TARGET_MS
            assert p50 < TARGET_RATIO * baseline
