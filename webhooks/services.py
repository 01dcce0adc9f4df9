"""Webhooks: subscriptions, and delivering events to them at least once.

An event becomes one ``Delivery`` per webhook that hears it, in the transaction that hands the
event over (``events``); each delivery is a message with one id, attempted by a task until the
receiver answers 2xx or the schedule runs out. A worker holds a delivery while sending it
(``lease_until``); one that died lets go when the lease passes, and the sweep sends it again,
under the same id.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from actions.notifications import notify
from customers.models import Customer
from events.catalogue import is_known
from events.models import Event

from . import sending, signing
from .models import Attempt, Delivery, DeliveryStatus, Webhook

logger = logging.getLogger(__name__)

# The gaps between attempts: the third comes 35 s after the first, the last about 16 hours on.
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a worker holds a delivery it sends (the HTTP timeout, and twice that to spare).
LEASE = timedelta(seconds=3 * sending.TIMEOUT)
# Failed attempts in a row (across deliveries) that turn a webhook off.
DISABLE_AFTER = 30
# A rotated secret still signs for this long, so receivers can switch without a gap.
ROTATION_OVERLAP = timedelta(hours=24)
TEST_EVENT = "webhook.test"


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


@dataclass
class WebhookFields:
    url: str
    events: list[str]
    customer: Customer | None = None
    label: str = ""
    secret: str = ""
    active: bool = True


def _checked(fields: WebhookFields) -> None:
    problems = {}
    unknown = [name for name in fields.events if not is_known(name)]
    if unknown:
        problems["events"] = f"unknown event types: {', '.join(sorted(unknown))}"
    refused = sending.refused_address(fields.url)
    if refused:
        problems["url"] = f"{refused}: receivers on this machine are for development (DEBUG)"
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def webhook_create(*, actor, fields: WebhookFields) -> Webhook:
    _checked(fields)
    return Webhook.objects.create(
        customer=fields.customer,
        label=fields.label,
        url=fields.url,
        events=sorted(set(fields.events)),
        secret=fields.secret or signing.new_secret(),
        active=fields.active,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def webhook_update(webhook: Webhook, /, *, actor, fields: WebhookFields) -> Webhook:
    _checked(fields)
    webhook.customer = fields.customer
    webhook.label = fields.label
    webhook.url = fields.url
    webhook.events = sorted(set(fields.events))
    if fields.secret and fields.secret != webhook.secret:
        _rotate(webhook, fields.secret)
    if fields.active and not webhook.active:
        # Turned on again: the run of failures is forgotten, what waited is sent.
        webhook.failure_streak = 0
        webhook.disabled_reason = ""
        transaction.on_commit(lambda: _enqueue_waiting(webhook.pk))
    webhook.active = fields.active
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(webhook: Webhook, /, *, actor) -> None:
    webhook.delete()


def _rotate(webhook: Webhook, secret: str) -> None:
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    webhook.secret = secret


@transaction.atomic
def webhook_rotate_secret(webhook: Webhook, /, *, actor, secret: str = "") -> Webhook:
    """A new secret, at once; messages carry a signature by the old one too for a day."""
    _rotate(webhook, secret or signing.new_secret())
    webhook.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated"])
    return webhook


@transaction.atomic
def webhook_send_test(webhook: Webhook, /, *, actor) -> Delivery:
    """A test message to the webhook now (attempted like any other)."""
    delivery = Delivery.objects.create(
        public_id=new_message_id(),
        webhook=webhook,
        type=TEST_EVENT,
        payload=_payload(TEST_EVENT, timezone.now(), {"webhook_id": webhook.public_id}),
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    return delivery


@transaction.atomic
def delivery_replay(delivery: Delivery, /, *, actor) -> Delivery:
    """Send a delivery again, whatever became of it: the same message, the same id."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt=timezone.now(), lease_until=None, finished=None
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


def _payload(event_type: str, when, data: dict) -> dict:
    return {"type": event_type, "timestamp": when.isoformat(), "data": data}


def deliveries_for(events: list[Event]) -> None:
    """The events' listener: one delivery per event per active webhook that hears it (written
    with the events' hand-over; a second hand-over adds none)."""
    customers = {event.customer_id for event in events}
    webhooks = list(
        Webhook.objects.filter(active=True).filter(
            Q(customer__isnull=True) | Q(customer__in=[c for c in customers if c is not None])
        )
    )
    if not webhooks:
        return
    new = [
        Delivery(
            public_id=new_message_id(),
            webhook=webhook,
            event=event,
            type=event.type,
            payload=_payload(event.type, event.occurred, event.data),
        )
        for event in events
        for webhook in webhooks
        if event.type in webhook.events
        and (webhook.customer_id is None or webhook.customer_id == event.customer_id)
    ]
    if not new:
        return
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        Delivery.objects.filter(event__in=events, attempts=0, status=DeliveryStatus.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue(created))


def _enqueue(delivery_ids: list[int], *, at=None) -> None:
    from .tasks import deliver

    task = deliver.using(run_after=at) if at is not None else deliver
    for delivery_id in delivery_ids:
        try:
            task.enqueue(delivery_id)
        except Exception:
            logger.warning("webhooks: enqueue of delivery %s failed; the sweep will", delivery_id)


def _enqueue_waiting(webhook_id: int) -> None:
    _enqueue(
        list(
            Delivery.objects.filter(webhook_id=webhook_id, status=DeliveryStatus.PENDING)
            .order_by("id")
            .values_list("pk", flat=True)
        )
    )


def resume_lost_deliveries() -> None:
    """The sweep: send again what is due and held by no live worker (its task lost, or its
    worker killed mid-send)."""
    now = timezone.now()
    lost = (
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt__lte=now - timedelta(seconds=5),
            webhook__active=True,
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt")
        .values_list("pk", flat=True)[:1000]
    )
    _enqueue(list(lost))


def _claim(delivery_id: int) -> Delivery | None:
    """Take a due delivery for this worker (None if it is not due, done, or held)."""
    now = timezone.now()
    with transaction.atomic():
        rows = Delivery.objects.select_related("webhook").filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt__lte=now
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        delivery = rows.first()
        if delivery is None or not delivery.webhook.active:
            return None
        if delivery.lease_until is not None and delivery.lease_until > now:
            return None
        delivery.lease_until = now + LEASE
        delivery.save(update_fields=["lease_until"])
        return delivery


def attempt(delivery_id: int) -> Attempt | None:
    """Send a delivery once, record what the receiver answered, and schedule the next try."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    webhook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    stamp = int(timezone.now().timestamp())
    outcome = sending.post(
        webhook.url, body, signing.headers(webhook.secrets(), delivery.public_id, stamp, body)
    )
    return _record(delivery, outcome)


@transaction.atomic
def _record(delivery: Delivery, outcome: sending.Outcome) -> Attempt:
    now = timezone.now()
    number = delivery.attempts + 1
    logged = Attempt.objects.create(
        delivery=delivery,
        webhook_id=delivery.webhook_id,
        number=number,
        attempted=now,
        response_code=outcome.response_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    delivery.attempts = number
    delivery.last_response_code = outcome.response_code
    delivery.lease_until = None
    if outcome.succeeded:
        delivery.status, delivery.finished = DeliveryStatus.SUCCEEDED, now
        Webhook.objects.filter(pk=delivery.webhook_id).update(failure_streak=0)
    else:
        if number >= MAX_ATTEMPTS:
            delivery.status, delivery.finished = DeliveryStatus.FAILED, now
        else:
            delivery.next_attempt = now + RETRY_DELAYS[number - 1]
            at = delivery.next_attempt
            transaction.on_commit(lambda: _enqueue([delivery.pk], at=at))
        _count_failure(delivery.webhook_id)
    delivery.save()
    return logged


def _count_failure(webhook_id: int) -> None:
    webhook = Webhook.objects.select_for_update().get(pk=webhook_id)
    webhook.failure_streak += 1
    if webhook.active and webhook.failure_streak >= DISABLE_AFTER:
        webhook.active = False
        webhook.disabled_reason = f"turned off after {webhook.failure_streak} failed attempts"
        transaction.on_commit(lambda: _tell_owner(webhook))
    webhook.save(update_fields=["failure_streak", "active", "disabled_reason", "updated"])


def _tell_owner(webhook: Webhook) -> None:
    """Tell whoever made the webhook that it was turned off: a notification (the admin's
    header, ``/me/notifications``) and an e-mail when they have an address."""
    logger.warning("webhooks: %s %s", webhook, webhook.disabled_reason)
    person = webhook.created_by
    if person is None:
        return
    notify(
        [person.public_id],
        label=f"Webhook {webhook} was turned off",
        message=f"The webhook to {webhook.url} was {webhook.disabled_reason}. Deliveries wait "
        "for it: turn it on again (admin or PATCH /api/webhooks/{id} active=true) to send them.",
        severity="issue",
        key=f"webhook-off:{webhook.public_id}:{timezone.now().isoformat()}",
    )
