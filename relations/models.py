from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class RelationType(models.TextChoices):
    """The documented relation types; the label is fixed by the type, never by the client."""

    CREATED = "created", "Created By"
    BACKUP = "backup", "Backup For"
    OWNER = "owner", "Owner Of"
    TECH = "tech", "Technician For"
    ALLOCATED = "allocated", "Allocated To"
    CONTACT = "contact", "Contact For"
    NOTE = "note", "Note For"
    FILE = "file", "Attachment For"
    VIEWER = "viewer", "Viewer For"
    EDITOR = "editor", "Editor For"
    COLLABORATOR = "collaborator", "Collaborator On"
    CO_CREATOR = "co_creator", "Co-Creator For"


# Written by the system alone (``save_entity``); people may read them, never write them.
SYSTEM_RELATIONS = frozenset({RelationType.CREATED})
WRITABLE_RELATIONS = [(v, label) for v, label in RelationType.choices if v not in SYSTEM_RELATIONS]


class Direction(models.TextChoices):
    """How a relation is seen from one of its ends."""

    OUTWARD = "OUTWARD", "Outward (this entity is the subject)"
    INWARD = "INWARD", "Inward (this entity is the object)"


class Relation(models.Model):
    """A typed link: SUBJECT <relation> OBJECT, e.g. "USER created CUSTOMER".

    Listed on the subject as OUTWARD and on the object as INWARD.
    """

    relation = models.CharField(max_length=20, choices=RelationType.choices)
    subject_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    object_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object = GenericForeignKey("object_type", "object_id")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relation", "subject_type", "subject_id", "object_type", "object_id"],
                name="relation_unique",
                violation_error_message="These entities are already related that way.",
            ),
        ]
        # One end, then the other end's type and id: a person's relations to one kind are
        # read in id order from the index alone (the access layer's subqueries), and an
        # entity's relations are found by its end (the list on either side).
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "object_type", "object_id"],
                name="relation_subject_end_idx",
            ),
            models.Index(
                fields=["object_type", "object_id", "subject_type", "subject_id"],
                name="relation_object_end_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subject} · {self.relation} · {self.object}"
