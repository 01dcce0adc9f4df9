"""Abstract building blocks shared by every Niagara entity."""

import dataclasses
import uuid

from django.db import models
from django.db.models.functions import Coalesce


def new_public_id() -> str:
    """Return a new opaque public identifier (matches ``^[0-9a-zA-Z-_]+$``)."""
    return str(uuid.uuid4())


class Entity(models.Model):
    """An addressable Niagara resource.

    The integer primary key stays internal (joins, keyset paging); clients only ever see
    ``public_id``, served as ``<entity>_id``.
    """

    public_id = models.CharField(
        "public id", max_length=64, unique=True, default=new_public_id, editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def replace_fields(instance: models.Model, fields) -> models.Model:
    """Set every field of the dataclass ``fields`` on ``instance`` and return it.

    Services describe what a client may write as one dataclass per entity; its defaults are what
    a ``PUT`` that omits a field means, so create and replace share this one path. Fields marked
    ``metadata={"model": False}`` (a work order's lines, say) are the service's to store.
    """
    for field in dataclasses.fields(fields):
        if field.metadata.get("model", True):
            setattr(instance, field.name, getattr(fields, field.name))
    return instance


class IdempotencyKey(models.Model):
    """A write done under an ``Idempotency-Key``: the answer it gave, replayed to a retry.

    Stored in the database so every app server sees it, in the same transaction as the write
    itself (a write that rolled back leaves no key). Keys are the caller's own and live 24
    hours (``manage.py expire_idempotency_keys``; an expired one is also dropped when read).
    """

    user = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # A digest of the method, path and body: the same key with another request is a 422.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self):
        return self.key


def note_counts(model: type[models.Model]) -> dict:
    """Return the ``note_count`` annotations of ``model``'s rows (units, work orders): their
    notes (the reverse relation ``notes``, kept by an app above), open and closed issues.

    Correlated subqueries, so a page's query stays ungrouped whatever else it annotates.
    """
    relation = model._meta.get_field("notes")
    notes, parent = relation.related_model.objects, relation.field.name

    def counted(**condition):
        rows = notes.filter(**{parent: models.OuterRef("pk")}, **condition).order_by()
        count = rows.values(parent).annotate(n=models.Count("pk")).values("n")[:1]
        return Coalesce(models.Subquery(count), 0)

    return {
        "notes_total": counted(),
        "notes_open_issues": counted(issue=True, closed=False),
        "notes_closed_issues": counted(issue=True, closed=True),
    }
