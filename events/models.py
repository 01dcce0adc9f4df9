from django.db import models
from django.db.models import Q
from django.utils import timezone

from customers.models import Customer
from niagara.models import new_public_id


class Event(models.Model):
    """Something that happened to an entity, written in the transaction of the change itself
    (a transactional outbox): an event exists if and only if its change was committed.

    A worker hands each event to what listens (webhooks, actions) and marks it dispatched; one
    that is not marked a while after it happened is handed over again (``tasks.sweep``).
    """

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    # "<ENTITY TYPE>.<what happened>", the docs' names: "CYC.status-changed", "WOR.created".
    type = models.CharField(max_length=60)
    entity_id = models.CharField(max_length=64, help_text="The entity's public id.")
    # Whose the entity is: a customer's webhooks hear its events (none for shop-wide records).
    # No constraint: the event of a customer's deletion keeps naming it.
    customer = models.ForeignKey(
        Customer,
        models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    data = models.JSONField(default=dict)
    occurred = models.DateTimeField(default=timezone.now)
    dispatched = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep's lookup: the few events not yet handed over.
            models.Index(
                fields=["id"], condition=Q(dispatched__isnull=True), name="event_undispatched_idx"
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.entity_id}"


class Clock(models.Model):
    """When a periodic job is next due; the worker that moves ``due`` on runs it (several
    workers, one run)."""

    name = models.CharField(max_length=40, unique=True)
    due = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.due:%Y-%m-%d %H:%M:%S}"
