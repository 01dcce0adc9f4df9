"""Outbound webhooks, end to end: a change through the API, the event written with it, the
worker (django-tasks' database worker, in this process) posting it to a receiver on this
machine, signed by the Standard Webhooks scheme."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Verifier

from batches.models import Cycle
from batches.services import cycle_set_status
from events.models import Event
from events.tasks import start_sweeping
from tests.factories import QueueFactory, make_work_order, make_workflow
from tests.helpers import assert_status, patch_json, post_json, split
from webhooks import services
from webhooks.models import Delivery, Webhook

from .receiver import Receiver
from .worker import run_worker, skip_ahead

pytestmark = pytest.mark.django_db(transaction=True)

WORKING = {"status": "In Progress", "category": "IN_PROGRESS"}
DONE = {"status": "Complete", "category": "COMPLETE"}


@pytest.fixture
def floor(api):
    work_order = make_work_order(label="Ten iPads", cycles=[(10, make_workflow())])
    assert_status(split(api, work_order, QueueFactory(), 5, total=2), 204)
    run_worker()  # what placing the batches told nobody yet
    return {"work_order": work_order, "cycles": list(Cycle.objects.order_by("id"))}


def subscribe(api, url, events=("CYC.status-changed",), **extra):
    response = post_json(api, "/api/webhooks", {"url": url, "events": list(events), **extra})
    assert_status(response, 201)
    return response.json()


def test_a_status_change_is_delivered_once_signed_with_its_fields(api, floor):
    cycle = floor["cycles"][0]
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url)
        assert hook["secret"].startswith("whsec_") and hook["webhook_id"]
        assert "secret" not in api.get(f"/api/webhooks/{hook['webhook_id']}").json()

        response = patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        assert_status(response, 200)
        run_worker()
        run_worker()  # nothing more to send: still one message

    [request] = receiver.received
    verified = Verifier(hook["secret"]).verify(request["body"], request["headers"])
    assert verified["type"] == "CYC.status-changed"
    assert verified["data"]["cycle_id"] == cycle.public_id
    assert verified["data"]["current_status"]["category"] == "IN_PROGRESS"
    assert verified["data"]["previous_status"]["category"] == "PENDING"
    assert verified["data"]["work_order_id"] == floor["work_order"].public_id
    assert request["headers"]["webhook-id"].startswith("msg_")

    [attempt] = _attempts(api, hook)
    assert attempt["webhook_message_id"] == request["headers"]["webhook-id"]
    assert attempt["response_code"] == 200 and attempt["delivery_status"] == "succeeded"


def test_a_failing_receiver_gets_the_same_message_again_with_growing_gaps(api, floor):
    cycle = floor["cycles"][0]
    with Receiver(answers=[500, 503]) as receiver:
        hook = subscribe(api, receiver.url)
        patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        run_worker()
        delivery = Delivery.objects.get()
        first_gap = delivery.next_attempt - timezone.now()
        skip_ahead(first_gap.total_seconds() + 1)
        run_worker()
        delivery.refresh_from_db()
        second_gap = delivery.next_attempt - timezone.now()
        skip_ahead(second_gap.total_seconds() + 1)
        run_worker()

    ids = [each["headers"]["webhook-id"] for each in receiver.received]
    assert len(ids) == 3 and len(set(ids)) == 1
    # The default schedule: the third attempt 35 s after the first (within 90 s).
    assert 3 <= first_gap.total_seconds() <= 5 and 25 <= second_gap.total_seconds() <= 30
    assert second_gap > first_gap
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 3
    codes = [a["response_code"] for a in _attempts(api, hook)]
    assert codes == [200, 503, 500]  # newest first


def _attempts(api, hook) -> list[dict]:
    page = api.get(f"/api/webhooks/{hook['webhook_id']}/deliveries").json()
    return page["_embedded"]["nter:webhook-deliveries"]


def test_fifty_changes_are_fifty_messages_with_fifty_ids(api, floor):
    work_order = make_work_order(label="Fifty", cycles=[(50, make_workflow())])
    assert_status(split(api, work_order, QueueFactory(), 50, total=1), 204)
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        for cycle in Cycle.objects.filter(work_order=work_order):
            patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        run_worker()
    ids = {each["headers"]["webhook-id"] for each in receiver.received}
    cycles = {message["data"]["cycle_id"] for message in receiver.messages()}
    assert len(receiver.received) == 50 and len(ids) == 50 and len(cycles) == 50


def test_a_change_that_rolled_back_sends_nothing(api, floor, superuser):
    cycle = floor["cycles"][0]
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        with pytest.raises(RuntimeError), transaction.atomic():
            cycle_set_status(cycle, actor=superuser, current_status=WORKING)
            raise RuntimeError("the rest of the change failed")
        run_worker()
        start_sweeping()  # even a sweep finds nothing to send
        run_worker()
    assert receiver.received == []
    assert not Event.objects.filter(type="CYC.status-changed").exists()


def test_a_killed_worker_loses_nothing_and_the_next_one_sends_under_the_same_id(
    api, floor, superuser
):
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        for cycle in floor["cycles"][:3]:
            patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        # The worker dies: one task took the events and died before handing them over, and
        # a delivery of an earlier event was held mid-send.
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()  # its queue entries are gone with it
        held = _planted_in_flight_delivery(superuser)
        assert receiver.received == []

        Event.objects.update(occurred=timezone.now() - timedelta(minutes=1))
        Delivery.objects.filter(pk=held.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        start_sweeping()  # a worker starts again
        run_worker()

    received_ids = [each["headers"]["webhook-id"] for each in receiver.received]
    assert held.public_id in received_ids
    cycles = {m["data"].get("cycle_id") for m in receiver.messages()}
    assert {c.public_id for c in floor["cycles"][:3]} <= cycles
    assert len(received_ids) == len(set(received_ids)) == 4


def _planted_in_flight_delivery(actor):
    """A delivery a dead worker held mid-send: pending, its lease still running."""
    webhook = Webhook.objects.get()
    event = Event.objects.create(
        type="CYC.status-changed",
        entity_id="x",
        data={"cycle_id": "in-flight"},
        dispatched=timezone.now(),
    )
    return Delivery.objects.create(
        public_id=services.new_message_id(),
        webhook=webhook,
        event=event,
        type=event.type,
        payload={"type": event.type, "timestamp": "t", "data": event.data},
        next_attempt=timezone.now() - timedelta(minutes=1),
        lease_until=timezone.now() + timedelta(seconds=30),
    )


def test_a_rotated_secret_signs_with_both_secrets_for_a_day(api, floor):
    cycle = floor["cycles"][0]
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url)
        rotated = post_json(api, f"/api/webhooks/{hook['webhook_id']}/rotate-secret", {})
        assert_status(rotated, 200)
        new_secret = rotated.json()["secret"]
        assert new_secret != hook["secret"]
        patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        run_worker()
    [request] = receiver.received
    for secret in (hook["secret"], new_secret):  # either verifies: no gap for the receiver
        Verifier(secret).verify(request["body"], request["headers"])


def test_send_test_and_replay_keep_the_message_id(api, floor):
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url)
        sent = post_json(api, f"/api/webhooks/{hook['webhook_id']}/test", {})
        assert_status(sent, 202)
        run_worker()
        delivery_id = sent.json()["delivery_id"]
        replayed = post_json(
            api, f"/api/webhooks/{hook['webhook_id']}/deliveries/{delivery_id}/replay", {}
        )
        assert_status(replayed, 202)
        run_worker()
    assert [m["type"] for m in receiver.messages()] == ["webhook.test", "webhook.test"]
    assert {r["headers"]["webhook-id"] for r in receiver.received} == {delivery_id}


def test_a_run_of_failures_turns_the_webhook_off_and_tells_its_maker(
    api, floor, superuser, mailoutbox
):
    superuser.email = "root@example.com"
    superuser.save()
    with Receiver(answers=[500] * 5) as receiver:
        hook = subscribe(api, receiver.url)
        Webhook.objects.update(failure_streak=services.DISABLE_AFTER - 1)
        cycle = floor["cycles"][0]
        patch_json(api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING})
        run_worker()
        skip_ahead(60)
        run_worker()  # turned off: the retry waits
    assert len(receiver.received) == 1
    webhook = api.get(f"/api/webhooks/{hook['webhook_id']}").json()
    assert webhook["active"] is False and "failed attempts" in webhook["disabled_reason"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["root@example.com"]
    [notice] = api.get("/api/me/notifications").json()["_embedded"]["nter:notifications"]
    assert "turned off" in notice["label"] and notice["severity"] == "issue"


class QueueDown:
    """The task queue unreachable (Redis down under the RQ backend): every enqueue fails."""

    def using(self, **kwargs):
        return self

    def enqueue(self, *args, **kwargs):
        raise ConnectionError("the queue is down")


def test_a_change_made_while_the_queue_is_down_is_sent_once_it_is_back(api, floor, monkeypatch):
    import events.tasks
    import webhooks.tasks

    cycle = floor["cycles"][0]
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        with monkeypatch.context() as down:
            down.setattr(events.tasks, "dispatch_events", QueueDown())
            down.setattr(webhooks.tasks, "deliver", QueueDown())
            response = patch_json(
                api, f"/api/cycles/{cycle.public_id}", {"current_status": WORKING}
            )
            assert_status(response, 200)  # the change is made; its event waits in the outbox
            run_worker()
        assert receiver.received == []
        Event.objects.update(occurred=timezone.now() - timedelta(minutes=1))
        start_sweeping()  # the queue is back: a worker starts
        run_worker()
    [message] = receiver.messages()
    assert message["data"]["cycle_id"] == cycle.public_id
