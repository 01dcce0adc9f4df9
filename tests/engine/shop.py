"""A provisioning floor for the engine's tests: Northwind's iPads, a workflow that walks each
device through instructions, data entry, a decision, a function and a QC checklist."""

import importlib

from django.apps import apps as django_apps

from batches.services import batches_create
from tests.factories import (
    CustomerFactory,
    PartFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from users.roles import FloorRole
from users.services import user_set_role

IPAD_STEPS = {
    "unbox": {
        "step_type": "user",
        "label": "Unbox and inspect",
        "goto": "enter-details",
        "goto-fail": "failed",
        "options": {
            "component": "follow-pdf-instructions",
            "payload": {"attachment_id": "unboxing-guide"},
        },
    },
    "enter-details": {
        "step_type": "user",
        "label": "Record the IMEI and charge",
        "goto": "charged",
        "goto-fail": "failed",
        "options": {
            "component": "manual-data-entry",
            "payload": {
                "fields": [
                    {
                        "input_type": "input",
                        "label": "IMEI",
                        "required": True,
                        "entity_field": "$.imei",
                    },
                    {
                        "input_type": "input",
                        "label": "Battery %",
                        "required": True,
                        "entity_field": "$.battery",
                    },
                    {
                        "input_type": "input",
                        "label": "Asset tag",
                        "required": False,
                        "entity_field": "tenant_part_number",
                    },
                ]
            },
        },
    },
    "charged": {
        "step_type": "choice",
        "label": "Battery charged?",
        "goto": "mark-provisioned",
        "goto-fail": "failed",
        "decision": [{"variable": "battery", "operator": "greater_than_equals", "operand": "50"}],
    },
    "mark-provisioned": {
        "step_type": "function",
        "label": "Mark provisioned",
        "goto": "quality-check",
        "goto-fail": "failed",
        "options": {
            "function": "set-entity-status",
            "payload": {"status": {"status": "Complete", "category": "COMPLETE"}},
        },
    },
    "quality-check": {
        "step_type": "user",
        "label": "Quality check",
        "goto": "done",
        "goto-fail": "failed",
        "options": {
            "component": "task-list",
            "payload": {
                "is_qc": True,
                "items": [
                    {"label": "Screen intact", "slug": "screen"},
                    {"label": "Enrolled in MDM", "slug": "mdm"},
                ],
            },
        },
    },
    "done": {"step_type": "success", "label": "Provisioned"},
    "failed": {"step_type": "fail", "label": "Failed"},
}

DETAILS = {
    "step": "enter-details",
    "fields": [
        {"label": "IMEI", "value": "356789012345678"},
        {"label": "Battery %", "value": "87"},
        {"label": "Asset tag", "value": "NW-0001"},
    ],
}
QC_OK = {
    "step": "quality-check",
    "items": [{"slug": "screen", "value": "ok"}, {"slug": "mdm", "value": "ok"}],
}


# The floor's groups come from a data migration; a committing test before this one may have
# flushed them.
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")


def build_floor(*, devices=10, steps=IPAD_STEPS, starts_at="unbox"):
    """Return the floor: a customer with one iPad part, a work order of ``devices`` iPads in one
    batch, and two technicians assigned to it."""
    floor_roles.create_roles(django_apps, None)
    customer = CustomerFactory()
    project = ProjectFactory(program=ProgramFactory(customer=customer))
    part = PartFactory(customer=customer, label="iPad 10th gen", serial_prefix="DMP")
    workflow = make_workflow(label="Provision iPad", steps=steps, starts_at=starts_at)
    work_order = make_work_order(project=project, cycles=[(devices, workflow)], label="iPads")
    techs = [UserFactory(), UserFactory()]
    for tech in techs:
        user_set_role(tech, role=FloorRole.TECHNICIAN)
    queue = QueueFactory()
    batch = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=devices, users=techs
    )[0]
    return {
        "customer": customer,
        "project": project,
        "part": part,
        "workflow": workflow,
        "work_order": work_order,
        "batch": batch,
        "queue": queue,
        "techs": techs,
    }
