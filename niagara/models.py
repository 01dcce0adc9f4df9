"""Abstract building blocks shared by every Niagara entity."""

import uuid

from django.db import models


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
