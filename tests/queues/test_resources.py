"""Locations and production queues under the generic resource contract."""

from functools import cached_property

from queues.models import Location, Queue
from tests.api.resources import ResourceContract
from tests.factories import LocationFactory, QueueFactory

ADDRESS = {
    "country": "USA",
    "administrative_area": "NY",
    "locality": "Menands",
    "postal_code": "12204",
    "thoroughfare": "431 Broadway",
}


class TestLocations(ResourceContract):
    model = Location
    id_field = "location_id"
    embedded_key = "nter:locations"
    permission = "location:%s"
    link_rels = frozenset({"self", "nter:location-queues"})
    detail_link_rels = frozenset({"nter:location-techs", "nter:relations", "nter:diff"})
    invalid_bodies = [
        ({"label": 5}, "type", ".label"),
        ({"location_type": "castle"}, "enum", ".location_type"),
        ({"address": {**ADDRESS, "country": "Atlantis"}}, "enum", ".address.country"),
    ]

    def make(self):
        return LocationFactory()

    def list_url(self, obj):
        return "/api/locations"

    def child_list_urls(self, obj):
        return ["/api/facilities"]

    def detail_url(self, obj):
        return f"/api/locations/{obj.public_id}"

    def valid_body(self, obj):
        return {"label": "Albany DC", "location_type": "warehouse", "address": ADDRESS}

    def changed(self, fetched):
        return {**fetched, "label": "Albany distribution centre"}


class TestQueues(ResourceContract):
    model = Queue
    id_field = "queue_id"
    embedded_key = "nter:queues"
    permission = "queue:%s"
    referenced_permissions = ("location:read",)
    link_rels = frozenset({"self", "nter:queue-location", "nter:queue-batches"})
    invalid_bodies = [
        ({"priority": "high"}, "type", ".priority"),
        ({"priority": -1}, "minimum", ".priority"),
        ({"location": {"location_id": "missing"}}, "exists", ".location.location_id"),
    ]

    @cached_property
    def location(self):
        return LocationFactory()

    def make(self):
        return QueueFactory(location=self.location)

    def list_url(self, obj):
        return "/api/queues"

    def child_list_urls(self, obj):
        return [f"/api/locations/{self.location.public_id}/queues"]

    def detail_url(self, obj):
        return f"/api/queues/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "Fast Lane",
            "priority": 10,
            "location": {"location_id": self.location.public_id},
        }

    def changed(self, fetched):
        return {**fetched, "priority": 50}
