"""Reads of files: who may see which (a file is read with what it is attached to)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from relations.models import Relation, RelationType
from relations.registry import entities
from users.access import ALL, NONE, register_read_rule

from .models import Attachment


def attachments_for_display() -> QuerySet[Attachment]:
    return Attachment.objects.all()


def _either(left: Q, right: Q) -> Q:
    if left is ALL or right is ALL:
        return ALL
    if left is NONE:
        return right
    return left if right is NONE else left | right


def readable_files(access) -> Q:
    """The files the caller may read: where their roles give ``file:read`` (managers: all),
    the ones they uploaded, and the ones attached (a ``file`` relation, either way round) to
    an entity they may read — a unit's photos are read by whoever reads the unit. Registered
    with the access layer: every caller asks ``access.visible(files)``."""
    held = access.condition("file:read", entities.get("FILE"))
    if held is ALL:
        return ALL
    if access.user.is_authenticated:
        held = _either(held, Q(created_by=access.user.pk))
    file_type = ContentType.objects.get_for_model(Attachment).pk
    whole, partial = [], []
    for kind in entities:
        if kind.model is Attachment:
            continue
        condition = access.read_condition(kind.model)
        if condition is NONE:
            continue
        type_id = ContentType.objects.get_for_model(kind.model).pk
        if condition is ALL:
            whole.append(type_id)
        else:
            partial.append((type_id, kind.model._base_manager.filter(condition).values("pk")))
    links = Relation.objects.filter(relation=RelationType.FILE)
    for file_end, other_end in (("subject", "object"), ("object", "subject")):
        here = links.filter(**{f"{file_end}_type_id": file_type})
        if whole:
            reached = here.filter(**{f"{other_end}_type_id__in": whole})
            held = _either(held, Q(pk__in=reached.values(f"{file_end}_id")))
        for type_id, readable in partial:
            reached = here.filter(
                **{f"{other_end}_type_id": type_id, f"{other_end}_id__in": readable}
            )
            held = _either(held, Q(pk__in=reached.values(f"{file_end}_id")))
    return held


register_read_rule(Attachment, readable_files)


def files_of(entity) -> QuerySet[Attachment]:
    """The files attached to ``entity`` (either way round), oldest first."""
    entity_type = ContentType.objects.get_for_model(entity).pk
    file_type = ContentType.objects.get_for_model(Attachment).pk
    links = Relation.objects.filter(relation=RelationType.FILE)
    as_subject = links.filter(
        subject_type_id=entity_type, subject_id=entity.pk, object_type_id=file_type
    ).values("object_id")
    as_object = links.filter(
        object_type_id=entity_type, object_id=entity.pk, subject_type_id=file_type
    ).values("subject_id")
    return Attachment.objects.filter(Q(pk__in=as_subject) | Q(pk__in=as_object)).order_by("pk")


def step_document(run, attachment_id: str) -> Attachment | None:
    """The uploaded file a step of the run's workflow shows (``follow-pdf-instructions``): who
    may read the run reads the instructions its steps name, and no other file this way."""
    named = {
        ((step.get("options") or {}).get("payload") or {}).get("attachment_id")
        for step in run.work_flow_version.steps.values()
        if isinstance(step, dict)
    }
    if attachment_id not in named:
        return None
    return Attachment.objects.filter(public_id=attachment_id).exclude(file="").first()
