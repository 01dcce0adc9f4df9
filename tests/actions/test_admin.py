"""Actions and notifications in the admin, as a production manager uses them: a form with
no JSON, another customer nowhere, their own notifications in the header and the list."""

import pytest

from actions.models import Action, Notification
from events.tasks import dispatch_events
from tests.helpers import client_for, patch_json
from tests.users.test_shared_floor_admin import signed_in

pytestmark = pytest.mark.django_db

BLOCKED = {"status": "Blocked", "category": "BLOCKED"}


def test_a_manager_sets_tell_me_when_a_cycle_blocks_with_a_form_and_hears_it(floors):
    acme, globex = floors["acme"], floors["globex"]
    maria = signed_in(acme.manager)
    form = maria.get("/admin/actions/action/add/")
    assert form.status_code == 200
    page = form.content.decode()
    assert "CYC.status-changed" in page and "Notify people" in page
    assert "Globex" not in page.split('name="customer"')[1].split("</select>")[0]

    response = maria.post(
        "/admin/actions/action/add/",
        {
            "label": "Blocked cycles",
            "customer": acme["customer"].pk,
            "event": "CYC.status-changed",
            "sequence": "after",
            "order": "",
            "active": "on",
            "criterion_property": "current_status",
            "criterion_operator": "equals",
            "criterion_value": "Blocked",
            "notify_users": [acme.manager.pk],
            "notify_label": "Cycle {cycle_id} blocked",
            "notify_message": "",
            "notify_severity": "issue",
            "update_entity": "",
            "update_value": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get()
    assert action.target_type == "CUS" and action.customer == acme["customer"]
    assert action.criteria == [
        {"property": "current_status", "operator": "equals", "value": "Blocked"}
    ]
    assert action.effect[0]["options"]["contacts"] == [acme.manager.public_id]

    patch_json(
        client_for(acme.manager),
        f"/api/cycles/{acme['cycle'].public_id}",
        {"current_status": BLOCKED},
    )
    dispatch_events.call()
    home = maria.get("/admin/")
    assert "Notifications (1)" in home.content.decode()
    listed = maria.get("/admin/actions/notification/").content.decode()
    assert f"Cycle {acme['cycle'].public_id} blocked" in listed
    # Globex's manager sees neither the action nor the notification.
    greg = signed_in(globex.manager)
    assert "Blocked cycles" not in greg.get("/admin/actions/action/").content.decode()
    assert (
        "blocked"
        not in greg.get("/admin/actions/notification/").content.decode().lower().split("<tbody")[-1]
    )
    notice = Notification.objects.get()
    assert greg.get(f"/admin/actions/notification/{notice.pk}/change/").status_code in (302, 404)


def test_an_action_that_could_not_work_is_a_form_error(floors):
    acme = floors["acme"]
    maria = signed_in(acme.manager)
    response = maria.post(
        "/admin/actions/action/add/",
        {
            "label": "Nonsense",
            "customer": acme["customer"].pk,
            "event": "CUS.changed",
            "sequence": "before",
            "active": "on",
            "notify_severity": "normal",
            "update_entity": "BAT",
            "update_value": "Blocked",
        },
    )
    assert response.status_code == 200
    assert "is not about a BAT" in response.content.decode()
    assert Action.objects.count() == 0


def test_a_technician_has_no_action_to_make(floors):
    tess = signed_in(floors["acme"].technician)
    assert tess.get("/admin/actions/action/add/").status_code == 403
