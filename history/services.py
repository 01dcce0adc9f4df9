"""Field-level change history, derived from django-simple-history's records as they are written."""

import json
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from niagara.requestor import on_behalf_of
from relations.registry import entities

from .models import Diff

# Bookkeeping fields that change on every save or never change: not worth a diff item.
UNTRACKED = {"id", "public_id", "created", "updated"}


def as_text(value) -> str | None:
    """Return a stored value as the diff's string (JSON for documents, ISO 8601 for dates)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, models.Model):
        return getattr(value, "public_id", None) or str(value.pk)
    return str(value)


def tracked_fields(model) -> list:
    kind = entities.for_model(model)
    excluded = UNTRACKED | set(kind.history_excluded if kind else ())
    return [f for f in model._meta.concrete_fields if f.name not in excluded]


def _shown(record, field):
    """The value a diff shows: a related entity itself (its label), anything else as stored."""
    if record is None:
        return None
    if field.is_relation:
        return getattr(record, field.name, None)
    return getattr(record, field.attname)


def requestor_note(person) -> str:
    """The change reason of a change made on behalf of ``person`` (shown in the admin's
    history of the entity)."""
    return f"on behalf of {person.name[:60]} ({person.public_id})"


# What is making the current changes when it is not a request: an action's effect. Its
# history records say so, and the events of those changes name it (``events.services``).
_cause: ContextVar[dict | None] = ContextVar("history_cause", default=None)


@contextmanager
def caused_by(reason: str, **ref):
    """Record the changes made inside as caused by ``reason`` (``"action Quarantine (ACT…)"``);
    ``ref`` (``action_id=…``) travels with their events."""
    token = _cause.set({"reason": reason[:100], "ref": ref})
    try:
        yield
    finally:
        _cause.reset(token)


def current_cause() -> dict | None:
    """The ``ref`` of the cause of the changes being made, if any (see ``caused_by``)."""
    cause = _cause.get()
    return cause["ref"] if cause else None


def change_reason() -> str | None:
    """The change reason of what is being written: the cause set by ``caused_by``, "on behalf
    of …", or none. For writes that bypass the history signals (``bulk_create_with_history``)."""
    cause = _cause.get()
    if cause is not None:
        return cause["reason"]
    person = on_behalf_of()
    return requestor_note(person) if person is not None else None


def note_requestor(sender, history_instance, **kwargs):
    """Mark a history record made on behalf of someone (``Requestor-ID``) as such."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = change_reason()


def record_diffs(sender, instance, history_instance, history_user, **kwargs):
    """Write one ``Diff`` per property that changed in the history record just created."""
    kind = entities.for_model(type(instance))
    if kind is None or history_instance.history_type == "-":
        return
    previous = history_instance.prev_record if history_instance.history_type == "~" else None
    content_type = ContentType.objects.get_for_model(instance)
    changes, person = [], on_behalf_of()
    for field in tracked_fields(type(instance)):
        # Compared as stored (a relation by its id): related rows are read only when changed.
        new = getattr(history_instance, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and new in (None, "", {}, []):
            continue  # a new entity's empty fields did not change
        if old != new:
            changes.append(
                Diff(
                    entity_type=content_type,
                    entity_id=instance.pk,
                    property=field.name,
                    old_value=as_text(_shown(previous, field)),
                    new_value=as_text(_shown(history_instance, field)),
                    by_user=history_user,
                    on_behalf_of=person,
                    date=history_instance.history_date,
                )
            )
    Diff.objects.bulk_create(changes)
    # What changed, for the record's other readers (the events of the change).
    history_instance.changed_fields = {change.property for change in changes}


def remove_diffs_of(instance: models.Model) -> None:
    """Drop the diffs of a deleted entity (its full history stays in the history tables)."""
    Diff.objects.filter(
        entity_type=ContentType.objects.get_for_model(instance), entity_id=instance.pk
    ).delete()
