"""A Python client generated from the served schema (openapi-python-client) runs the README's
flow against a live server: the hierarchy, a workflow, batches on the floor, a device taken and
its step closed, the counters read. Every answer must parse into the generated models and give
back, through ``to_dict()``, exactly the JSON that was sent: nothing the schema does not say."""

import datetime
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory
from users.tokens import token_add

GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The ``niagara_client`` package, generated from the schema the server serves."""
    if GENERATOR is None:
        pytest.fail("openapi-python-client is a dev dependency: `make test` installs it")
    folder = tmp_path_factory.mktemp("python-client")
    schema = SchemaGenerator().get_schema(request=None, public=True)
    (folder / "schema.json").write_text(json.dumps(schema))
    # Files are PDFs: the generator reads bytes of a type it knows (its documented override).
    (folder / "config.json").write_text(
        json.dumps({"content_type_overrides": {"application/pdf": "application/octet-stream"}})
    )
    # The generator formats its output with ruff, which sits beside it in the virtualenv.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            "schema.json",
            "--meta",
            "none",
            "--config",
            "config.json",
            "--output-path",
            "niagara_client",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("niagara_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("niagara_client")]:
            del sys.modules[name]


def _example(path: str) -> dict:
    """The request example the schema offers for ``POST path``."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return next(iter(body["examples"].values()))["value"]


class Flow:
    """Calls of the generated client, each checked: a 2xx, parsed without loss."""

    def __init__(self, package, client):
        self.package, self.client, self.calls = package, client, 0

    def __call__(self, module: str, *args, body: dict | None = None, model: str = "", **kwargs):
        operation = importlib.import_module(f"niagara_client.api.{module}")
        if body is not None:
            kwargs["body"] = getattr(self.package.models, model).from_dict(body)
        response = operation.sync_detailed(*args, client=self.client, **kwargs)
        self.calls += 1
        assert 200 <= response.status_code < 300, (module, response.content[:2000])
        if not response.content:
            return None
        sent = json.loads(response.content)
        parsed = response.parsed
        assert parsed is not None, module
        assert _instants(parsed.to_dict()) == _instants(sent), f"{module}: data lost or changed"
        return sent


def _instants(value):
    """``value`` with its date-times as instants: a model writes ``+00:00`` where the server
    wrote ``Z``, the same time."""
    if isinstance(value, dict):
        return {key: _instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_instants(item) for item in value]
    if isinstance(value, str) and len(value) >= 20 and value[10:11] == "T":
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


@pytest.mark.django_db(transaction=True)
def test_a_generated_python_client_runs_the_readme_flow(generated, live_server):
    admin = UserFactory(username="integrator", is_superuser=True, is_staff=True)
    _token, secret = token_add(user=admin, label="generated client")
    client = generated.AuthenticatedClient(base_url=live_server.url, token=secret)
    call = Flow(generated, client)

    me = call("me.fetch_me")
    # What needs nothing else, as the schema's own examples have it ("try it out").
    customer = call(
        "customers.create_customer", model="CustomerRequest", body=_example("/api/customers")
    )
    program = call(
        "programs.create_program",
        model="ProgramRequest",
        body={"label": "North-east stores", "customer": {"customer_id": customer["customer_id"]}},
    )
    project = call(
        "projects.create_project",
        model="ProjectRequest",
        body={"label": "New York stores", "program": {"program_id": program["program_id"]}},
    )
    location = call(
        "locations.create_location", model="LocationRequest", body=_example("/api/locations")
    )
    maker = call(
        "manufacturers.create_manufacturer",
        model="ManufacturerRequest",
        body={"label": "Acme Devices"},
    )
    call(
        "parts.create_part",
        model="PartRequest",
        body={
            "label": "iPad 10th gen",
            "customer": {"customer_id": customer["customer_id"]},
            "manufacturer": {"manufacturer_id": maker["manufacturer_id"], "part_number": "MPQ03"},
            "serial_prefix": "DMP",
        },
    )
    work_order = call(
        "work_orders.create_work_order",
        model="WorkOrderRequest",
        body={
            "label": "20 iPads",
            "project": {"project_id": project["project_id"]},
            "due_date": "2026-03-31T00:00:00Z",
            "cycles": [
                {
                    "needed": 20,
                    "work_flow": {
                        "label": "Provision iPad",
                        "schema_version": "1.0",
                        "applies_to": "UNIT",
                        "starts_at": "unbox",
                        "steps": {
                            "unbox": {
                                "step_type": "user",
                                "label": "Unbox",
                                "goto": "done",
                                "options": {
                                    "component": "follow-pdf-instructions",
                                    "payload": {"attachment_id": "guide"},
                                },
                            },
                            "done": {"step_type": "success", "label": "Done"},
                        },
                    },
                }
            ],
        },
    )
    queue = call(
        "queues.create_queue",
        model="QueueRequest",
        body={
            "label": "Fast Lane",
            "priority": 10,
            "location": {"location_id": location["location_id"]},
        },
    )
    call(
        "batches.create_multiple_batches",
        model="BulkBatchesRequest",
        body={
            "total": 2,
            "number_cycles": 10,
            "work_order": {"work_order_id": work_order["work_order_id"]},
            "queue": {"queue_id": queue["queue_id"]},
            "users": [{"user_id": me["user_id"]}],
        },
    )
    batches = call("queues.fetch_all_batches_for_queue", queue["queue_id"])
    batch = batches["_embedded"]["nter:batches"][0]
    context = call(
        "batches.take_next_cycle",
        batch["batch_id"],
        model="TakeCycleRequest",
        body={"raw_serial_number": "DMPF9FXK1ABC"},
    )
    assert context["current_steps"] == ["unbox"]
    closed = call(
        "contexts.complete_step",
        context["context_id"],
        "unbox",
        model="StepCompletionRequest",
        body={"close_step": {"step": "unbox", "attachment_id": "guide"}},
    )
    assert closed["status"] == "SUCCEEDED"

    counted = call("work_orders.fetch_work_order_by_id", work_order["work_order_id"])
    assert counted["cycles"][0]["needed"] == 20
    assert counted["cycles"][0]["complete"] == 1 and counted["cycles"][0]["pending"] == 19
    queue_now = call("queues.fetch_queue_by_id", queue["queue_id"])
    assert queue_now["total_batches"] == 2
    cycles = call("work_orders.fetch_all_cycles_for_work_order", work_order["work_order_id"])
    assert cycles["total_count"] == 20
    call("customers.fetch_all_customers")
    assert call.calls == 17
