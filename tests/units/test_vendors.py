"""Vendors: whom a shop buys units from. A unit may name one and keeps it (a vendor units
name cannot be deleted: 423); managers keep them in the admin, integrators over the API."""

import pytest
from django.test import Client

from tests.factories import LocationFactory, PartFactory, UnitFactory, UserFactory, VendorFactory
from tests.helpers import (
    assert_problem,
    assert_status,
    changeform_data,
    client_for,
    post_json,
    put_json,
)
from units.models import Unit, Vendor
from users.roles import FloorRole
from users.services import user_set_role

pytestmark = pytest.mark.django_db


def floor_person(role: FloorRole):
    person = UserFactory()
    user_set_role(person, role=role)
    return person


def unit_body(part, location, **changes):
    return {
        "label": "iPad",
        "part": {"part_id": part.public_id},
        "current_location": {"location_id": location.public_id},
        "current_status": {"status": "Pending", "category": "PENDING"},
        **changes,
    }


def test_a_unit_names_its_vendor_and_is_listed_under_it():
    api = client_for(floor_person(FloorRole.MANAGER))
    vendor = post_json(api, "/api/vendors", {"label": "CDW"}).json()
    part, location = PartFactory(), LocationFactory()

    created = post_json(
        api, "/api/units", unit_body(part, location, vendor={"vendor_id": vendor["vendor_id"]})
    )

    assert_status(created, 200)
    unit = created.json()
    assert unit["vendor"]["vendor_id"] == vendor["vendor_id"]
    assert unit["vendor"]["label"] == "CDW"
    assert unit["_links"]["nter:unit-vendor"]["href"].endswith(f"/vendors/{vendor['vendor_id']}")
    listed = api.get(vendor["_links"]["nter:vendor-units"]["href"]).json()
    assert [u["unit_id"] for u in listed["_embedded"]["nter:units"]] == [unit["unit_id"]]


def test_a_unit_without_a_vendor_says_null_and_links_none(api):
    part, location = PartFactory(), LocationFactory()
    vendor = VendorFactory()
    unit = post_json(
        api, "/api/units", unit_body(part, location, vendor={"vendor_id": vendor.public_id})
    ).json()

    cleared = put_json(api, f"/api/units/{unit['unit_id']}", {**unit, "vendor": None})

    assert_status(cleared, 200)
    assert cleared.json()["vendor"] is None
    assert "nter:unit-vendor" not in cleared.json()["_links"]
    assert Unit.objects.get(public_id=unit["unit_id"]).vendor is None
    omitted = post_json(api, "/api/units", unit_body(part, location, label="No vendor"))
    assert omitted.json()["vendor"] is None


def test_a_vendor_units_name_is_locked_and_kept(api):
    vendor = VendorFactory()
    UnitFactory(vendor=vendor)

    response = api.delete(f"/api/vendors/{vendor.public_id}")

    assert_problem(response, 423, "Locked")
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    Unit.objects.all().delete()
    assert_status(api.delete(f"/api/vendors/{vendor.public_id}"), 205)


def test_vendor_labels_are_unique_in_any_case(api):
    VendorFactory(label="CDW")

    response = post_json(api, "/api/vendors", {"label": " cdw "})

    assert_problem(response, 409, "Conflict")
    assert Vendor.objects.count() == 1


def test_my_vendors_and_manufacturers_are_what_i_may_read():
    vendors = VendorFactory.create_batch(3)
    part = PartFactory()
    manager = client_for(floor_person(FloorRole.MANAGER))
    technician = client_for(floor_person(FloorRole.TECHNICIAN))

    mine = manager.get("/api/me/vendors").json()
    assert {v["vendor_id"] for v in mine["_embedded"]["nter:vendors"]} == {
        v.public_id for v in vendors
    }
    makers = manager.get("/api/me/manufacturers").json()["_embedded"]["nter:manufacturers"]
    assert [m["manufacturer_id"] for m in makers] == [part.manufacturer.public_id]
    # A technician reads neither (no role of theirs does): empty pages, not errors.
    for url in ("/api/me/vendors", "/api/me/manufacturers"):
        page = technician.get(url)
        assert_status(page, 200)
        assert page.json()["total_count"] == 0
    links = manager.get("/api/me").json()["_links"]
    assert {"nter:me-vendors", "nter:me-manufacturers"} <= set(links)


def test_lists_of_vendors_cost_the_same_for_one_and_many(api, django_assert_max_num_queries):
    VendorFactory()
    with django_assert_max_num_queries(10) as one:
        api.get("/api/me/vendors")
    VendorFactory.create_batch(30)
    with django_assert_max_num_queries(10) as many:
        page = api.get("/api/me/vendors?limit=100").json()
    assert len(one.captured_queries) == len(many.captured_queries)
    assert page["total_count"] == 31


def test_a_manager_adds_a_vendor_and_picks_it_on_a_unit_in_the_admin():
    manager = Client()
    manager.force_login(floor_person(FloorRole.MANAGER))
    form = changeform_data(manager.get("/admin/units/vendor/add/"))
    assert_status(manager.post("/admin/units/vendor/add/", {**form, "label": "CDW"}), 302)
    vendor = Vendor.objects.get(label="CDW")
    unit = UnitFactory()

    page = manager.get(f"/admin/units/unit/{unit.pk}/change/")
    data = {**changeform_data(page), "vendor": vendor.pk}
    assert_status(manager.post(f"/admin/units/unit/{unit.pk}/change/", data), 302)

    unit.refresh_from_db()
    assert unit.vendor == vendor
    listed = manager.get(f"/admin/units/unit/?vendor__id__exact={vendor.pk}")
    assert unit.label in listed.content.decode()
    # Deleting it now is refused with the reason, and changes nothing.
    refused = manager.post(f"/admin/units/vendor/{vendor.pk}/delete/", {"post": "yes"})
    assert refused.status_code in (200, 403)
    assert Vendor.objects.filter(pk=vendor.pk).exists()


def test_a_technician_cannot_open_the_vendors_admin():
    technician = Client()
    technician.force_login(floor_person(FloorRole.TECHNICIAN))
    VendorFactory()

    assert technician.get("/admin/units/vendor/").status_code == 403
    assert technician.get("/admin/units/vendor/add/").status_code == 403
