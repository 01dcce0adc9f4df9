"""Batches and cycles under the generic resource contract."""

from functools import cached_property

from batches.models import Batch, Cycle
from batches.services import batches_create
from tests.api.resources import ResourceContract
from tests.factories import QueueFactory, make_work_order, make_workflow

IN_PROGRESS = {"status": "In Progress", "category": "IN_PROGRESS"}


class Floor(ResourceContract):
    """One work order with room for many batches, and one queue."""

    @cached_property
    def work_order(self):
        return make_work_order(cycles=[(100, make_workflow())])

    @cached_property
    def queue(self):
        return QueueFactory()

    def place(self, cycles: int) -> Batch:
        [batch] = batches_create(
            actor=None, work_order=self.work_order, queue=self.queue, number_cycles=cycles
        )
        return batch


class TestBatches(Floor):
    model = Batch
    id_field = "batch_id"
    embedded_key = "nter:batches"
    permission = "batch:%s"
    referenced_permissions = ("work-order:read", "queue:read")
    link_rels = frozenset(
        {
            "self",
            "nter:batch-work-order",
            "nter:batch-queue",
            "nter:batch-project",
            "nter:batch-program",
            "nter:batch-customer",
            "nter:batch-location",
        }
    )
    detail_link_rels = frozenset(
        {"nter:relations", "nter:diff", "nter:batch-cycles", "nter:batch-techs"}
    )
    invalid_bodies = [
        ({"number_cycles": 0}, "minimum", ".number_cycles"),
        ({"number_cycles": "2"}, "type", ".number_cycles"),
        ({"queue": {"queue_id": "missing"}}, "exists", ".queue.queue_id"),
        (
            {"current_status": {"status": "Shipped", "category": "COMPLETE"}},
            "subset",
            ".current_status",
        ),
    ]

    def make(self):
        return self.place(2)

    def list_url(self, obj):
        return "/api/batches"

    def child_list_urls(self, obj):
        return [
            f"/api/queues/{self.queue.public_id}/batches",
            f"/api/work-orders/{self.work_order.public_id}/batches",
        ]

    def detail_url(self, obj):
        return f"/api/batches/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "work_order": {"work_order_id": self.work_order.public_id},
            "queue": {"queue_id": self.queue.public_id},
            "number_cycles": 3,
        }

    def changed(self, fetched):
        return {**fetched, "number_cycles": 4, "current_status": IN_PROGRESS}


class TestCycles(Floor):
    model = Cycle
    id_field = "cycle_id"
    embedded_key = "nter:work-order-cycles"
    permission = "batch:%s"
    link_rels = frozenset(
        {"self", "nter:cycle-batch", "nter:cycle-work-order", "nter:cycle-contexts"}
    )
    # Not a registered entity (no relations or history); its place under its work order.
    detail_link_rels = frozenset({"nter:work-order-cycle"})
    can_create = can_delete = False  # cycles are placed with their batch, and go with it
    update_method = "patch"

    graph_through = "batch"

    def perm(self, action):
        # A cycle is read with its batch; moving it along is stepping the workflow.
        return "context:step" if action == "update" else f"batch:{action}"

    invalid_bodies = [
        (
            {"current_status": {"status": "Shipped", "category": "COMPLETE"}},
            "subset",
            ".current_status",
        ),
        (
            {"current_status": {"status": 5, "category": "COMPLETE"}},
            "type",
            ".current_status.status",
        ),
        ({"current_status": None}, "type", ".current_status"),
    ]

    @cached_property
    def batch(self):
        return self.place(10)

    def make(self):
        """Return the batch's next cycle (a batch of ten is placed once per test)."""
        taken = getattr(self, "_taken", 0)
        self._taken = taken + 1
        return self.batch.cycles.order_by("pk")[taken]

    def list_url(self, obj):
        return f"/api/work-orders/{self.work_order.public_id}/cycles"

    def child_list_urls(self, obj):
        return [f"/api/batches/{self.batch.public_id}/cycles"]

    def detail_url(self, obj):
        return f"/api/cycles/{obj.public_id}"

    def changed(self, fetched):
        return {"current_status": IN_PROGRESS}
