"""A shared station changes hands by badge or by name and PIN: the session becomes the new
person's (what follows is recorded as theirs), every switch and refusal is audited, and
wrong PINs are held off after a few tries."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import UserFactory
from tests.helpers import changeform_data
from users.models import OperatorSwitch, StationPass
from users.operators import ATTEMPTS_ALLOWED, station_pass_set

from .shop import build_floor

pytestmark = pytest.mark.django_db

SWITCH = "/admin/engine/context/station/switch/"


def _station_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_badge_scan_hands_the_station_over_and_is_audited():
    floor = build_floor()
    ada, grace = floor["techs"]
    station_pass_set(grace, badge="BADGE-0042")
    station = _station_of(ada)

    page = station.get(SWITCH)
    assert page.status_code == 200
    assert b'name="badge"' in page.content and b"autofocus" in page.content

    answer = station.post(SWITCH, {"badge": "BADGE-0042"}, follow=True)

    assert answer.redirect_chain[-1][0].endswith("/station/")
    assert answer.context["user"] == grace
    assert f"This station is now {grace.name}" in answer.content.decode()
    switch = OperatorSwitch.objects.get()
    assert (switch.from_user, switch.to_user, switch.method, switch.succeeded) == (
        ada,
        grace,
        "badge",
        True,
    )
    # The badge itself is nowhere: only its digest.
    assert "BADGE-0042" not in StationPass.objects.get(user=grace).badge


def test_name_and_pin_hand_it_over_and_a_wrong_pin_changes_nothing():
    floor = build_floor()
    ada, grace = floor["techs"]
    station_pass_set(grace, pin="2468")
    station = _station_of(ada)

    wrong = station.post(SWITCH, {"name": grace.username, "pin": "1111"})
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()
    assert station.get("/admin/engine/context/station/").context["user"] == ada

    right = station.post(SWITCH, {"name": grace.username.upper(), "pin": "2468"})
    assert right.status_code == 302
    assert station.get("/admin/engine/context/station/").context["user"] == grace
    assert list(OperatorSwitch.objects.order_by("id").values_list("succeeded", flat=True)) == [
        False,
        True,
    ]


def test_wrong_pins_are_held_off_even_when_the_right_one_follows():
    floor = build_floor()
    ada, grace = floor["techs"]
    station_pass_set(grace, pin="2468")
    station = _station_of(ada)
    for _ in range(ATTEMPTS_ALLOWED):
        station.post(SWITCH, {"name": grace.username, "pin": "0000"})

    held = station.post(SWITCH, {"name": grace.username, "pin": "2468"})

    assert held.status_code == 400 and "wait 15 minutes" in held.content.decode()
    assert station.get("/admin/engine/context/station/").context["user"] == ada


def test_no_one_outside_the_staff_and_no_inactive_person_takes_a_station():
    floor = build_floor()
    ada = floor["techs"][0]
    outsider, gone = UserFactory(is_staff=False), UserFactory(is_staff=True, is_active=False)
    station_pass_set(outsider, badge="OUT-1")
    station_pass_set(gone, pin="1234")
    station = _station_of(ada)

    assert station.post(SWITCH, {"badge": "OUT-1"}).status_code == 400
    assert station.post(SWITCH, {"name": gone.username, "pin": "1234"}).status_code == 400
    assert not OperatorSwitch.objects.filter(succeeded=True).exists()


def test_a_manager_sets_a_pin_and_a_badge_on_the_persons_page_without_seeing_them_back(
    admin_client,
):
    tech = UserFactory(is_staff=True)
    data = changeform_data(admin_client.get(f"/admin/users/user/{tech.pk}/change/"))
    data["station_pin"] = "12a"

    refused = admin_client.post(f"/admin/users/user/{tech.pk}/change/", data)
    assert refused.status_code == 200
    assert "A PIN is 4 to 8 digits." in refused.content.decode()
    assert not StationPass.objects.filter(user=tech).exists()

    data.update({"station_pin": "9753", "station_badge": "B-77"})
    saved = admin_client.post(f"/admin/users/user/{tech.pk}/change/", data)
    assert saved.status_code == 302, saved.context["errors"]

    again = admin_client.get(f"/admin/users/user/{tech.pk}/change/").content.decode()
    assert "9753" not in again and "B-77" not in again
    assert again.count("Set.") == 2
    station = _station_of(tech)
    assert station.post(SWITCH, {"badge": "B-77"}).status_code == 302


def test_the_audit_is_for_administrators_only(admin_client):
    floor = build_floor()
    assert admin_client.get("/admin/users/operatorswitch/").status_code == 200
    technician = _station_of(floor["techs"][0])
    assert technician.get("/admin/users/operatorswitch/").status_code == 403


def test_the_station_links_the_switch():
    floor = build_floor()
    page = _station_of(floor["techs"][0]).get("/admin/engine/context/station/")
    assert SWITCH.encode() in page.content


def test_staff_set_and_clear_a_station_pass_from_the_command_line():
    tech = UserFactory(is_staff=True)
    out = StringIO()
    call_command("station_pass", tech.username, "--pin", "4321", "--badge", "X-9", stdout=out)
    assert "set PIN and badge" in out.getvalue()
    assert _station_of(UserFactory(is_staff=True)).post(SWITCH, {"badge": "X-9"}).status_code == 302

    with pytest.raises(CommandError, match="4 to 8 digits"):
        call_command("station_pass", tech.username, "--pin", "12")
    call_command("station_pass", tech.username, "--clear", stdout=out)
    assert StationPass.objects.get(user=tech).badge == ""
