"""``/me/notifications``: each person's own; a JSON Patch marks one read or archived; and the
story the issue asks for: a manager who asked to hear of failed QC hears of it."""

import json

import pytest
from django.core import mail

from actions.models import Notification
from events.models import Event
from events.tasks import dispatch_events
from tests.engine.shop import DETAILS
from tests.engine.test_runs_api import close, take
from tests.helpers import assert_status, client_for, holder_of, post_json

pytestmark = pytest.mark.django_db

PATCH = "application/json-patch+json"


def notice_for(user, **extra) -> Notification:
    return Notification.objects.create(
        recipient=user, label="Hello", message="Hi", key=str(extra), **extra
    )


def patch(client, notification, operations):
    return client.patch(
        f"/api/me/notifications/{notification.public_id}",
        json.dumps(operations),
        content_type=PATCH,
    )


def test_a_json_patch_marks_a_notification_read_then_archived(floors):
    maria = floors["acme"].manager
    notice = notice_for(maria)
    client = client_for(maria)
    answer = patch(client, notice, [{"op": "replace", "path": "/read", "value": True}])
    assert_status(answer, 200)
    assert answer.json()["read"] is True
    answer = patch(
        client,
        notice,
        [
            {"op": "test", "path": "/read", "value": True},
            {"op": "add", "path": "/archived", "value": True},
        ],
    )
    assert_status(answer, 200)
    assert answer.json()["archived"] is True
    unread = client.get("/api/me/notifications?filter[read]=false").json()
    archived = client.get("/api/me/notifications?filter[archive]=true").json()
    assert (unread["total_count"], archived["total_count"]) == (0, 1)


@pytest.mark.parametrize(
    "operations, status",
    [
        ({"read": True}, 400),
        ([{"op": "replace", "path": "/label", "value": "x"}], 400),
        ([{"op": "remove", "path": "/read"}], 400),
        ([{"op": "replace", "path": "/read", "value": "yes"}], 400),
        ([{"op": "jump", "path": "/read", "value": True}], 400),
        (
            [
                {"op": "replace", "path": "/read", "value": True},
                {"op": "test", "path": "/archived", "value": True},
            ],
            409,
        ),
    ],
)
def test_a_bad_patch_is_a_problem_and_changes_nothing(floors, operations, status):
    maria = floors["acme"].manager
    notice = notice_for(maria)
    answer = patch(client_for(maria), notice, operations)
    assert_status(answer, status)
    assert answer["Content-Type"] == "application/problem+json"
    notice.refresh_from_db()
    assert (notice.read, notice.archived) == (False, False)


def test_no_one_reads_or_marks_anothers_notifications(floors):
    notice = notice_for(floors["globex"].manager)
    maria = client_for(floors["acme"].manager)
    assert_status(maria.get(f"/api/me/notifications/{notice.public_id}"), 404)
    answer = patch(maria, notice, [{"op": "replace", "path": "/read", "value": True}])
    assert_status(answer, 404)
    assert maria.get("/api/me/notifications").json()["total_count"] == 0
    assert_status(post_json(maria, "/api/me/notifications", {}), 405)


def test_a_manager_who_asked_to_hear_of_failed_qc_hears_of_it(django_capture_on_commit_callbacks):
    from tests.engine.shop import build_floor

    floor = build_floor(devices=2)
    manager = holder_of("action:create", "customer:read", on=floor["customer"])
    manager.email = "lead@northwind.example"
    manager.save()
    rule = {
        "label": "Tell me when a unit fails QC",
        "sequence": "after",
        "event": "CTX.step-failed",
        "criteria": [{"property": "qc", "operator": "equals", "value": "true"}],
        "effect": [
            {
                "effect_type": "notify",
                "options": {
                    "contacts": [manager.public_id],
                    "label": "QC failed at {step}",
                    "message": "Unit {unit_id} failed {step}.",
                    "severity": "issue",
                },
            }
        ],
    }
    url = f"/api/customers/{floor['customer'].public_id}/actions"
    assert_status(post_json(client_for(manager), url, rule), 200)
    ada, grace = (client_for(tech) for tech in floor["techs"])
    context_id = take(ada, floor["batch"], "DMP0001").json()["context_id"]
    unboxed = {"step": "unbox", "attachment_id": "unboxing-guide"}
    assert_status(close(ada, context_id, "unbox", unboxed), 200)
    assert_status(close(ada, context_id, "enter-details", DETAILS), 200)
    assert_status(close(grace, context_id, "quality-check", fail=True), 200)
    assert Event.objects.filter(type="CTX.step-failed").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_events.call()

    [notice] = (
        client_for(manager).get("/api/me/notifications").json()["_embedded"]["nter:notifications"]
    )
    assert notice["label"] == "QC failed at quality-check"
    assert notice["_embedded"]["nter:notification-regarding"][0]["entity_type"] == "CTX"
    assert [m.to for m in mail.outbox] == [["lead@northwind.example"]]
