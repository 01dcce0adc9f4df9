"""What a run's function steps name (locations, projects), read once per run in bulk.

Whatever the size of the workflow, a step completion reads each kind of thing at most once:
the first function step that needs a location reads every location the version names.
"""

from customers.models import Project
from queues.models import Location, Resource, SubResource

from .models import Context


def _named(steps: dict, key: str) -> set[str]:
    found = set()
    for step in steps.values():
        value = ((step.get("options") or {}).get("payload") or {}).get(key)
        if isinstance(value, str):
            found.add(value)
    return found


class Lookups:
    def __init__(self, context: Context):
        self.steps = context.work_flow_version.steps
        self.data = context.data
        self._locations: dict[str, Location] | None = None
        self._projects: dict[str, Project] | None = None
        self._resources: dict[str, Resource] | None = None
        self._sub_resources: dict[str, SubResource] | None = None

    def resource(self, public_id) -> Resource | None:
        if self._resources is None:
            rows = Resource.objects.select_related("location")
            rows = rows.filter(public_id__in=_named(self.steps, "resource_id"))
            self._resources = {each.public_id: each for each in rows}
        return self._resources.get(public_id) if isinstance(public_id, str) else None

    def sub_resource(self, public_id) -> SubResource | None:
        if self._sub_resources is None:
            rows = SubResource.objects.select_related("resource__location")
            rows = rows.filter(public_id__in=_named(self.steps, "sub_resource_id"))
            self._sub_resources = {each.public_id: each for each in rows}
        return self._sub_resources.get(public_id) if isinstance(public_id, str) else None

    def location(self, public_id) -> Location | None:
        if self._locations is None:
            ids = _named(self.steps, "location_id")
            if isinstance(self.data.get("location_id"), str):
                ids.add(self.data["location_id"])
            self._locations = {
                loc.public_id: loc for loc in Location.objects.filter(public_id__in=ids)
            }
        return self._locations.get(public_id) if isinstance(public_id, str) else None

    def project(self, public_id) -> Project | None:
        if self._projects is None:
            ids = _named(self.steps, "project_id")
            rows = Project.objects.select_related("program").filter(public_id__in=ids)
            self._projects = {project.public_id: project for project in rows}
        return self._projects.get(public_id) if isinstance(public_id, str) else None

    @staticmethod
    def work_order_location(context: Context) -> Location | None:
        cycle = context.cycle
        return cycle.work_order.location if cycle is not None else None

    @staticmethod
    def customer_statuses(unit) -> list[dict]:
        return unit.part.customer.allowed_statuses
