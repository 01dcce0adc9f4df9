"""Workflows and work orders under the generic resource contract."""

from functools import cached_property
from itertools import count

from tests.api.resources import ResourceContract
from tests.factories import SIMPLE_STEPS, ProjectFactory, make_work_order, make_workflow
from workorders.models import WorkFlow, WorkOrder

numbers = count()


class TestWorkflows(ResourceContract):
    model = WorkFlow
    id_field = "work_flow_id"
    embedded_key = "nter:work-flows"
    permission = "work-flow:%s"
    link_rels = frozenset({"self", "nter:work-flow-contexts", "nter:boms"})
    invalid_bodies = [
        ({"starts_at": "nowhere"}, "graph", ".starts_at"),
        ({"applies_to": "BAT"}, "enum", ".applies_to"),
        ({"steps": {"Bad Key": {"step_type": "success", "label": "x"}}}, "pattern", ".steps"),
        ({"triggered_by": ["UNIT.exploded"]}, "enum", ".triggered_by[0]"),
    ]

    def make(self):
        return make_workflow(label=f"Flow {next(numbers)}")

    def list_url(self, obj):
        return "/api/work-flows"

    def detail_url(self, obj):
        return f"/api/work-flows/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "Provision iPad",
            "schema_version": "1.0",
            "applies_to": "UNIT",
            "starts_at": "image-device",
            "steps": SIMPLE_STEPS,
        }

    def changed(self, fetched):
        return {**fetched, "label": "Provision iPad Pro"}


class TestWorkOrders(ResourceContract):
    model = WorkOrder
    id_field = "work_order_id"
    embedded_key = "nter:work-orders"
    permission = "work-order:%s"
    referenced_permissions = ("project:read", "work-flow:read")
    link_rels = frozenset(
        {
            "self",
            "nter:work-order-project",
            "nter:work-order-batches",
            "nter:work-order-queues",
            "nter:work-order-notes",
            "nter:work-order-contexts",
            "nter:work-order-cycles",
        }
    )
    invalid_bodies = [
        ({"due_date": "soon"}, "format", ".due_date"),
        ({"due_date": "2020-01-01T00:00:00Z"}, "dateOrder", ".due_date"),
        ({"work_order_type": "vehicle"}, "enum", ".work_order_type"),
        (
            {"current_status": {"status": "Shipped", "category": "COMPLETE"}},
            "subset",
            ".current_status",
        ),
        (
            {"cycles": [{"needed": 0, "work_flow": {"work_flow_id": "x"}}]},
            "minimum",
            ".cycles[0].needed",
        ),
    ]

    @cached_property
    def project(self):
        return ProjectFactory()

    @cached_property
    def workflow(self):
        return make_workflow()

    def make(self):
        return make_work_order(project=self.project, cycles=[(5, self.workflow)])

    def list_url(self, obj):
        return "/api/work-orders"

    def child_list_urls(self, obj):
        program = self.project.program
        return [
            f"/api/customers/{program.customer.public_id}/work-orders",
            f"/api/programs/{program.public_id}/work-orders",
            f"/api/projects/{self.project.public_id}/work-orders",
        ]

    def detail_url(self, obj):
        return f"/api/work-orders/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "500 iPads",
            "project": {"project_id": self.project.public_id},
            "begin_date": "2026-01-05T00:00:00Z",
            "due_date": "2026-03-31T00:00:00Z",
            "cycles": [{"needed": 500, "work_flow": {"work_flow_id": self.workflow.public_id}}],
        }

    def changed(self, fetched):
        return {
            **fetched,
            "label": "600 iPads",
            "cycles": [{**fetched["cycles"][0], "needed": 600}],
        }
