"""What can be imported and exported from files (``manage.py import_data`` / ``export_data``).

Each app registers its kinds from ``ready()``: a django-import-export resource class, and whether
rows may be imported (an importable resource stores every row through the app's services).
"""

from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from import_export import fields, resources, widgets
from import_export.admin import ImportMixin
from import_export.forms import ImportForm

from niagara.access import access_for

from .errors import NiagaraError
from .labels import split_labels


@dataclass(frozen=True)
class Kind:
    name: str
    resource_class: type
    importable: bool


_kinds: dict[str, Kind] = {}


def register_kind(name: str, resource_class: type, *, importable: bool = False) -> None:
    _kinds[name] = Kind(name, resource_class, importable)


def kinds() -> dict[str, Kind]:
    return dict(sorted(_kinds.items()))


class ImportTooLarge(ValueError):
    """A file over the import limits (``NIAGARA_IMPORT_MAX_BYTES`` / ``_MAX_ROWS``): refused
    whole, before any row is read or stored."""


def check_import_size(size: int) -> None:
    limit = settings.NIAGARA_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportTooLarge(
            f"The file is {filesizeformat(size)}; imports take at most {filesizeformat(limit)}. "
            "Split it into smaller files."
        )


def check_import_rows(rows: int) -> None:
    limit = settings.NIAGARA_IMPORT_MAX_ROWS
    if rows > limit:
        raise ImportTooLarge(
            f"The file has {rows} rows; imports take at most {limit}. Split it into smaller files."
        )


class ServiceResource(resources.ModelResource):
    """Rows stored through an app's save service (``save_service(obj, *, actor)``); what it
    refuses is the row's error, and ``use_transactions`` rolls the whole file back."""

    save_service = None

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    def before_import(self, dataset, **kwargs):
        check_import_rows(len(dataset))
        super().before_import(dataset, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            self.save_service(instance, actor=self.actor)
        except NiagaraError as exc:
            raise ValidationError({"label": exc.detail}) from exc


class LimitedImportForm(ImportForm):
    """The admin's import form, refusing a file over the size limit before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_import_size(upload.size)
        except ImportTooLarge as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class ServiceImportMixin(ImportMixin):
    """Admin import (preview, then import) of a ``ServiceResource``, as the signed-in user."""

    import_form_class = LimitedImportForm

    def has_import_permission(self, request):
        # An import may create under any parent: it needs ``<kind>:create`` everywhere.
        return access_for(request).may_create_everywhere(self.model)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "actor": request.user}


class PathWidget(widgets.ForeignKeyWidget):
    """A row named by the labels on its path, ``Customer / Program / Project`` (labels repeat
    across parents, so one label alone names nothing)."""

    def __init__(self, model, lookups: tuple[str, ...], *, hint: str, **kwargs):
        super().__init__(model, **kwargs)
        self.lookups, self.hint = lookups, hint

    def clean(self, value, row=None, **kwargs):
        parts = [part.strip() for part in str(value or "").split("/")]
        found = None
        if len(parts) == len(self.lookups):
            pairs = zip(self.lookups, parts, strict=True)
            match = {f"{lookup}__iexact": part for lookup, part in pairs}
            found = self.model._default_manager.filter(**match).first()
        if found is None:
            raise ValueError(
                f'no {self.model._meta.verbose_name} "{value}" (write it "{self.hint}")'
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return " / ".join(
            str(attrgetter(lookup.replace("__", "."))(value)) for lookup in self.lookups
        )


class LabelsWidget(widgets.Widget):
    """``retail, q4-rollout`` in a cell ↔ the labels (lowercased, as the admin's form does;
    the service checks them)."""

    def clean(self, value, row=None, **kwargs):
        return split_labels(str(value or "").lower())

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


def labels_cell() -> fields.Field:
    """The ``labels`` column of a resource (a file without it leaves labels as they are)."""
    return fields.Field(attribute="labels", column_name="labels", widget=LabelsWidget())
