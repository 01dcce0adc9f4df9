from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from customers.input_filters import input_filter_field
from niagara.jsonschemas import DocumentSchema, DocumentValidator
from niagara.models import Entity
from relations.registry import entities

from .addresses import format_address
from .counters import counted_for


class LocationType(models.TextChoices):
    WAREHOUSE = "warehouse", "Warehouse"
    FACILITY = "facility", "Facility"
    OTHER = "other", "Other"


class Location(Entity):
    """A physical place where work happens and production queues live."""

    label = models.CharField(max_length=200)
    location_type = models.CharField(max_length=20, choices=LocationType.choices)
    address = models.JSONField(validators=[DocumentValidator("queues.addresses.ADDRESS")])
    input_filter = input_filter_field()

    class Meta:
        indexes = [models.Index(fields=["location_type", "id"], name="location_type_idx")]

    def __str__(self):
        return self.label

    @property
    def formatted_address(self) -> str:
        if not isinstance(self.address, dict) or "country" not in self.address:
            return ""
        return format_address(self.label, self.address)


class QueueQuerySet(models.QuerySet):
    def with_counters(self, viewer=None):
        """Return the queues with every registered counter set once fetched, counting what
        ``viewer`` (the caller's access) may read (``counters``)."""
        clone = self._chain()
        clone._iterable_class = counted_for(viewer)
        return clone


class QueueManager(models.Manager.from_queryset(QueueQuerySet)):
    def get_queryset(self):
        # A queue is named with its location ("Fast Lane · Albany DC"): read them together.
        return super().get_queryset().select_related("location")


class Queue(Entity):
    """A production bucket at a location: batches wait in it, technicians pick work from it."""

    label = models.CharField(max_length=200)
    priority = models.FloatField(
        validators=[MinValueValidator(0)], help_text="Higher priorities are worked first."
    )
    location = models.ForeignKey(Location, models.PROTECT, related_name="queues")

    objects = QueueManager()

    class Meta:
        indexes = [models.Index(fields=["-priority", "id"], name="queue_priority_idx")]

    def __str__(self):
        # Two queues may share a label ("Fast Lane") at different locations.
        return f"{self.label} · {self.location.label}"


# Grouping words for resources ("imaging-port", "vpn-slot"): kebab-cased, as the docs say.
RESOURCE_TYPE_PATTERN = r"^[a-z][0-9a-zA-Z-]+$"
# A resource's ``meta``: data as key/value pairs, every value a string (the docs).
META = DocumentSchema(
    {
        "type": "object",
        "description": "Data for the entity as key/value pairs",
        "additionalProperties": {"type": "string", "maxLength": 1000},
        "maxProperties": 100,
    }
)


class ResourceBase(Entity):
    label = models.CharField(max_length=200)
    resource_type = models.CharField(
        max_length=100,
        validators=[RegexValidator(RESOURCE_TYPE_PATTERN, "Kebab-cased, as imaging-port.")],
        help_text="Groups resources (kebab-cased: line, station, imaging-port, vpn-slot).",
    )
    meta = models.JSONField(
        default=dict, blank=True, validators=[DocumentValidator("queues.models.META")]
    )
    input_filter = input_filter_field()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.label} · {self.location.label}"


class Resource(ResourceBase):
    """Something at a location work runs on: a line, a station, an imaging port, a VPN slot.
    One with sub-resources cannot go (423)."""

    location = models.ForeignKey(Location, models.PROTECT, related_name="resources")


class SubResource(ResourceBase):
    """A slot within a resource (a port of an imaging station), at its resource's location."""

    location = models.ForeignKey(Location, models.PROTECT, related_name="sub_resources")
    resource = models.ForeignKey(Resource, models.PROTECT, related_name="sub_resources")


entities.register(Location, code="LOC", collection="locations", kind="location")
entities.register(
    Resource,
    code="RES",
    collection="resources",
    kind="resource",
    ancestors={"location": "location"},
)
entities.register(
    SubResource,
    code="SRES",
    collection="sub-resources",
    kind="sub-resource",
    ancestors={"location": "location", "resource": "resource"},
)
entities.register(
    Queue, code="QUE", collection="queues", kind="queue", ancestors={"location": "location"}
)
