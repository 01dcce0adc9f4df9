"""The engine's bars: a step completion costs the same queries whatever the workflow's size,
and technicians taking devices at once never get the same cycle."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.models import Cycle
from tests.helpers import assert_integrity, assert_status, clients_of, run_together

from .shop import IPAD_STEPS, build_floor


def key(prefix: str, number: int) -> str:
    """A step key (letters and hyphens only): ``key("check", 27)`` → ``"check-bb"``."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if number == 0:
            return f"{prefix}-{letters}a"


def padded(extra: int) -> dict:
    """The iPad workflow with ``extra`` more user steps after the unboxing."""
    steps = dict(IPAD_STEPS)
    chain = [key("check", n) for n in range(extra)]
    following = [*chain, "enter-details"]
    steps["unbox"] = {**IPAD_STEPS["unbox"], "goto": following[0]}
    for name, target in zip(chain, following[1:], strict=True):
        steps[name] = {
            "step_type": "user",
            "label": f"Check {name}",
            "goto": target,
            "goto-fail": "failed",
            "options": {"component": "follow-pdf-instructions", "payload": {}},
        }
    return steps


def queries_to_close_a_step(api, steps) -> int:
    floor = build_floor(devices=1, steps=steps)
    url = f"/api/batches/{floor['batch'].public_id}/cycles/next"
    context_id = api.post(url, {"raw_serial_number": "DMP1"}, format="json").json()["context_id"]
    body = {"close_step": {"step": "unbox", "attachment_id": "unboxing-guide"}}
    with CaptureQueriesContext(connection) as captured:
        response = api.patch(f"/api/contexts/{context_id}/unbox", body, format="json")
    assert_status(response, 200)
    return len(captured)


@pytest.mark.django_db
def test_closing_a_step_costs_the_same_queries_for_7_steps_or_307(api):
    small = queries_to_close_a_step(api, IPAD_STEPS)
    large = queries_to_close_a_step(api, padded(300))

    assert small == large
    assert small <= 30


@pytest.mark.django_db
def test_a_run_through_automatic_steps_costs_the_same_queries_for_1_or_50_of_them(api):
    """Automatic steps run in memory: fifty function steps read the locations they name once."""

    def chained(count):
        steps = dict(IPAD_STEPS)
        keys = [key("move", n) for n in range(count)]
        following = [*keys, "mark-provisioned"]
        steps["charged"] = {**IPAD_STEPS["charged"], "goto": following[0]}
        for name, target in zip(keys, following[1:], strict=True):
            steps[name] = {
                "step_type": "function",
                "label": name,
                "goto": target,
                "goto-fail": "failed",
                "options": {
                    "function": "set-entity-location",
                    "payload": {"location_type": "work_order"},
                },
            }
        return steps

    def cost(steps):
        floor = build_floor(devices=1, steps=steps)
        floor["work_order"].location = floor["queue"].location
        floor["work_order"].save()
        url = f"/api/batches/{floor['batch'].public_id}/cycles/next"
        context_id = api.post(url, {"raw_serial_number": "DMP1"}, format="json").json()[
            "context_id"
        ]
        api.patch(
            f"/api/contexts/{context_id}/unbox",
            {"close_step": {"step": "unbox", "attachment_id": "unboxing-guide"}},
            format="json",
        )
        details = {
            "close_step": {
                "step": "enter-details",
                "fields": [{"label": "IMEI", "value": "1"}, {"label": "Battery %", "value": "90"}],
            }
        }
        with CaptureQueriesContext(connection) as captured:
            response = api.patch(
                f"/api/contexts/{context_id}/enter-details", details, format="json"
            )
        assert_status(response, 200)
        assert response.json()["current_steps"] == ["quality-check"]
        return len(captured)

    assert cost(chained(1)) == cost(chained(50))


@pytest.mark.django_db(transaction=True)
def test_technicians_taking_devices_at_once_never_share_a_cycle():
    floor = build_floor(devices=8)
    url = f"/api/batches/{floor['batch'].public_id}/cycles/next"
    answers = []

    def technician(client, number):
        def work():
            for round_ in range(2):
                serial = f"DMP{number}{round_}"
                answers.append(client.post(url, {"raw_serial_number": serial}, format="json"))

        return work

    clients = clients_of(floor["techs"][0], 2) + clients_of(floor["techs"][1], 2)
    run_together([technician(client, n) for n, client in enumerate(clients)])

    assert sorted(response.status_code for response in answers) == [200] * 8
    cycles = Cycle.objects.filter(batch=floor["batch"])
    assert cycles.filter(unit__isnull=False).count() == 8
    assert len({cycle.unit_id for cycle in cycles}) == 8
    assert cycles.filter(category="IN_PROGRESS").count() == 8
    assert_integrity()
