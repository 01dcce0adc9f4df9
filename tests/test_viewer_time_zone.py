"""Pages show times in the viewer's time zone, and say which; the API stays in UTC."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _history_time(manager, customer) -> str:
    page = manager.get(f"/admin/customers/customer/{customer.pk}/history/").content.decode()
    return page


def test_a_page_shows_times_in_the_browsers_zone_and_names_it(manager):
    customer = CustomerFactory()
    noon_utc = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    customer.history.update(history_date=noon_utc)

    utc = _history_time(manager, customer)
    assert "Times in UTC" in utc and "noon" in utc

    manager.cookies["niagara_tz"] = "America/New_York"
    new_york = _history_time(manager, customer)
    assert "Times in America/New_York" in new_york
    assert "8 a.m." in new_york and "noon" not in new_york


def test_an_unknown_zone_is_ignored(manager):
    manager.cookies["niagara_tz"] = "Mars/Olympus_Mons"

    page = manager.get("/admin/").content.decode()

    assert "Times in UTC" in page


def test_the_api_answers_utc_whatever_the_zone(api, manager):
    customer = CustomerFactory()
    api.cookies["niagara_tz"] = "Asia/Tokyo"

    created = api.get(f"/api/customers/{customer.public_id}").json()["created"]

    assert created.endswith("Z")
    assert timezone.get_current_timezone_name() == "UTC"
