"""Resources and sub-resources: the lines, stations, imaging ports and VPN slots at a
location, run by its managers in the admin and over the API, seen only where one may read."""

import pytest
from django.test import Client

from queues.models import Resource, SubResource
from tests.factories import LocationFactory, ResourceFactory, SubResourceFactory, UserFactory
from tests.helpers import (
    assert_problem,
    assert_status,
    changeform_data,
    client_for,
    post_json,
    put_json,
)
from users.models import Role
from users.roles import FloorRole
from users.services import role_grant, user_set_role

pytestmark = pytest.mark.django_db


def site_manager(*sites):
    """A manager holding the shipped role on ``sites`` alone (as a shop grants it)."""
    manager = UserFactory()
    for site in sites:
        role_grant(Role.objects.get(label="Production manager"), user=manager, entity=site)
    return manager


def test_a_sub_resource_sits_at_its_resources_location(api):
    station = ResourceFactory()
    body = {
        "label": "Port 1",
        "resource_type": "imaging-port",
        "location": {"location_id": LocationFactory().public_id},
        "resource": {"resource_id": station.public_id},
    }

    problem = assert_problem(post_json(api, "/api/sub-resources", body), 400, "Bad Request")

    assert ".location" in str(problem["validation_messages"])
    assert not SubResource.objects.exists()
    body["location"] = {"location_id": station.location.public_id}
    assert_status(post_json(api, "/api/sub-resources", body), 200)


def test_a_resource_with_sub_resources_stays_and_stays_put(api):
    port = SubResourceFactory()
    station = port.resource
    url = f"/api/resources/{station.public_id}"

    assert_problem(api.delete(url), 423, "Locked")
    moved = {**api.get(url).json(), "location": {"location_id": LocationFactory().public_id}}
    assert_problem(put_json(api, url, moved), 423, "Locked")
    station.refresh_from_db()
    assert station.location == port.location
    assert_status(api.delete(f"/api/sub-resources/{port.public_id}"), 205)
    assert_status(api.delete(url), 205)


def test_a_site_manager_sees_and_runs_their_sites_resources_alone():
    albany, boston = LocationFactory(label="Albany"), LocationFactory(label="Boston")
    mine, theirs = ResourceFactory(location=albany), ResourceFactory(location=boston)
    api = client_for(site_manager(albany))

    listed = api.get("/api/resources").json()["_embedded"]["nter:resources"]
    assert [r["resource_id"] for r in listed] == [mine.public_id]
    assert_status(api.get(f"/api/resources/{theirs.public_id}"), 404)
    body = {
        "label": "Line 2",
        "resource_type": "line",
        "location": {"location_id": boston.public_id},
    }
    assert post_json(api, "/api/resources", body).status_code in (400, 403)
    body["location"] = {"location_id": albany.public_id}
    assert_status(post_json(api, "/api/resources", body), 200)
    assert Resource.objects.filter(location=boston).count() == 1


def test_a_manager_adds_a_resource_with_its_data_in_rows():
    manager = UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    client = Client()
    client.force_login(manager)
    site = LocationFactory()
    form = changeform_data(client.get("/admin/queues/resource/add/"))
    form.update(
        {
            "label": "Imaging station 1",
            "resource_type": "imaging-station",
            "location": site.pk,
            "meta-0-key": "vlan",
            "meta-0-value": "40",
        }
    )

    response = client.post("/admin/queues/resource/add/", form)

    assert_status(response, 302)
    station = Resource.objects.get()
    assert station.meta == {"vlan": "40"}
    page = client.get(f"/admin/queues/resource/{station.pk}/change/").content.decode()
    assert 'value="vlan"' in page and 'value="40"' in page
    refused = client.post(
        "/admin/queues/resource/add/", {**form, "label": "Bad", "resource_type": "Imaging"}
    )
    assert refused.status_code == 200 and "Kebab-cased" in refused.content.decode()
    assert Resource.objects.count() == 1


def test_resource_lists_cost_the_same_for_one_and_many(api, django_assert_max_num_queries):
    site = LocationFactory()
    station = ResourceFactory(location=site)
    SubResourceFactory(resource=station)
    urls = [
        f"/api/locations/{site.public_id}/resources",
        f"/api/resources/{station.public_id}/sub-resources",
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(10) as one:
            api.get(url)
        counts[url] = len(one.captured_queries)
    for _ in range(12):
        SubResourceFactory(resource=ResourceFactory(location=site))
        SubResourceFactory(resource=station)
    for url in urls:
        with django_assert_max_num_queries(10) as many:
            assert api.get(f"{url}?limit=100").json()["total_count"] == 13
        assert len(many.captured_queries) == counts[url]
