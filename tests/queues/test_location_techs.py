"""A location's technicians: who has a ``tech`` relation with it, listed with the location and
detached from it (the docs' ``/locations/{id}/techs``)."""

import pytest

from relations.models import Relation
from relations.services import relation_create
from tests.factories import LocationFactory, UserFactory
from tests.helpers import assert_status, client_with, post_json

pytestmark = pytest.mark.django_db


def test_a_locations_technicians_are_listed_and_detached():
    albany, boston = LocationFactory(), LocationFactory()
    tess, theo, other = UserFactory(), UserFactory(), UserFactory()
    relation_create(subject=tess, obj=albany, relation="tech")
    relation_create(subject=other, obj=boston, relation="tech")
    manager = client_with("location:read", "location:detach", "location:attach")
    # Made from the location's side, as an integrator can.
    made = post_json(
        manager,
        f"/api/locations/{albany.public_id}/relations",
        {"relation": "tech", "entity": {"entity_type": "USER", "entity_id": theo.public_id}},
    )
    assert_status(made, 201)

    location = manager.get(f"/api/locations/{albany.public_id}").json()
    page = manager.get(location["_links"]["nter:location-techs"]["href"]).json()
    listed = {row["user_id"]: row for row in page["_embedded"]["nter:users"]}
    assert set(listed) == {tess.public_id, theo.public_id}
    member = listed[tess.public_id]["_links"]["self"]["href"]
    assert member.endswith(f"/locations/{albany.public_id}/techs/{tess.public_id}")
    assert_status(manager.get(member), 200)

    for person in (tess, theo):
        url = f"/api/locations/{albany.public_id}/techs/{person.public_id}"
        assert_status(manager.delete(url), 205)
    assert manager.get(f"/api/locations/{albany.public_id}/techs").json()["total_count"] == 0
    assert Relation.objects.filter(relation="tech").count() == 1  # boston's stays
    gone = f"/api/locations/{albany.public_id}/techs/{tess.public_id}"
    assert_status(manager.get(gone), 404)


def test_detaching_needs_location_detach_and_reading_the_location():
    albany = LocationFactory()
    tess = UserFactory()
    relation_create(subject=tess, obj=albany, relation="tech")
    url = f"/api/locations/{albany.public_id}/techs/{tess.public_id}"

    reader = client_with("location:read")
    assert_status(reader.get(url), 200)
    assert_status(reader.delete(url), 403)
    stranger = client_with("queue:read", on=LocationFactory())
    assert stranger.get(url).status_code in (403, 404)
    assert Relation.objects.filter(relation="tech").count() == 1


def test_the_list_costs_the_same_for_one_and_many(django_assert_max_num_queries):
    albany = LocationFactory()
    relation_create(subject=UserFactory(), obj=albany, relation="tech")
    manager = client_with("location:read")
    url = f"/api/locations/{albany.public_id}/techs?limit=100"
    with django_assert_max_num_queries(12) as one:
        manager.get(url)
    for person in UserFactory.create_batch(12):
        relation_create(subject=person, obj=albany, relation="tech")
    with django_assert_max_num_queries(12) as many:
        assert manager.get(url).json()["total_count"] == 13
    assert len(one.captured_queries) == len(many.captured_queries)
