"""A large demo floor (``seed_demo --size 100k|1m``): what a shop provisioning for a few retail
chains reaches in a year or two, to click through and to measure (``make bench SIZE=1m``).

Every kind of row is first made by the services (a work order, its first batch and cycle, the
units and runs technicians take), so each row is one the product itself would write; the rest of
each work order's batches, their cycles and technician assignments are copies of those rows
written in bulk — streamed by ``COPY`` on PostgreSQL (``demo.copying``), inserted chunk by
chunk on SQLite — which is what makes a million batches take minutes and not hours. Bulk rows
have no history entries (a seeded past has no changes to show).

The floor: the demo's customers, each with a project of its own work orders, at the demo's three
sites with eight queues each; one work order per thousand batches of one device each, due from
two months ago to four months ahead; ~30 technicians, ``tech01`` holding every tenth batch;
a production manager per customer; cycles in every category, devices taken and run by
technicians, some failed and blocked with a note saying why.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from batches import tallies
from batches.models import Batch, Cycle
from batches.services import batches_create
from customers import services as customer_services
from customers.models import Customer, Program, Project
from engine.services import Intake, cycle_take_next, step_close
from notes.services import NoteFields, note_create
from queues import services as queue_services
from queues.models import Location, Queue
from relations.models import Relation, RelationType
from units import services as unit_services
from units.models import Part
from users.models import Role, User
from users.roles import FloorRole
from users.services import role_grant, user_create
from workorders import services as workorder_services
from workorders.models import WorkFlow, WorkOrder

from .copying import RowTemplate, copy_rows, next_ids
from .data import DEMO_LOCATIONS, DEMO_WORKFLOW, demo_manufacturer

# 250k and 2.5k: the benchmark's twin floors (``make bench-twins``), 100 times apart in
# batches and alike in all else: 2.5k has as many work orders, of 10 batches each.
SIZES = {"small": 0, "2.5k": 2_500, "100k": 100_000, "250k": 250_000, "1m": 1_000_000}
PER_WORK_ORDER = 1000  # batches of one device each
BATCHES_PER_WORK_ORDER = {"2.5k": 10}
QUEUES_PER_SITE = 8
TECHNICIANS = 30
LEAD = "tech01"  # holds every tenth batch
LEAD_SHARE = 10
CHUNK = 20_000
DEVICES = 60  # devices technicians take through the services, in every state

# Each customer's floor project, and the part its devices are (serial prefix).
FLOOR_PROJECTS = {
    "Northwind Retail": ("Store tablets rollout", "NWT"),
    "Contoso Health": ("Bedside tablets", "CHT"),
    "Fabrikam Schools": ("Classroom Chromebooks", "FBK"),
}

# The mix of categories of bulk cycles, by a batch's position in its work order (of 20):
# finished work in the past, waiting work ahead, some on hold.
PAST_MIX = ["COMPLETE"] * 14 + ["CANCELLED"] + ["BLOCKED"] + ["PENDING"] * 4
FUTURE_MIX = ["PENDING"] * 17 + ["COMPLETE"] * 2 + ["BLOCKED"]


@dataclass
class Seeded:
    batches: int = 0
    work_orders: int = 0
    technicians: int = 0
    devices: int = 0


def seed_floor(size: int, *, actor, progress, per_work_order: int | None = None) -> Seeded:
    """Grow the floor to ``size`` batches (nothing to do when it holds as many), in work orders
    of ``per_work_order`` batches (default ``PER_WORK_ORDER``)."""
    seeded = Seeded()
    per = per_work_order or PER_WORK_ORDER
    have = Batch.objects.count()
    if have >= size:
        return seeded
    work_orders = (size - have + per - 1) // per
    # The triggers that keep the floor's counters are suspended for the bulk writes and the
    # counters recounted once at the end (batches.tallies).
    with transaction.atomic(), tallies.suspended():
        projects = _projects(actor)
        queues = _queues(actor)
        technicians = _technicians()
        _managers()
        workflow = WorkFlow.objects.get(label=DEMO_WORKFLOW["label"])
        writer = _FloorWriter(technicians, per)
        stage = progress.stage("batches", work_orders * per)
        start = WorkOrder.objects.filter(label__startswith="Floor order ").count()
        made = []
        for n in range(start, start + work_orders):
            work_order, first = _work_order(n, projects, queues, workflow, per, actor=actor)
            writer.copy(work_order, first)
            made.append(work_order)
            stage.advance(per)
        writer.flush()
        stage.finish()
        seeded.work_orders = len(made)
        seeded.batches = len(made) * per
        seeded.technicians = len(technicians)
        seeded.devices = _devices(made, technicians, progress)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Statistics and visibility maps, as autovacuum leaves a server that filled up over
        # months (the planner's estimates and index-only scans need them). Not inside a
        # caller's transaction (a test's), where VACUUM cannot run.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return seeded


def _projects(actor) -> list[Project]:
    projects = []
    manufacturer = demo_manufacturer(actor=actor)
    for customer_label, (label, prefix) in FLOOR_PROJECTS.items():
        customer = Customer.objects.get(label=customer_label)
        program = Program.objects.filter(customer=customer, label="Floor operations").first()
        if program is None:
            program = customer_services.program_create(
                actor=actor,
                fields=customer_services.ProgramFields(customer=customer, label="Floor operations"),
            )
        project = Project.objects.filter(program=program, label=label).first()
        if project is None:
            project = customer_services.project_create(
                actor=actor, fields=customer_services.ProjectFields(program=program, label=label)
            )
        if not Part.objects.filter(customer=customer).exists():
            unit_services.part_create(
                actor=actor,
                fields=unit_services.PartFields(
                    label=f"{customer_label} tablet",
                    customer=customer,
                    manufacturer=manufacturer,
                    part_number=f"{prefix}-2026",
                    serial_prefix=prefix,
                ),
            )
        projects.append(project)
    return projects


def _queues(actor) -> list[Queue]:
    queues = []
    for site in DEMO_LOCATIONS:
        location = Location.objects.get(label=site["label"])
        for lane in range(1, QUEUES_PER_SITE + 1):
            queue = Queue.objects.filter(location=location, label=f"Lane {lane}").first()
            if queue is None:
                queue = queue_services.queue_create(
                    actor=actor,
                    fields=queue_services.QueueFields(
                        label=f"Lane {lane}", priority=QUEUES_PER_SITE - lane, location=location
                    ),
                )
            queues.append(queue)
    return queues


def _technicians() -> list[User]:
    technicians = []
    for n in range(1, TECHNICIANS + 1):
        username = f"tech{n:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, role=FloorRole.TECHNICIAN)
        technicians.append(user)
    return technicians


def _managers() -> None:
    """A production manager per customer, on the customer and on every site."""
    role = Role.objects.get(label="Production manager")
    sites = list(Location.objects.filter(label__in=[site["label"] for site in DEMO_LOCATIONS]))
    for customer_label in FLOOR_PROJECTS:
        username = f"manager-{customer_label.split()[0].lower()}"
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create(username=username, is_staff=True)
        user.set_unusable_password()
        user.save()
        for entity in (Customer.objects.get(label=customer_label), *sites):
            role_grant(role, user=user, entity=entity)


def _work_order(n: int, projects, queues, workflow, per, *, actor) -> tuple[WorkOrder, Batch]:
    """A work order through the service, and its first batch and cycle through theirs."""
    project = projects[n % len(projects)]
    # Due from two months ago (finished, mostly) to four months ahead.
    due = timezone.now() + timedelta(days=(n * 7919) % 180 - 60)
    work_order = workorder_services.work_order_create(
        actor=actor,
        fields=workorder_services.WorkOrderFields(
            label=f"Floor order {n + 1:05d}",
            project=project,
            begin_date=due - timedelta(days=45),
            due_date=due,
            location=queues[0].location,
            lines=[{"needed": per, "work_flow": workflow}],
        ),
    )
    [first] = batches_create(
        actor=actor,
        work_order=work_order,
        queue=queues[n % len(queues)],
        number_cycles=1,
        total=1,
        of=per,
    )
    return work_order, first


class _FloorWriter:
    """Copies a work order's first batch and cycle for the rest of it, with a technician for
    every batch (the lead every tenth, the others in turn), written in chunks."""

    def __init__(self, technicians, per: int):
        self.per = per
        self.lead, self.others = technicians[0], technicians[1:]
        self.user_type = ContentType.objects.get_for_model(User)
        self.batch_type = ContentType.objects.get_for_model(Batch)
        self.pending: list[tuple[Batch, Cycle]] = []
        self.assigned = 0
        self.now = timezone.now()

    def copy(self, work_order: WorkOrder, first: Batch) -> None:
        cycle = first.cycles.get()
        statuses = {}
        for status in work_order.project.effective_statuses:
            statuses.setdefault(status["category"], status)
        mix = PAST_MIX if work_order.due_date < self.now else FUTURE_MIX
        plan = [statuses.get(category) or statuses["PENDING"] for category in mix]
        if connection.vendor == "postgresql":
            self._copy_by_copy(work_order, first, cycle, plan)
            return
        self._relate([first.pk])
        for k in range(1, self.per):
            batch = Batch(
                label=f"{work_order.label} · {k + 1}/{self.per}",
                labels=[],
                work_order_id=work_order.pk,
                queue_id=first.queue_id,
                order=first.order + k,
                current_status=first.current_status,
            )
            status = plan[k % len(plan)]
            copy = Cycle(
                label=f"Cycle {k + 1} for work order: {work_order.label}",
                work_order_id=work_order.pk,
                line_id=cycle.line_id,
                work_flow_version_id=cycle.work_flow_version_id,
                current_status=status,
                category=status["category"],
            )
            self.pending.append((batch, copy))
        # The queue's next order is past these copies (``next_order`` reads the queue).
        if len(self.pending) >= CHUNK:
            self.flush()
        else:
            self._flush_batches_only()

    def _copy_by_copy(self, work_order, first: Batch, cycle: Cycle, plan: list[dict]) -> None:
        """The work order's other batches, their cycles and every batch's technician, each
        streamed with one ``COPY`` (``demo.copying``): no model instance a row."""
        count = self.per - 1
        batch_ids = next_ids(Batch, count)
        batch_rows = RowTemplate(first)
        copy_rows(
            batch_rows,
            (
                batch_rows.row(
                    id=batch_id,
                    public_id=str(uuid.uuid4()),
                    label=f"{work_order.label} · {k + 1}/{self.per}",
                    order=first.order + k,
                )
                for k, batch_id in enumerate(batch_ids, start=1)
            ),
        )
        status_field = Cycle._meta.get_field("current_status")
        prepared = [status_field.get_db_prep_save(status, connection) for status in plan]
        cycle_rows = RowTemplate(cycle, without=("id",))
        copy_rows(
            cycle_rows,
            (
                cycle_rows.row(
                    public_id=str(uuid.uuid4()),
                    label=f"Cycle {k + 1} for work order: {work_order.label}",
                    batch_id=batch_id,
                    current_status=prepared[k % len(plan)],
                    category=plan[k % len(plan)]["category"],
                )
                for k, batch_id in enumerate(batch_ids, start=1)
            ),
        )
        relation_rows = RowTemplate(
            Relation(
                relation=RelationType.TECH,
                subject_type=self.user_type,
                subject_id=self.lead.pk,
                object_type=self.batch_type,
                object_id=first.pk,
                created=self.now,
                updated=self.now,
            ),
            without=("id",),
        )
        copy_rows(
            relation_rows,
            (
                relation_rows.row(subject_id=self._next_technician().pk, object_id=batch_id)
                for batch_id in [first.pk, *batch_ids]
            ),
        )

    def _next_technician(self) -> User:
        user = (
            self.lead
            if self.assigned % LEAD_SHARE == 0
            else self.others[self.assigned % len(self.others)]
        )
        self.assigned += 1
        return user

    def _flush_batches_only(self) -> None:
        # Orders are read by the next work order's first batch: its copies must be there.
        fresh = [batch for batch, _ in self.pending if batch.pk is None]
        Batch.objects.bulk_create(fresh, batch_size=CHUNK)

    def flush(self) -> None:
        self._flush_batches_only()
        for batch, cycle in self.pending:
            cycle.batch_id = batch.pk
        Cycle.objects.bulk_create([cycle for _, cycle in self.pending], batch_size=CHUNK)
        self._relate([batch.pk for batch, _ in self.pending])
        self.pending = []

    def _relate(self, pks) -> None:
        relations = []
        for pk in pks:
            relations.append(
                Relation(
                    relation=RelationType.TECH,
                    subject_type=self.user_type,
                    subject_id=self._next_technician().pk,
                    object_type=self.batch_type,
                    object_id=pk,
                )
            )
        Relation.objects.bulk_create(relations, batch_size=CHUNK)


def _devices(work_orders, technicians, progress) -> int:
    """Devices technicians scan in and run through the services: just taken, a step on,
    and failed with a note saying why (their cycle blocked)."""
    open_orders = [wo for wo in work_orders if wo.due_date >= timezone.now()][:DEVICES]
    stage = progress.stage("devices", len(open_orders))
    batch_type = ContentType.objects.get_for_model(Batch)
    taken = 0
    for n, work_order in enumerate(open_orders):
        batch = (
            Batch.objects.filter(work_order=work_order, cycles__category="PENDING")
            .order_by("pk")
            .first()
        )
        assigned = Relation.objects.filter(
            relation=RelationType.TECH, object_type=batch_type, object_id=batch.pk
        ).values_list("subject_id", flat=True)
        technician = User.objects.get(pk=assigned[0])
        prefix = Part.objects.get(customer=work_order.project.program.customer).serial_prefix
        cycle = cycle_take_next(
            batch,
            actor=technician,
            intake=Intake(raw_serial_number=f"{prefix}F{work_order.pk:05d}{n:04d}"),
        )
        context = cycle.unit.contexts.order_by("-pk").first()
        if n % 3 == 1:
            step_close(
                context,
                "unbox",
                actor=technician,
                close={"step": "unbox", "attachment_id": "ipad-unboxing-guide"},
            )
        elif n % 3 == 2:
            step_close(context, "unbox", actor=technician, close={"type": "fail", "step": "unbox"})
            note_create(
                actor=technician,
                subject=cycle.unit,
                fields=NoteFields(
                    label="Cracked screen",
                    text="Hairline crack across the top-left corner; set aside for the vendor.",
                    issue=True,
                ),
            )
        taken += 1
        stage.advance()
    stage.finish()
    return taken
