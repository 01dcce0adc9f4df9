"""Managers keep the catalogue and the devices in the admin, without typing JSON."""

import pytest

from tests.factories import LocationFactory, ManufacturerFactory, PartFactory, UnitFactory
from tests.helpers import changeform_data
from units.models import Manufacturer, Part, Unit

pytestmark = pytest.mark.django_db


def add(manager, model: str, changes: dict):
    data = {**changeform_data(manager.get(f"/admin/units/{model}/add/")), **changes}
    return manager.post(f"/admin/units/{model}/add/", data)


def test_a_manager_adds_a_part_and_a_unit_that_starts_pending(manager):
    manufacturer, location = ManufacturerFactory(label="Apple"), LocationFactory()
    customer = PartFactory().customer

    response = add(
        manager,
        "part",
        {
            "label": "iPad 64 GB",
            "customer": customer.pk,
            "manufacturer": manufacturer.pk,
            "part_number": "MPQ03LL/A",
            "serial_prefix": "ABC",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    part = Part.objects.get(label="iPad 64 GB")

    response = add(
        manager,
        "unit",
        {
            "label": "iPad 1",
            "part": part.pk,
            "raw_serial_number": "ABCDEF123456",
            "current_location": location.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(label="iPad 1")
    assert unit.serial_number == "DEF123456"
    assert unit.current_status["category"] == "PENDING"


def test_a_unit_status_is_picked_from_its_customer_statuses(manager):
    unit = UnitFactory()
    page = manager.get(f"/admin/units/unit/{unit.pk}/change/")
    data = changeform_data(page)

    assert "Imaging" not in page.content.decode()
    response = manager.post(
        f"/admin/units/unit/{unit.pk}/change/", {**data, "current_status": "Blocked"}
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.current_status["category"] == "BLOCKED"


def test_a_duplicate_is_a_form_error_that_changes_nothing(manager):
    ManufacturerFactory(label="Apple")

    response = add(manager, "manufacturer", {"label": "apple"})

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Manufacturer.objects.count() == 1
    twin = UnitFactory(raw_serial_number="ABC1")
    response = add(
        manager,
        "unit",
        {
            "label": "Twin",
            "part": twin.part.pk,
            "raw_serial_number": "ABC1",
            "current_location": twin.current_location.pk,
        },
    )
    assert response.status_code == 200
    assert Unit.objects.count() == 1


def test_lists_show_counters_and_serials(manager):
    unit = UnitFactory(raw_serial_number="ABCXYZ9")

    parts = manager.get("/admin/units/part/").content.decode()
    units = manager.get("/admin/units/unit/").content.decode()

    assert unit.part.label in parts
    assert "XYZ9" in units and unit.part.customer.label in units
