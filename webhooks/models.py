from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from customers.models import Customer
from events.models import Event
from niagara.models import Entity


class Webhook(Entity):
    """A customer's system that hears the customer's events (every customer's, with none):
    each event of ``events`` is POSTed to ``url``, signed by the Standard Webhooks scheme."""

    customer = models.ForeignKey(
        Customer, models.CASCADE, null=True, blank=True, related_name="webhooks"
    )
    label = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event types, e.g. CYC.status-changed.")
    secret = models.CharField(max_length=100)
    # While a rotation settles, messages carry a signature by the previous secret too.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Failed attempts in a row (any success resets it); too many turn the webhook off.
    failure_streak = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return self.label or self.url

    def secrets(self) -> list[str]:
        """The secrets a message is signed with now: the current one, and the previous one
        while its rotation settles."""
        keys = [self.secret]
        if self.previous_secret and (self.previous_secret_until or timezone.now()) > timezone.now():
            keys.append(self.previous_secret)
        return keys


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Delivery(models.Model):
    """One event for one webhook: a message with one id (``webhook-id``) however many times it
    is attempted."""

    public_id = models.CharField(max_length=64, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="deliveries")
    # None for a test message ("send test").
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="+")
    type = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(default=timezone.now)
    # A worker sending it holds it until then (one that died lets go when it passes).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            # An event is one message per webhook, however often it is handed over.
            models.UniqueConstraint(
                fields=["webhook", "event"],
                name="delivery_once_per_event",
                condition=Q(event__isnull=False),
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            models.Index(fields=["webhook", "-id"], name="delivery_webhook_idx"),
        ]

    def __str__(self):
        return f"{self.type} → {self.webhook} ({self.public_id})"


class Attempt(models.Model):
    """One try at a delivery: what the receiver answered (or why nothing was answered)."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="attempt_log")
    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="+", db_index=False)
    number = models.PositiveSmallIntegerField()
    attempted = models.DateTimeField(default=timezone.now)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["webhook", "-id"], name="attempt_webhook_idx")]

    def __str__(self):
        return f"#{self.number} {self.response_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300
