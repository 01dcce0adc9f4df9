"""Actions over the API, as a manager of one customer beside another's, and as a technician:
made on an entity, they fire on its events (and those of what is under it) once the worker
hands the events over; their effects notify people and change statuses through the services."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Notification
from batches.models import Cycle
from events.models import Event
from events.tasks import dispatch_events
from history.models import Diff
from tests.helpers import assert_status, client_for, patch_json, post_json
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

BLOCKED = {"status": "Blocked", "category": "BLOCKED"}


def notify_me(user, **extra) -> dict:
    return {
        "label": "Blocked cycles",
        "sequence": "after",
        "event": "CYC.status-changed",
        "criteria": [{"property": "current_status", "operator": "equals", "value": "blocked"}],
        "effect": [
            {
                "effect_type": "notify",
                "options": {
                    "contacts": [user.public_id],
                    "label": "Cycle {cycle_id} is blocked",
                    "message": "It is now {current_status}.",
                    "severity": "issue",
                },
            }
        ],
        **extra,
    }


def block(client, cycle):
    return patch_json(client, f"/api/cycles/{cycle.public_id}", {"current_status": BLOCKED})


def test_a_manager_hears_of_their_customers_blocked_cycles_and_not_of_others(
    floors, django_capture_on_commit_callbacks
):
    acme, globex = floors["acme"], floors["globex"]
    maria = client_for(acme.manager)
    made = post_json(
        maria, f"/api/customers/{acme['customer'].public_id}/actions", notify_me(acme.manager)
    )
    assert_status(made, 200)
    assert made.json()["entity"] == {
        "entity_id": acme["customer"].public_id,
        "entity_type": "CUS",
    }
    mail.outbox.clear()

    assert_status(block(maria, acme["cycle"]), 200)
    assert_status(block(client_for(globex.manager), globex["cycle"]), 200)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_events.call()

    page = maria.get("/api/me/notifications").json()
    [notice] = page["_embedded"]["nter:notifications"]
    assert notice["label"] == f"Cycle {acme['cycle'].public_id} is blocked"
    assert notice["message"] == "It is now Blocked."
    assert (notice["severity"], notice["read"], notice["archived"]) == ("issue", False, False)
    assert (
        notice["_embedded"]["nter:notification-regarding"][0]["entity_id"]
        == acme["cycle"].public_id
    )
    assert notice["_embedded"]["nter:notification-sender"][0]["user_id"] == acme.manager.public_id
    assert [m.to for m in mail.outbox] == [[acme.manager.email]]
    # Globex's manager set nothing and hears nothing; the event handed over again adds none.
    assert client_for(globex.manager).get("/api/me/notifications").json()["total_count"] == 0
    Event.objects.update(dispatched=None)
    dispatch_events.call()
    assert Notification.objects.count() == 1


def test_criteria_that_do_not_hold_do_nothing(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    body = notify_me(acme.manager)
    body["criteria"][0]["value"] = "complete"
    assert_status(
        post_json(maria, f"/api/work-orders/{acme['work_order'].public_id}/actions", body), 200
    )
    assert_status(block(maria, acme["cycle"]), 200)
    dispatch_events.call()
    assert Notification.objects.count() == 0
    assert Action.objects.get().last_fired is None


def test_an_update_effect_goes_through_the_services_and_names_the_action_in_the_history(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    body = {
        "label": "Hold the order when a cycle blocks",
        "event": "CYC.status-changed",
        "criteria": [{"property": "current_status", "operator": "equals", "value": "BLOCKED"}],
        "effect": [
            {
                "effect_type": "update",
                "options": {"entity": "WOR", "property": "current_status", "value": "Blocked"},
            }
        ],
    }
    made = post_json(maria, f"/api/projects/{acme['project'].public_id}/actions", body)
    assert_status(made, 200)
    action_id = made.json()["action_id"]
    assert_status(block(maria, acme["cycle"]), 200)
    dispatch_events.call()

    work_order = WorkOrder.objects.get(pk=acme["work_order"].pk)
    assert work_order.current_status["category"] == "BLOCKED"
    record = work_order.history.latest("history_date")
    assert action_id in record.history_change_reason
    assert record.history_user == acme.manager  # whoever set the action
    diff = Diff.objects.filter(entity_id=work_order.pk, property="current_status").latest("id")
    assert diff.by_user == acme.manager
    # Its events carry the cause and fire no action again (no chain, no loop).
    [changed] = Event.objects.filter(type="WOR.status-changed")
    assert changed.data["caused_by"] == {"action_id": action_id}
    dispatch_events.call()
    assert Action.objects.get().last_error == ""


def test_an_effect_that_cannot_be_done_is_logged_on_the_action_and_the_others_are_done(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    body = notify_me(acme.manager)
    body["effect"].insert(
        0,
        {
            "effect_type": "update",
            "options": {"entity": "WOR", "property": "current_status", "value": "No such status"},
        },
    )
    assert_status(
        post_json(maria, "/api/customers/{}/actions".format(acme["customer"].public_id), body), 200
    )
    assert_status(block(maria, acme["cycle"]), 200)
    dispatch_events.call()
    action = Action.objects.get()
    assert "No such status" in action.last_error
    assert Notification.objects.count() == 1
    assert WorkOrder.objects.get(pk=acme["work_order"].pk).current_status["category"] != "BLOCKED"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"event": "CYC.exploded"}, "event"),
        ({"criteria": [{"property": "x", "operator": "like"}]}, "criteria"),
        ({"effect": []}, "effect"),
        (
            {
                "effect": [
                    {
                        "effect_type": "update",
                        "options": {"entity": "UNIT", "property": "label", "value": "x"},
                    }
                ]
            },
            "effect",
        ),
        (
            {
                "event": "CUS.changed",
                "effect": [
                    {
                        "effect_type": "update",
                        "options": {"entity": "BAT", "property": "current_status", "value": "x"},
                    }
                ],
            },
            "effect",
        ),
        (
            {
                "effect": [
                    {
                        "effect_type": "notify",
                        "options": {
                            "contacts": ["nobody"],
                            "label": "x",
                            "message": "",
                            "severity": "normal",
                        },
                    }
                ]
            },
            "effect",
        ),
    ],
)
def test_an_action_that_could_never_work_is_a_400_naming_the_field(floors, change, field):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    body = {**notify_me(acme.manager), **change}
    answer = post_json(maria, f"/api/customers/{acme['customer'].public_id}/actions", body)
    assert_status(answer, 400)
    assert field in str(
        answer.json()["invalid-params"] if "invalid-params" in answer.json() else answer.json()
    )
    assert Action.objects.count() == 0


def test_another_customers_entity_is_not_found_and_a_technician_makes_no_action(floors):
    acme, globex = floors["acme"], floors["globex"]
    maria = client_for(acme.manager)
    theirs = f"/api/customers/{globex['customer'].public_id}/actions"
    assert_status(post_json(maria, theirs, notify_me(acme.manager)), 404)
    assert_status(maria.get(theirs), 404)
    body = {
        **notify_me(acme.manager),
        "entity": {"entity_type": "CUS", "entity_id": globex["customer"].public_id},
    }
    assert_status(post_json(maria, "/api/actions", body), 400)
    # A global action needs action:create-global everywhere; a manager of one customer has not.
    assert_status(post_json(maria, "/api/actions", notify_me(acme.manager)), 403)
    tess = client_for(acme.technician)
    assert_status(
        post_json(
            tess, f"/api/customers/{acme['customer'].public_id}/actions", notify_me(acme.technician)
        ),
        403,
    )
    assert Action.objects.count() == 0


def test_each_sees_the_actions_of_their_own_customers(floors):
    acme, globex = floors["acme"], floors["globex"]
    for floor in (acme, globex):
        made = post_json(
            client_for(floor.manager),
            f"/api/customers/{floor['customer'].public_id}/actions",
            notify_me(floor.manager),
        )
        assert_status(made, 200)
    mine = client_for(acme.manager).get("/api/actions").json()["_embedded"]["nter:actions"]
    assert [a["entity"]["entity_id"] for a in mine] == [acme["customer"].public_id]
    theirs = Action.objects.get(customer=globex["customer"]).public_id
    assert_status(client_for(acme.manager).get(f"/api/actions/{theirs}"), 404)
    assert client_for(acme.technician).get("/api/actions").json()["total_count"] == 0


def test_a_manager_changes_and_deletes_their_action(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    made = post_json(
        maria,
        f"/api/units/{acme['unit'].public_id}/actions",
        {**notify_me(acme.manager), "event": "UNIT.changed", "criteria": []},
    )
    assert_status(made, 200)
    url = made.json()["_links"]["self"]["href"]
    changed = maria.patch(url, '{"active": false}', content_type="application/merge-patch+json")
    assert_status(changed, 200)
    assert changed.json()["active"] is False
    assert_status(maria.delete(url), 205)
    assert Action.objects.count() == 0


def test_the_lists_read_a_constant_number_of_queries(floors):
    acme = floors["acme"]
    maria = client_for(acme.manager)
    url = f"/api/customers/{acme['customer'].public_id}/actions"

    def queries(path):
        with CaptureQueriesContext(connection) as seen:
            assert_status(maria.get(path), 200)
        return len(seen)

    post_json(maria, url, notify_me(acme.manager))
    assert_status(block(maria, acme["cycle"]), 200)
    dispatch_events.call()
    few = (queries("/api/actions"), queries(url), queries("/api/me/notifications"))
    for _ in range(5):
        post_json(maria, url, notify_me(acme.manager))
    other = Cycle.objects.filter(batch=acme["cycle"].batch).exclude(pk=acme["cycle"].pk).first()
    assert_status(block(maria, other), 200)
    dispatch_events.call()
    assert Notification.objects.count() == 7
    assert (queries("/api/actions"), queries(url), queries("/api/me/notifications")) == few
