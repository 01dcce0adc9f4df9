"""Writes of relations, and the save/delete path every registered entity goes through."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from niagara.errors import Conflict

from .models import SYSTEM_RELATIONS, Relation, RelationType
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
    """Relate ``subject`` to ``obj``; the same relation twice is a ``Conflict``.

    For relations people make: "Created By" is recorded by ``save_entity`` alone.
    """
    if relation in SYSTEM_RELATIONS:
        message = f'"{RelationType(relation).label}" is recorded by the system'
        raise ValidationError({"relation": [ValidationError(message, code="readOnly")]})
    _check_file_end(subject, obj, relation)
    return _relate(subject=subject, obj=obj, relation=relation)


def _check_file_end(subject: models.Model, obj: models.Model, relation: str) -> None:
    """ "Attachment For" relates a file (FILE) to what it is attached to: one end is a file."""
    if relation != RelationType.FILE:
        return
    if "FILE" not in (getattr(subject, "entity_code", ""), getattr(obj, "entity_code", "")):
        message = '"Attachment For" relates a file (FILE) to an entity'
        raise ValidationError({"entity": [ValidationError(message, code="enum")]})


@transaction.atomic
def relation_record_creator(*, entity: models.Model, creator: models.Model) -> Relation:
    """Record that ``creator`` (a person) created ``entity`` — what an integration brings in
    from elsewhere — as ``save_entity`` records it ("USER created <entity>"), once: an entity
    that has its creator refuses another (``Conflict``)."""
    if not isinstance(creator, get_user_model()):
        message = "the creator of an entity is a person (USER)"
        raise ValidationError({"entity": [ValidationError(message, code="enum")]})
    entity_type = ContentType.objects.get_for_model(entity)
    # One creator an entity: the entity's row is locked while it is looked for.
    type(entity)._default_manager.select_for_update().filter(pk=entity.pk).exists()
    if Relation.objects.filter(
        relation=RelationType.CREATED, object_type=entity_type, object_id=entity.pk
    ).exists():
        raise Conflict("This entity already has its creator")
    return _relate(subject=creator, obj=entity, relation=RelationType.CREATED)


def _relate(*, subject: models.Model, obj: models.Model, relation: str) -> Relation:
    if subject == obj:
        raise ValidationError({"entity": ["An entity cannot be related to itself."]}, code="self")
    ends = relation_ends(subject, obj)
    if Relation.objects.filter(relation=relation, **ends).exists():
        raise Conflict("These entities are already related that way")
    link = Relation(relation=relation, **ends)
    link.full_clean(validate_constraints=False)
    link.save()
    return link


@transaction.atomic
def relation_change(link: Relation, /, *, subject, obj, relation: str) -> Relation:
    """Make ``link`` relate ``subject`` to ``obj`` as ``relation`` (neither end nor type may
    make it a system record, or a duplicate)."""
    _check_not_system(link)
    if relation in SYSTEM_RELATIONS:
        raise PermissionDenied(f'"{RelationType(relation).label}" is recorded by the system')
    _check_file_end(subject, obj, relation)
    ends = relation_ends(subject, obj)
    if Relation.objects.filter(relation=relation, **ends).exclude(pk=link.pk).exists():
        raise Conflict("These entities are already related that way")
    for name, value in {"relation": relation, **ends}.items():
        setattr(link, name, value)
    link.save()
    return link


def _check_not_system(link: Relation) -> None:
    if link.relation in SYSTEM_RELATIONS:
        raise PermissionDenied(f'"{link.get_relation_display()}" is recorded by the system')


def relation_ensure(*, subject: models.Model, obj: models.Model, relation: str) -> Relation:
    """Return the relation, creating it if it does not exist yet (idempotent)."""
    link, _ = Relation.objects.get_or_create(relation=relation, **relation_ends(subject, obj))
    return link


def relation_delete(*, relation: Relation) -> None:
    """Delete a relation. "Created By" is the system's record and is never removed here."""
    _check_not_system(relation)
    relation.delete()


def relation_remove(*, subject: models.Model, obj: models.Model, relation: str) -> None:
    """Delete the relation from ``subject`` to ``obj`` if there is one."""
    for link in Relation.objects.filter(relation=relation, **relation_ends(subject, obj)):
        relation_delete(relation=link)


def relate_many(people: list[tuple[models.Model, str]], objects: list[models.Model]) -> None:
    """Relate each (subject, relation) of ``people`` to every one of ``objects``, in one insert.

    For bulk creation (a thousand batches and their technicians); existing relations are kept.
    """
    if not objects:
        return
    object_type = ContentType.objects.get_for_model(objects[0])
    rows = [
        Relation(
            relation=relation,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            object_type=object_type,
            object_id=obj.pk,
        )
        for subject, relation in people
        for obj in objects
    ]
    Relation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


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
        _relate(subject=actor, obj=instance, relation=RelationType.CREATED)
    return instance


@transaction.atomic
def delete_entity(instance: models.Model, *, actor) -> None:
    """Delete an entity (its relations and diffs go with it), recording ``actor``."""
    instance._history_user = actor
    instance.delete()
