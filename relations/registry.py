"""The entity registry: one place that knows every kind of Niagara entity.

An app registers a model once, at the bottom of its ``models.py``::

    entities.register(Customer, code="CUS", collection="customers", kind="customer")

and gets, without writing them again: change history (django-simple-history), the
``/{collection}/{id}/relations`` and ``/{collection}/{id}/diff`` endpoints, the relations inlines
in its admin, and removal of its relations and diffs when an instance is deleted.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.db.models.signals import pre_delete

from niagara.api import rels


@dataclass(frozen=True)
class EntityKind:
    code: str  # the documented entity type code: "CUS", "USER", …
    model: type[models.Model]
    collection: str  # API path of the collection: "customers"
    kind: str  # link relation suffix: "customer" → "nter:customer"
    label: models.Expression | models.F  # the entity's label, as a database expression
    created_field: str = "created"
    history_excluded: tuple[str, ...] = field(default=())
    id_kwarg: str = ""  # the path parameter of its URLs: "customer_id"
    # The entities above it, by kind, and the lookup that reaches each: a batch's
    # ``{"work-order": "work_order", "queue": "queue", "customer": "work_order__project__…"}``.
    # Permissions held on an ancestor reach its descendants.
    ancestors: dict[str, str] = field(default_factory=dict)

    @property
    def link_rel(self) -> str:
        return f"nter:{self.kind}"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()

    def path(self, public_id: str) -> str:
        """Return the entity's path relative to the API root: ``customers/<id>``."""
        return f"{self.collection}/{public_id}"


class EntityRegistry:
    def __init__(self):
        self._by_code: dict[str, EntityKind] = {}
        self._by_model: dict[type[models.Model], EntityKind] = {}
        self._delete_hooks: list[Callable[[models.Model], None]] = []

    def register(
        self,
        model: type[models.Model],
        *,
        code: str,
        collection: str,
        kind: str,
        label=None,
        created_field: str = "created",
        history_excluded: tuple[str, ...] = (),
        id_kwarg: str = "",
        ancestors: dict[str, str] | None = None,
    ) -> EntityKind:
        """Register ``model`` as the entity type ``code``; call it from the app's models.py."""
        import simple_history

        if code in self._by_code:
            raise ValueError(f"Entity type {code} is already registered")
        entity_kind = EntityKind(
            code=code,
            model=model,
            collection=collection,
            kind=kind,
            label=label if label is not None else models.F("label"),
            created_field=created_field,
            history_excluded=tuple(history_excluded),
            id_kwarg=id_kwarg or f"{kind.replace('-', '_')}_id",
            ancestors=dict(ancestors or {}),
        )
        self._by_code[code] = entity_kind
        rels.register_entity(kind, collection)
        self._by_model[model] = entity_kind
        # Read by the shared API fields, which name a missing entity by its type code.
        model.entity_code = code
        model.entity_collection = collection
        if not hasattr(model, "history"):
            simple_history.register(model, excluded_fields=list(history_excluded))
        pre_delete.connect(self._on_delete, sender=model, dispatch_uid=f"entities-delete-{code}")
        return entity_kind

    def on_delete(self, hook: Callable[[models.Model], None], *, first: bool = False) -> None:
        """Call ``hook(instance)`` before any registered entity is deleted (same transaction);
        ``first``: before the hooks already there (one that reads the entity's relations runs
        before they are removed)."""
        if hook not in self._delete_hooks:
            self._delete_hooks.insert(0 if first else len(self._delete_hooks), hook)

    def _on_delete(self, sender, instance, **kwargs):
        for hook in self._delete_hooks:
            hook(instance)

    def get(self, code: str) -> EntityKind:
        return self._by_code[code]

    def by_collection(self, collection: str) -> EntityKind | None:
        """Return the registered kind served at ``collection`` ("customers"), if any."""
        return next(
            (each for each in self._by_code.values() if each.collection == collection), None
        )

    def by_kind(self, kind: str) -> EntityKind | None:
        """Return the registered kind called ``kind`` ("work-order"), if any."""
        return next((each for each in self._by_code.values() if each.kind == kind), None)

    def for_model(self, model) -> EntityKind | None:
        return self._by_model.get(model._meta.concrete_model if hasattr(model, "_meta") else model)

    def of(self, instance: models.Model) -> EntityKind:
        """Return the kind of a registered instance (``KeyError`` if it is not one)."""
        return self._by_model[type(instance)._meta.concrete_model]

    @property
    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def __iter__(self) -> Iterator[EntityKind]:
        return iter(list(self._by_code.values()))

    def __contains__(self, code: str) -> bool:
        return code in self._by_code


entities = EntityRegistry()
