"""Actions (the docs' ``ACT``): "on this event, if these criteria hold, do these effects";
and the notifications their ``notify`` effects leave for people (the docs' ``PUSH``)."""

from django.conf import settings
from django.db import models

from customers.models import Customer
from niagara.models import Entity, new_public_id
from relations.registry import entities


class Sequence(models.TextChoices):
    BEFORE = "before", "Before the event's other listeners"
    AFTER = "after", "After them"


class Severity(models.TextChoices):
    NORMAL = "normal", "Normal"
    ISSUE = "issue", "Issue"
    RESOLVED = "resolved", "Resolved"


class Action(Entity):
    """A rule on the events of one entity and what is under it (a customer's work orders,
    a unit's runs), or on every event of its type (``target_type`` blank: a global action)."""

    label = models.CharField(max_length=200)
    # The entity the action is configured for (blank: global), by entity code and public id.
    target_type = models.CharField(max_length=8, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # Whose the action is, read off its entity (none: a global action or a shop-wide entity's).
    customer = models.ForeignKey(
        Customer, models.CASCADE, null=True, blank=True, related_name="actions"
    )
    event = models.CharField(max_length=60, help_text="The event type, e.g. CTX.step-failed.")
    sequence = models.CharField(max_length=6, choices=Sequence.choices, default=Sequence.BEFORE)
    order = models.CharField(max_length=20, blank=True, help_text="Actions run in this order.")
    criteria = models.JSONField(default=list, blank=True)
    effect = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last time it fired and what went wrong in it, if anything (shown in the admin).
    last_fired = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "active"], name="action_event_idx")]

    def __str__(self):
        return self.label

    @property
    def target_ref(self) -> dict | None:
        """The entity it is configured for, as the API shows it (none: global)."""
        if not self.target_type:
            return None
        return {"entity_id": self.target_id, "entity_type": self.target_type}


entities.register(
    Action,
    code="ACT",
    collection="actions",
    kind="action",
    ancestors={"customer": "customer"},
    history_excluded=("last_fired", "last_error"),
)


class Notification(models.Model):
    """A message for one person: what an action's ``notify`` effect said about an entity."""

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.NORMAL)
    read = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    # The event that caused it, and the entity it is about (by code, public id and label).
    source_id = models.CharField(max_length=64, blank=True)
    regarding_type = models.CharField(max_length=8, blank=True)
    regarding_id = models.CharField(max_length=64, blank=True)
    regarding_label = models.CharField(max_length=200, blank=True)
    # What makes it one: an event handed over twice notifies once.
    key = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            # A person's inbox, newest first; the header's unread count.
            models.Index(
                fields=["recipient", "archived", "read", "-id"], name="notification_inbox_idx"
            ),
        ]

    def __str__(self):
        return self.label
