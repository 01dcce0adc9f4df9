"""The demo's workflow runs: after ``seed_demo`` a device of the 500-iPads work order goes
through every step (two technicians: one does the work, the other the QC)."""

import io

import pytest
from django.core.management import call_command

from relations.services import relate_many
from tests.factories import UserFactory
from tests.helpers import assert_status, client_for, post_json
from users.roles import FloorRole
from users.services import user_set_role
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_a_demo_ipad_runs_through_the_demo_workflow_to_success():
    call_command("seed_demo", stdout=io.StringIO())
    batch = WorkOrder.objects.get(label="500 iPads for New York stores").batches.first()
    tess, theo = UserFactory(), UserFactory()
    for tech in (tess, theo):
        user_set_role(tech, role=FloorRole.TECHNICIAN)
    relate_many([(tess, "tech"), (theo, "tech")], [batch])
    tess, theo = client_for(tess), client_for(theo)

    run = post_json(
        tess, f"/api/batches/{batch.public_id}/cycles/next", {"raw_serial_number": "DMPDEMO01"}
    )
    assert_status(run, 200)
    url = f"/api/contexts/{run.json()['context_id']}"
    steps = [
        (tess, {"step": "unbox", "attachment_id": "ipad-unboxing-guide"}),
        (tess, {"step": "enter-details", "fields": [{"label": "IMEI", "value": "3567"}]}),
        (
            theo,
            {
                "step": "quality-check",
                "items": [{"slug": "intact", "value": "ok"}, {"slug": "mdm", "value": "na"}],
            },
        ),
    ]
    for client, close in steps:
        response = client.patch(f"{url}/{close['step']}", {"close_step": close}, format="json")
        assert_status(response, 200)

    assert response.json()["status"] == "SUCCEEDED"
    assert response.json()["data"] == {"imei": "3567"}
