"""Relations' invariant: both ends of every relation exist."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from .models import Relation


def dangling_relations() -> list[str]:
    """Return a line per relation whose subject or object no longer exists."""
    problems = []
    for end in ("subject", "object"):
        type_ids = Relation.objects.values_list(f"{end}_type", flat=True).distinct()
        for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
            model = content_type.model_class()
            if model is None:
                continue
            # NOT EXISTS, an anti-join: NOT IN over a million ids is planned as a nested loop.
            exists = model._default_manager.filter(pk=OuterRef(f"{end}_id"))
            orphans = Relation.objects.filter(**{f"{end}_type": content_type}).filter(
                ~Exists(exists)
            )
            problems += [
                f"relation {pk} ({relation}): its {end}, {content_type.model} {ref}, is gone"
                for pk, relation, ref in orphans.values_list("pk", "relation", f"{end}_id")
            ]
    return problems
