"""Two customers' floors, side by side, for the tenancy tests: every kind of object Niagara
keeps, planted once for each customer through the same services the API and the admin use.

Every object of a customer carries the customer's name in its label (``Globex batch``,
``Globex unit``…), so "no label of customer B appears" is a text search. The catalogue both
share (the workflow, the manufacturer) and the shop's people carry neither name.

Adding a model: plant one of it here for each customer (``test_admin_tenancy`` fails, naming
it, until a planted row of every registered model exists).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from actions.models import Action
from actions.services import ActionFields, action_create
from attachments.services import AttachmentFields, attachment_upload
from batches.services import batches_create
from customers.models import Contact
from engine.services import Intake, cycle_take_next
from events.models import Event
from notes.services import NoteFields, note_create
from relations.models import RelationType
from relations.services import relation_create
from tests.factories import (
    CustomerFactory,
    LocationFactory,
    ManufacturerFactory,
    PartFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    ResourceFactory,
    SubResourceFactory,
    UnitFactory,
    UserFactory,
    VendorFactory,
    make_work_order,
    make_workflow,
)
from units.models import Manufacturer, Vendor
from users.models import Role
from users.operators import operator_switch, station_pass_set
from users.services import role_grant
from webhooks.services import WebhookFields, webhook_create, webhook_send_test
from workorders.models import WorkFlow

# What customers share: any viewer may see these (planted once, with neither name).
SHARED_CATALOGUE = frozenset({WorkFlow, Manufacturer, Vendor})


@dataclass
class Floor:
    """One customer's floor: its objects by kind, its manager and its technician."""

    name: str
    objects: dict = field(default_factory=dict)
    manager: object = None
    technician: object = None

    def __getitem__(self, key):
        return self.objects[key]


def plant(name: str, *, workflow, manufacturer, shared_queue, people: tuple[str, str]) -> Floor:
    """Plant customer ``name``'s floor: a customer with a contact, program, project, work
    order, a site and queue of its own, batches there and in ``shared_queue``, a part, units
    (one scanned into a cycle, so it has a run), notes, and relations between them. Its
    manager holds the shipped "Production manager" role on the customer and on both sites (as
    a shop grants it); its technician the "Technician" role and one batch."""
    floor = Floor(name)
    customer = CustomerFactory(label=name)
    contact = Contact.objects.create(
        label=f"{name} buyer", name=f"{name} Buyer", email=f"buyer@{name.lower()}.example"
    )
    relation_create(subject=contact, obj=customer, relation=RelationType.CONTACT)
    program = ProgramFactory(customer=customer, label=f"{name} program")
    project = ProjectFactory(program=program, label=f"{name} project")
    work_order = make_work_order(
        project=project, label=f"{name} work order", cycles=[(40, workflow)]
    )
    site = LocationFactory(label=f"{name} site")
    queue = QueueFactory(location=site, label=f"{name} queue")
    batches = batches_create(
        actor=None,
        work_order=work_order,
        queue=queue,
        number_cycles=5,
        total=2,
        labels=[f"{name.lower()}-label"],
    )
    shared = batches_create(
        actor=None, work_order=work_order, queue=shared_queue, number_cycles=3, total=1
    )
    part = PartFactory(
        customer=customer,
        manufacturer=manufacturer,
        label=f"{name} part",
        serial_prefix="",
        part_number=f"{name}-MPN",
    )
    vendor = VendorFactory(label=f"{name} supplier")
    spare = UnitFactory(part=part, current_location=site, label=f"{name} spare unit", vendor=vendor)
    station = ResourceFactory(location=site, label=f"{name} station")
    port = SubResourceFactory(resource=station, label=f"{name} port")
    manager = UserFactory(username=people[0])
    technician = UserFactory(username=people[1])
    manager_role = Role.objects.get(label="Production manager")
    for entity in (customer, site, shared_queue.location):
        role_grant(manager_role, user=manager, entity=entity)
    role_grant(Role.objects.get(label="Technician"), user=technician)
    relation_create(subject=technician, obj=batches[0], relation=RelationType.TECH)
    cycle = cycle_take_next(
        batches[0], actor=technician, intake=Intake(raw_serial_number=f"{name.upper()}0001")
    )
    unit = cycle.unit
    unit.label = f"{name} unit"
    unit.save(update_fields=["label"])
    note = note_create(
        actor=technician,
        subject=unit,
        fields=NoteFields(label=f"{name} cracked screen", text=f"{name}: screen", issue=True),
    )
    note_create(
        actor=manager,
        subject=work_order,
        fields=NoteFields(label=f"{name} order note", text=f"{name} order"),
    )
    relation_create(subject=customer, obj=site, relation=RelationType.COLLABORATOR)
    instructions = b"%PDF-1.4\n" + f"{name} repair instructions".encode()
    file = attachment_upload(
        actor=manager,
        fields=AttachmentFields(
            name=f"{name} instructions.pdf", type="application/pdf", size=len(instructions)
        ),
        chunks=[instructions],
    )
    relation_create(subject=unit, obj=file, relation=RelationType.FILE)
    # The technician takes a shared station over with their badge (the shop's audit).
    station_pass_set(technician, badge=f"badge-of-{people[1]}")
    operator_switch(current=manager, badge=f"badge-of-{people[1]}")
    # The customer's system hears its cycles (a webhook, with a test message queued).
    webhook = webhook_create(
        actor=manager,
        fields=WebhookFields(
            url=f"https://{name.lower()}.example/hook",
            events=["CYC.status-changed"],
            customer=customer,
            label=f"{name} hook",
        ),
    )
    webhook_send_test(webhook, actor=manager)
    # Its manager hears of its blocked cycles (an action on the customer).
    action = action_create(
        actor=manager,
        fields=ActionFields(
            label=f"{name} blocked cycles",
            event="CYC.status-changed",
            target=customer,
            criteria=[{"property": "current_status", "operator": "equals", "value": "Blocked"}],
            effect=[
                {
                    "effect_type": "notify",
                    "options": {
                        "contacts": [manager.public_id],
                        "label": f"{name}: a cycle is blocked",
                        "message": "",
                        "severity": "issue",
                    },
                }
            ],
        ),
    )
    floor.objects.update(
        action=action,
        webhook=webhook,
        customer=customer,
        contact=contact,
        program=program,
        project=project,
        work_order=work_order,
        site=site,
        queue=queue,
        batches=batches,
        shared_batch=shared[0],
        part=part,
        unit=unit,
        spare=spare,
        station=station,
        port=port,
        cycle=cycle,
        note=note,
        file=file,
    )
    floor.manager, floor.technician = manager, technician
    return floor


def quiet_floors() -> dict[str, Floor]:
    """Acme's floor beside Globex's with nothing pending: their planting's events already
    handed over and no action set (for tests of what happens next)."""
    shared = dict(
        workflow=make_workflow(),
        manufacturer=ManufacturerFactory(),
        shared_queue=QueueFactory(location=LocationFactory()),
    )
    floors = {
        "acme": plant("Acme", people=("maria", "tess"), **shared),
        "globex": plant("Globex", people=("greg", "gail"), **shared),
    }
    Event.objects.update(dispatched=timezone.now())
    Action.objects.all().delete()
    return floors
