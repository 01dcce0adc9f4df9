"""Exports for people: every list's export offers first a file a manager reads — the columns
they see, in words (names instead of ids, statuses by name, dates with their offset, lists
as text; no internal ids and no JSON) — and then, where the list imports, the file that
imports again.

``people_export(model, columns=...)`` builds it from the model's own fields; an admin adds
what its list computes (counters, technicians) as extra columns of SQL annotations or per
chunk, never per row."""

import datetime
from functools import cache

from django.db import models
from django.utils import timezone
from import_export import fields, resources, widgets

from niagara.labels import LabelsField
from niagara.spreadsheets import SafeCellsMixin

# Kept to themselves: what identifies a row to the system, and documents for machines.
SKIPPED = {"id", "public_id", "input_filter", "metadata", "meta", "steps", "payload", "password"}
# Documents that read as text: a status, statuses, event names, an address.
READABLE_DOCUMENTS = {"current_status", "allowed_statuses", "triggered_by", "address"}
# The record's dates close the row; its label opens it.
LAST = ("created", "updated")
CHUNK = 2_000


class TextWidget(widgets.Widget):
    """A cell as a person reads it: a related row by its label, a status by its name, a
    list joined by commas, a moment in ISO 8601 with its offset."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            # In the viewer's time zone (the admin's), with its offset.
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            return moment.isoformat(timespec="seconds")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, models.Model):
            return str(getattr(value, "label", None) or value)
        if isinstance(value, dict):
            return str(value.get("status", ""))
        if isinstance(value, list | tuple):
            return ", ".join(
                str(item.get("status", "")) if isinstance(item, dict) else str(item)
                for item in value
            )
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _column(field) -> str:
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def people_fields(model) -> dict[str, fields.Field]:
    """The model's own fields as people read them (see the module's docstring)."""
    found = {}
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED or field.name.endswith("_ptr"):
            continue
        if isinstance(field, models.FileField):
            continue  # where the bytes are stored: the system's, not a reader's
        machine_only = field.name not in READABLE_DOCUMENTS
        if (
            isinstance(field, models.JSONField)
            and not isinstance(field, LabelsField)
            and machine_only
        ):
            continue
        attribute = field.name
        if field.name == "address" and hasattr(model, "formatted_address"):
            found[field.name] = fields.Field(
                attribute="formatted_address", column_name="Address", widget=TextWidget()
            )
            continue
        if field.choices and not field.is_relation:
            attribute = f"get_{field.name}_display"
        # The export page's own form fields ("resource": which file, "format") would be
        # shadowed by a column of that name (a sub-resource's resource): it is keyed apart.
        key = f"{field.name}_column" if field.name in EXPORT_FORM_NAMES else field.name
        found[key] = fields.Field(
            attribute=attribute, column_name=_column(field), widget=TextWidget()
        )
    return found


EXPORT_FORM_NAMES = frozenset({"resource", "format"})


class PeopleExport(SafeCellsMixin, resources.ModelResource):
    """Base of the people's exports: its related rows joined in the one query."""

    related: tuple[str, ...] = ()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related) if self.related else queryset

    def iter_queryset(self, queryset):
        # In chunks, each prepared once (``prepare_chunk``): nothing is asked row by row.
        chunk = []
        for row in queryset.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                self.prepare_chunk(chunk)
                yield from chunk
                chunk = []
        if chunk:
            self.prepare_chunk(chunk)
            yield from chunk

    def prepare_chunk(self, rows: list) -> None:
        """Load what a chunk's extra columns show (override)."""


def people_export(model, *, extra: dict | None = None, base=PeopleExport) -> type:
    """Return the people's export resource of ``model``: its own fields, then ``extra``
    (column name → ``fields.Field``, attributes the admin's queryset annotates)."""
    own = people_fields(model)
    label = {"label": own.pop("label")} if "label" in own else {}
    last = {name: own.pop(name) for name in LAST if name in own}
    declared = {**label, **own, **(extra or {}), **last}
    related = tuple(
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and (field.name in declared or f"{field.name}_column" in declared)
    )
    meta = type("Meta", (), {"model": model, "fields": tuple(declared), "name": "For people"})
    attrs = {**declared, "Meta": meta, "related": related, "__module__": __name__}
    return type(f"{model.__name__}PeopleExport", (base,), attrs)


class PeopleExportMixin:
    """For an admin with exports: the people's file first, then its import's (if any)."""

    people_export_class: type | None = None

    def get_export_resource_classes(self, request):
        people = self.people_export_class or _people_export_of(self.model)
        return [people, *(self.resource_classes or [])]


@cache
def _people_export_of(model) -> type:
    return people_export(model)
