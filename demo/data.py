"""Demo data: a realistic shop floor a newcomer can click through (``manage.py seed_demo``)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from attachments import services as attachment_services
from attachments.models import Attachment
from batches import services as batch_services
from customers import services as customer_services
from customers.models import Customer, Program, Project
from customers.statuses import DEFAULT_STATUSES
from engine import services as engine_services
from notes.services import NoteFields, note_create
from queues import services as queue_services
from queues.models import Location, Queue
from relations.models import RelationType
from relations.services import relation_create
from units import services as unit_services
from units.models import Manufacturer, Part, Unit
from users.models import User
from users.roles import FloorRole
from users.services import user_create
from workorders import services as workorder_services
from workorders.models import WorkFlow, WorkOrder

from .documents import instructions_pdf

DEMO_CUSTOMERS = [
    {
        "label": "Northwind Retail",
        "external_platform": {"salesforce": "0015g00000NWR001", "netsuite": None},
        "allowed_statuses": [
            *DEFAULT_STATUSES,
            {"status": "On hold", "category": "BLOCKED", "description": "Waiting on Northwind"},
        ],
        "contacts": [
            {
                "label": "IT Director",
                "name": "Dana Whitfield",
                "email": "dana.whitfield@northwind.example",
                "phone": "+1 212 555 0142",
            },
            {
                "label": "Store operations",
                "name": "Luis Ortega",
                "email": "luis.ortega@northwind.example",
            },
        ],
    },
    {
        "label": "Contoso Health",
        "external_platform": {"epic": "CH-2291"},
        "allowed_statuses": [
            {"status": "Queued", "category": "PENDING", "description": "Waiting for intake"},
            {"status": "Imaging", "category": "IN_PROGRESS", "description": "Image being applied"},
            {"status": "QA", "category": "VERIFYING", "description": "Quality assurance check"},
            {"status": "On hold", "category": "BLOCKED", "description": "Waiting on the customer"},
            {"status": "Shipped", "category": "COMPLETE", "description": "Left the building"},
            {"status": "Voided", "category": "CANCELLED", "description": None},
        ],
        "contacts": [
            {
                "label": "Clinical engineering",
                "name": "Priya Raman",
                "email": "priya.raman@contoso-health.example",
                "phone": "+1 617 555 0199",
            },
        ],
    },
    {
        "label": "Fabrikam Schools",
        "external_platform": {},
        "allowed_statuses": [
            {"status": "To do", "category": "PENDING"},
            {"status": "Provisioning", "category": "IN_PROGRESS"},
            {"status": "Checked", "category": "VERIFYING"},
            {"status": "Stuck", "category": "BLOCKED"},
            {"status": "Delivered", "category": "COMPLETE"},
            {"status": "Dropped", "category": "CANCELLED"},
        ],
        "contacts": [
            {
                "label": "District IT",
                "name": "Morgan Lee",
                "email": "morgan.lee@fabrikam-schools.example",
            },
            # Shared with Northwind: one contact may serve several customers.
            {
                "label": "IT Director",
                "name": "Dana Whitfield",
                "email": "dana.whitfield@northwind.example",
            },
        ],
    },
]

# Programs narrow their customer's statuses; projects narrow their program's.
DEMO_PROGRAMS = {
    "Northwind Retail": [
        {
            "label": "North-east stores",
            "start_date": "2026-01-05T00:00:00Z",
            "end_date": "2026-06-30T00:00:00Z",
            "allowed_statuses": [
                {"status": "Pending", "category": "PENDING"},
                {"status": "In Progress", "category": "IN_PROGRESS"},
                {"status": "Verifying", "category": "VERIFYING"},
                {"status": "Blocked", "category": "BLOCKED"},
                {"status": "Complete", "category": "COMPLETE"},
                {"status": "Cancelled", "category": "CANCELLED"},
            ],
            "input_filter": [
                {
                    "key": "store_number",
                    "label": "Store number",
                    "filters": [{"type": "digits"}],
                    "validators": [{"type": "required"}],
                    "locked": True,
                }
            ],
            "projects": [
                {
                    "label": "New York stores refresh",
                    "description": "500 iPads for the New York stores",
                    # No VERIFYING: QC counts as in progress here. A failed device is
                    # BLOCKED until it is restarted or cancelled.
                    "allowed_statuses": [
                        {"status": "Pending", "category": "PENDING"},
                        {"status": "In Progress", "category": "IN_PROGRESS"},
                        {"status": "Blocked", "category": "BLOCKED"},
                        {"status": "Complete", "category": "COMPLETE"},
                        {"status": "Cancelled", "category": "CANCELLED"},
                    ],
                },
                {"label": "Boston pilot", "description": "40 point-of-sale tablets"},
            ],
        },
        {"label": "West coast stores", "projects": [{"label": "Seattle flagship"}]},
    ],
    "Contoso Health": [
        {
            "label": "Clinical devices 2026",
            "allowed_statuses": [
                {"status": "Queued", "category": "PENDING"},
                {"status": "Imaging", "category": "IN_PROGRESS"},
                {"status": "QA", "category": "VERIFYING"},
                {"status": "Shipped", "category": "COMPLETE"},
            ],
            "projects": [{"label": "Ward tablets", "description": "Bedside tablets, 3 wards"}],
        }
    ],
}

DEMO_LOCATIONS = [
    {
        "label": "Albany fulfilment center",
        "location_type": "warehouse",
        "address": {
            "country": "USA",
            "administrative_area": "NY",
            "sub_administrative_area": "Albany",
            "locality": "Menands",
            "postal_code": "12204",
            "thoroughfare": "431 Broadway",
            "premise": "Suite C",
        },
    },
    {
        "label": "Toronto imaging lab",
        "location_type": "facility",
        "address": {
            "country": "CAN",
            "administrative_area": "ON",
            "locality": "Toronto",
            "postal_code": "M5V 2T6",
            "thoroughfare": "290 Bremner Blvd",
        },
    },
    {
        "label": "Berlin staging floor",
        "location_type": "facility",
        "address": {
            "country": "DEU",
            "administrative_area": "Berlin",
            "locality": "Berlin",
            "postal_code": "10115",
            "thoroughfare": "Invalidenstr. 116",
            "premise": "Haus 2",
        },
    },
]


# Runs at the technician station as it is: instructions, data entry, a function, a QC checklist
# closed by a second technician.
DEMO_WORKFLOW = {
    "label": "Provision iPad for retail",
    "applies_to": "UNIT",
    "triggered_by": ["UNIT.created"],
    "starts_at": "unbox",
    "steps": {
        "unbox": {
            "step_type": "user",
            "label": "Unbox and inspect",
            "goto": "enter-details",
            "goto-fail": "reject",
            "options": {
                "component": "follow-pdf-instructions",
                "payload": {"attachment_id": "ipad-unboxing-guide"},
            },
        },
        "enter-details": {
            "step_type": "user",
            "label": "Record IMEI and asset tag",
            "goto": "mark-imaging",
            "goto-fail": "reject",
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
                            "label": "Asset tag",
                            "required": False,
                            "entity_field": "tenant_part_number",
                        },
                    ]
                },
            },
        },
        "mark-imaging": {
            "step_type": "function",
            "label": "Mark the device in progress",
            "goto": "quality-check",
            "goto-fail": "reject",
            "options": {
                "function": "set-entity-status",
                "payload": {"status": {"status": "In Progress", "category": "IN_PROGRESS"}},
            },
        },
        "quality-check": {
            "step_type": "user",
            "label": "Quality check",
            "goto": "done",
            "goto-fail": "reject",
            "options": {
                "component": "task-list",
                "payload": {
                    "is_qc": True,
                    "items": [
                        {"label": "Screen and case intact", "slug": "intact"},
                        {"label": "Enrolled in MDM", "slug": "mdm"},
                    ],
                },
            },
        },
        "done": {"step_type": "success", "label": "Ready to ship"},
        "reject": {"step_type": "fail", "label": "Rejected"},
    },
}

DEMO_WORK_ORDERS = [
    {
        "label": "500 iPads for New York stores",
        "project": "New York stores refresh",
        "location": "Albany fulfilment center",
        # Days from the day the demo is loaded: due next week and this week.
        "begin_date": -14,
        "due_date": 10,
        "needed": 500,
    },
    {
        "label": "40 POS tablets for Boston",
        "project": "Boston pilot",
        "location": "Toronto imaging lab",
        "begin_date": -7,
        "due_date": 4,
        "needed": 40,
    },
]


DEMO_QUEUES = [
    {"label": "Fast Lane", "priority": 10, "location": "Albany fulfilment center"},
    {"label": "Standard", "priority": 5, "location": "Albany fulfilment center"},
    {"label": "Imaging bench", "priority": 5, "location": "Toronto imaging lab"},
]


# The iPads Northwind sends in, and the first few received at the Albany fulfilment center.
DEMO_MANUFACTURER = "Apple"
DEMO_PART = {
    "label": "iPad 10th gen Wi-Fi 64 GB",
    "customer": "Northwind Retail",
    "part_number": "MPQ03LL/A",
    "serial_prefix": "DMP",
}
DEMO_UNITS = {"location": "Albany fulfilment center", "serials": [f"DMPX{n:07d}" for n in range(5)]}


@dataclass
class Loaded:
    customers: int = 0
    programs: int = 0
    projects: int = 0
    locations: int = 0
    work_orders: int = 0
    batches: int = 0
    units: int = 0
    runs: int = 0


def load_demo(*, actor) -> Loaded:
    """Create whatever of the demo data is missing (matched by label); return what was new."""
    new = Loaded()
    for spec in DEMO_CUSTOMERS:
        customer = Customer.objects.filter(label__iexact=spec["label"]).first()
        if customer is None:
            fields = {k: spec[k] for k in ("label", "allowed_statuses", "external_platform")}
            customer = customer_services.customer_create(
                actor=actor, fields=customer_services.CustomerFields(**fields)
            )
            new.customers += 1
        for contact in spec["contacts"]:
            customer_services.contact_attach(
                actor=actor, customer=customer, fields=customer_services.ContactFields(**contact)
            )
        for program_spec in DEMO_PROGRAMS.get(spec["label"], []):
            _load_program(customer, dict(program_spec), actor=actor, new=new)
    for spec in DEMO_LOCATIONS:
        if not Location.objects.filter(label=spec["label"]).exists():
            queue_services.location_create(
                actor=actor, fields=queue_services.LocationFields(**spec)
            )
            new.locations += 1
    _load_work_orders(actor=actor, new=new)
    _load_documents(actor=actor)
    _load_floor(actor=actor, new=new)
    _load_devices(actor=actor, new=new)
    _load_day(actor=actor, new=new)
    return new


# The demo's technicians (no password: an admin sets one to sign in as them). The README's
# walk-through adds its own (tess, theo) on the first batch, which the demo leaves untouched.
DEMO_TECHNICIANS = ["ana", "ben"]


def _load_day(*, actor, new: Loaded) -> None:
    """A floor in the middle of its day: two technicians on batches of the iPads,
    and the received iPads in every state a device goes through: produced (QC by a second
    person), waiting for QC, at its first step, failed and blocked with a note, cancelled with
    a reason. Through the services, as the station does it; once (the devices' runs exist)."""

    serials = DEMO_UNITS["serials"]
    if Unit.objects.filter(raw_serial_number__in=serials, contexts__isnull=False).exists():
        return
    ana, ben = (
        User.objects.filter(username=name).first()
        or user_create(username=name, role=FloorRole.TECHNICIAN)
        for name in DEMO_TECHNICIANS
    )
    ipads = WorkOrder.objects.get(label=DEMO_WORK_ORDERS[0]["label"])
    second, third = ipads.batches.order_by("order", "pk")[1:3]
    batch_services.batches_assign([second], actor=actor, tech=ana)
    batch_services.batches_assign([second, third], actor=actor, tech=ben)

    def take(serial):
        intake = engine_services.Intake(raw_serial_number=serial)
        cycle = engine_services.cycle_take_next(second, actor=ana, intake=intake)
        new.runs += 1
        return cycle, cycle.unit.contexts.order_by("-pk").first()

    def prepare(context, asset_tag):
        unbox = {"step": "unbox", "attachment_id": "ipad-unboxing-guide"}
        context = engine_services.step_close(context, "unbox", actor=ana, close=unbox)
        fields = [
            {"label": "IMEI", "value": "356789012345678"},
            {"label": "Asset tag", "value": asset_tag},
        ]
        details = {"step": "enter-details", "fields": fields}
        return engine_services.step_close(context, "enter-details", actor=ana, close=details)

    produced, waiting, started, failed, scrapped = serials
    _, context = take(produced)
    context = prepare(context, "NW-0001")
    items = [{"slug": "intact", "value": "ok"}, {"slug": "mdm", "value": "ok"}]
    qc = {"step": "quality-check", "items": items}
    engine_services.step_close(context, "quality-check", actor=ben, close=qc)
    prepare(take(waiting)[1], "NW-0002")
    _, context = take(started)
    engine_services.step_close(
        context,
        "unbox",
        actor=ana,
        close={"step": "unbox", "attachment_id": "ipad-unboxing-guide"},
    )
    _, context = take(failed)
    engine_services.step_fail(context, "unbox", actor=ana, reason="Will not power on")
    note_create(
        actor=ana,
        subject=context.unit,
        fields=NoteFields(
            label="Dead on arrival",
            text="No charge light after an hour on the charger; needs a manager's call.",
            issue=True,
        ),
    )
    cycle, _ = take(scrapped)
    engine_services.cycle_cancel(cycle, actor=ben, reason="Dropped at the bench: screen shattered")


def demo_manufacturer(*, actor) -> Manufacturer:
    """The demo's manufacturer (made once)."""
    manufacturer = Manufacturer.objects.filter(label=DEMO_MANUFACTURER).first()
    if manufacturer is None:
        manufacturer = unit_services.manufacturer_create(
            actor=actor, fields=unit_services.ManufacturerFields(label=DEMO_MANUFACTURER)
        )
    return manufacturer


def _load_devices(*, actor, new: Loaded) -> None:
    """A manufacturer, Northwind's iPad part and a few of its units received at Albany."""
    manufacturer = demo_manufacturer(actor=actor)
    part = Part.objects.filter(label=DEMO_PART["label"]).first()
    if part is None:
        fields = unit_services.PartFields(
            **{**DEMO_PART, "customer": Customer.objects.get(label=DEMO_PART["customer"])},
            manufacturer=manufacturer,
        )
        part = unit_services.part_create(actor=actor, fields=fields)
    location = Location.objects.get(label=DEMO_UNITS["location"])
    pending = next(s for s in part.customer.allowed_statuses if s["category"] == "PENDING")
    for number, serial in enumerate(DEMO_UNITS["serials"], start=1):
        if part.units.filter(raw_serial_number=serial).exists():
            continue
        fields = unit_services.UnitFields(
            label=f"iPad {number}",
            part=part,
            current_location=location,
            current_status=pending,
            raw_serial_number=serial,
        )
        unit_services.unit_create(actor=actor, fields=fields)
        new.units += 1


def _load_floor(*, actor, new: Loaded) -> None:
    """Queues, and the 500 iPads split into batches of 10 on the Fast Lane (first 100 placed)."""
    for spec in DEMO_QUEUES:
        if not Queue.objects.filter(label=spec["label"]).exists():
            location = Location.objects.get(label=spec["location"])
            fields = queue_services.QueueFields(
                label=spec["label"], priority=spec["priority"], location=location
            )
            queue_services.queue_create(actor=actor, fields=fields)
    ipads = WorkOrder.objects.get(label=DEMO_WORK_ORDERS[0]["label"])
    if not ipads.batches.exists():
        created = batch_services.batches_create(
            actor=actor,
            work_order=ipads,
            queue=Queue.objects.get(label="Fast Lane"),
            number_cycles=10,
            total=10,
        )
        new.batches += len(created)


# The PDF the demo workflow's unboxing step names (``follow-pdf-instructions``).
DEMO_GUIDE = {
    "attachment_id": "ipad-unboxing-guide",
    "name": "iPad unboxing guide.pdf",
    "title": "Unboxing an iPad",
    "lines": [
        "1. Cut the tape on both sides; never lift the lid by the film.",
        "2. Check the screen and the corners for damage before anything else.",
        "3. Damaged? Fail the step and write a note with what you saw.",
        "4. Keep the charger and the cable in the box for the kitting step.",
    ],
}


def _load_documents(*, actor) -> None:
    """Upload the unboxing guide under the id the workflow's step names, attached to the
    workflow: the station shows it at that step."""
    if Attachment.objects.filter(public_id=DEMO_GUIDE["attachment_id"]).exists():
        return
    data = instructions_pdf(DEMO_GUIDE["title"], DEMO_GUIDE["lines"])
    fields = attachment_services.AttachmentFields(
        name=DEMO_GUIDE["name"], type="application/pdf", size=len(data)
    )
    guide = attachment_services.attachment_sign(actor=actor, fields=fields)
    Attachment.objects.filter(pk=guide.pk).update(public_id=DEMO_GUIDE["attachment_id"])
    guide.public_id = DEMO_GUIDE["attachment_id"]
    guide = attachment_services.attachment_store(guide, [data], actor=actor)
    workflow = WorkFlow.objects.get(label=DEMO_WORKFLOW["label"])
    relation_create(subject=workflow, obj=guide, relation=RelationType.FILE)


def _load_work_orders(*, actor, new: Loaded) -> None:
    workflow = WorkFlow.objects.filter(label=DEMO_WORKFLOW["label"]).first()
    if workflow is None:
        workflow = workorder_services.workflow_create(
            actor=actor, fields=workorder_services.WorkFlowFields(**DEMO_WORKFLOW)
        )
    for spec in DEMO_WORK_ORDERS:
        if WorkOrder.objects.filter(label=spec["label"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("project", "location", "needed")}
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        for name in ("begin_date", "due_date"):
            fields[name] = today + datetime.timedelta(days=fields[name])
        fields = workorder_services.WorkOrderFields(
            project=Project.objects.get(label=spec["project"]),
            location=Location.objects.get(label=spec["location"]),
            lines=[{"needed": spec["needed"], "work_flow": workflow}],
            **fields,
        )
        workorder_services.work_order_create(actor=actor, fields=fields)
        new.work_orders += 1


def _load_program(customer, spec: dict, *, actor, new: Loaded) -> None:
    projects = spec.pop("projects", [])
    program = Program.objects.filter(customer=customer, label=spec["label"]).first()
    if program is None:
        fields = customer_services.ProgramFields(customer=customer, **spec)
        program = customer_services.program_create(actor=actor, fields=fields)
        new.programs += 1
    for project_spec in projects:
        if not Project.objects.filter(program=program, label=project_spec["label"]).exists():
            fields = customer_services.ProjectFields(program=program, **project_spec)
            customer_services.project_create(actor=actor, fields=fields)
            new.projects += 1
