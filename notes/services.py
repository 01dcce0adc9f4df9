"""Writes to notes: the one path the API, the admin and the station share."""

from dataclasses import dataclass

from django.db import transaction

from relations.services import delete_entity, save_entity
from units.models import Unit
from workorders.models import WorkOrder

from .models import Note


@dataclass(kw_only=True)
class NoteFields:
    label: str
    text: str
    thread: Note | None = None
    issue: bool = False
    closed: bool = False


@transaction.atomic
def note_create(*, actor, subject, fields: NoteFields) -> Note:
    """Write a note about ``subject`` (a unit or a work order) signed by ``actor``."""
    note = Note(
        label=fields.label.strip(),
        text=fields.text,
        thread=fields.thread,
        issue=fields.issue,
        closed=fields.closed,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit=subject if isinstance(subject, Unit) else None,
        work_order=subject if isinstance(subject, WorkOrder) else None,
    )
    note.full_clean()
    return save_entity(note, actor=actor)


@transaction.atomic
def issues_close(notes, /, *, actor, closed: bool = True) -> int:
    """Mark issues dealt with (or open again); notes that raise none are left alone."""
    changed = 0
    for note in notes.filter(issue=True).exclude(closed=closed).select_for_update():
        note.closed = closed
        save_entity(note, actor=actor)
        changed += 1
    return changed


@transaction.atomic
def note_delete(note: Note, /, *, actor) -> None:
    """Delete a note and the replies in its thread."""
    delete_entity(note, actor=actor)
