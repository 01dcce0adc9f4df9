import factory
from factory.django import DjangoModelFactory

from customers.models import Contact, Customer, Program, Project
from customers.statuses import DEFAULT_STATUSES, first_pending
from queues.models import Location, Queue, Resource, SubResource
from relations.models import RelationType
from relations.services import relation_ensure
from units.models import Manufacturer, Part, Unit, Vendor
from users.models import User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    label = factory.Sequence(lambda n: f"Customer {n:04d}")
    allowed_statuses = factory.LazyFunction(lambda: [dict(s) for s in DEFAULT_STATUSES])
    external_platform = factory.LazyFunction(dict)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    label = "Buyer"
    name = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = "518-867-5309"

    @factory.post_generation
    def customers(self, create, extracted, **kwargs):
        for customer in extracted or ():
            relation_ensure(subject=self, obj=customer, relation=RelationType.CONTACT)


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    label = factory.Sequence(lambda n: f"Program {n:04d}")
    customer = factory.SubFactory(CustomerFactory)
    allowed_statuses = None


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    label = factory.Sequence(lambda n: f"Project {n:04d}")
    program = factory.SubFactory(ProgramFactory)
    allowed_statuses = None


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    label = factory.Sequence(lambda n: f"Facility {n:04d}")
    location_type = "facility"
    address = factory.LazyFunction(
        lambda: {
            "country": "USA",
            "administrative_area": "NY",
            "locality": "Menands",
            "postal_code": "12204",
            "thoroughfare": "431 Broadway",
        }
    )


SIMPLE_STEPS = {
    "image-device": {"step_type": "pass", "label": "Image the device", "goto": "work-complete"},
    "work-complete": {"step_type": "success", "label": "work complete"},
}


def make_workflow(**fields):
    """Return a stored workflow (through its service, so its first version exists)."""
    from workorders.services import WorkFlowFields, workflow_create

    defaults = {
        "label": "Provision iPad",
        "applies_to": "UNIT",
        "starts_at": "image-device",
        "steps": SIMPLE_STEPS,
    }
    return workflow_create(actor=None, fields=WorkFlowFields(**{**defaults, **fields}))


def make_work_order(project=None, cycles=(), **fields):
    """Return a stored work order (through its service), with ``cycles`` of (needed, workflow)."""
    from workorders.services import WorkOrderFields, work_order_create

    defaults = {
        "label": "500 iPads",
        "project": project or ProjectFactory(),
        "begin_date": "2026-01-05T00:00:00Z",
        "due_date": "2026-03-31T00:00:00Z",
    }
    lines = [{"needed": n, "work_flow": wf} for n, wf in cycles]
    return work_order_create(
        actor=None, fields=WorkOrderFields(lines=lines, **{**defaults, **fields})
    )


class QueueFactory(DjangoModelFactory):
    class Meta:
        model = Queue

    label = factory.Sequence(lambda n: f"Queue {n:04d}")
    priority = 1
    location = factory.SubFactory(LocationFactory)


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    label = factory.Sequence(lambda n: f"Station {n:04d}")
    location = factory.SubFactory(LocationFactory)
    resource_type = "imaging-station"


class SubResourceFactory(DjangoModelFactory):
    class Meta:
        model = SubResource

    label = factory.Sequence(lambda n: f"Port {n:04d}")
    resource = factory.SubFactory(ResourceFactory)
    location = factory.LazyAttribute(lambda sub: sub.resource.location)
    resource_type = "imaging-port"


class ManufacturerFactory(DjangoModelFactory):
    class Meta:
        model = Manufacturer

    label = factory.Sequence(lambda n: f"Manufacturer {n:04d}")


class VendorFactory(DjangoModelFactory):
    class Meta:
        model = Vendor

    label = factory.Sequence(lambda n: f"Vendor {n:04d}")


class PartFactory(DjangoModelFactory):
    class Meta:
        model = Part

    label = factory.Sequence(lambda n: f"Part {n:04d}")
    customer = factory.SubFactory(CustomerFactory)
    manufacturer = factory.SubFactory(ManufacturerFactory)
    part_number = factory.Sequence(lambda n: f"MPN-{n:04d}")
    serial_prefix = "ABC"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    label = factory.Sequence(lambda n: f"Unit {n:04d}")
    part = factory.SubFactory(PartFactory)
    raw_serial_number = factory.Sequence(lambda n: f"ABCDEF{n:06d}")
    serial_number = factory.LazyAttribute(lambda u: u.part.serial_number(u.raw_serial_number))
    current_location = factory.SubFactory(LocationFactory)
    current_status = factory.LazyAttribute(
        lambda u: first_pending(u.part.customer.allowed_statuses)
    )
