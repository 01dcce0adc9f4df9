"""Locations and production queues under the generic resource contract."""

from functools import cached_property

from queues.models import Location, Queue, Resource, SubResource
from tests.api.resources import ResourceContract
from tests.factories import LocationFactory, QueueFactory, ResourceFactory, SubResourceFactory

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
    link_rels = frozenset({"self", "nter:location-queues", "nter:location-resources"})
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


class TestResources(ResourceContract):
    model = Resource
    id_field = "resource_id"
    embedded_key = "nter:resources"
    permission = "resource:%s"
    referenced_permissions = ("location:read",)
    link_rels = frozenset(
        {
            "self",
            "nter:resource-location",
            "nter:resource-sub-resources",
            "nter:resource-contexts",
            "nter:location-resource",
        }
    )
    invalid_bodies = [
        ({"resource_type": "Imaging Station"}, "pattern", ".resource_type"),
        ({"meta": {"port": 3}}, "type", ".meta.port"),
        ({"location": {"location_id": "missing"}}, "exists", ".location.location_id"),
    ]

    @cached_property
    def location(self):
        return LocationFactory()

    def make(self):
        return ResourceFactory(location=self.location)

    def list_url(self, obj):
        return "/api/resources"

    def child_list_urls(self, obj):
        return [f"/api/locations/{self.location.public_id}/resources"]

    def detail_url(self, obj):
        return f"/api/resources/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "Imaging station 1",
            "resource_type": "imaging-station",
            "location": {"location_id": self.location.public_id},
            "meta": {"vlan": "40"},
        }

    def changed(self, fetched):
        return {**fetched, "meta": {"vlan": "41", "rack": "B"}}


class TestSubResources(ResourceContract):
    model = SubResource
    id_field = "sub_resource_id"
    embedded_key = "nter:sub-resources"
    permission = "sub-resource:%s"
    referenced_permissions = ("location:read", "resource:read")
    link_rels = frozenset({"self", "nter:sub-resource-parent", "nter:sub-resource-location"})
    invalid_bodies = [
        ({"resource_type": "-port"}, "pattern", ".resource_type"),
        ({"resource": {"resource_id": "missing"}}, "exists", ".resource.resource_id"),
    ]

    @cached_property
    def resource(self):
        return ResourceFactory()

    def make(self):
        return SubResourceFactory(resource=self.resource)

    def list_url(self, obj):
        return "/api/sub-resources"

    def child_list_urls(self, obj):
        return [f"/api/resources/{self.resource.public_id}/sub-resources"]

    def detail_url(self, obj):
        return f"/api/sub-resources/{obj.public_id}"

    def valid_body(self, obj):
        return {
            "label": "Port 1",
            "resource_type": "imaging-port",
            "location": {"location_id": self.resource.location.public_id},
            "resource": {"resource_id": self.resource.public_id},
        }

    def changed(self, fetched):
        return {**fetched, "label": "Port one"}
