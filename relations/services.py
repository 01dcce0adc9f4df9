"""Writes of relations, and the save/delete path every registered entity goes through."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from niagara.errors import Conflict

from .models import Relation, RelationType
from .registry import entities


def relation_ends(subject: models.Model, obj: models.Model) -> dict:
    """Return the field values that locate a relation from ``subject`` to ``obj``."""
    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
        "object_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
    }


@transaction.atomic
def relation_create(*, subject: models.Model, obj: models.Model, relation: str) -> Relation:
    """Relate ``subject`` to ``obj``; the same relation twice is a ``Conflict``."""
    if subject == obj:
        raise ValidationError({"entity": ["An entity cannot be related to itself."]}, code="self")
    ends = relation_ends(subject, obj)
    if Relation.objects.filter(relation=relation, **ends).exists():
        raise Conflict("These entities are already related that way")
    link = Relation(relation=relation, **ends)
    link.full_clean(validate_constraints=False)
    link.save()
    return link


def relation_ensure(*, subject: models.Model, obj: models.Model, relation: str) -> Relation:
    """Return the relation, creating it if it does not exist yet (idempotent)."""
    link, _ = Relation.objects.get_or_create(relation=relation, **relation_ends(subject, obj))
    return link


def relation_delete(*, relation: Relation) -> None:
    relation.delete()


def remove_relations_of(instance: models.Model) -> None:
    """Delete every relation in which ``instance`` is the subject or the object."""
    content_type = ContentType.objects.get_for_model(instance)
    Relation.objects.filter(
        models.Q(subject_type=content_type, subject_id=instance.pk)
        | models.Q(object_type=content_type, object_id=instance.pk)
    ).delete()


@transaction.atomic
def save_entity(instance: models.Model, *, actor) -> models.Model:
    """Store a validated entity, recording ``actor`` in its history.

    A new entity also gets its ``created`` relation from the actor ("USER created CUS").
    """
    is_new = instance._state.adding
    instance._history_user = actor
    instance.save()
    # ``actor._meta`` also sees through the admin's lazy ``request.user``.
    if is_new and actor is not None and entities.for_model(actor._meta.model) is not None:
        relation_create(subject=actor, obj=instance, relation=RelationType.CREATED)
    return instance


@transaction.atomic
def delete_entity(instance: models.Model, *, actor) -> None:
    """Delete an entity (its relations and diffs go with it), recording ``actor``."""
    instance._history_user = actor
    instance.delete()
