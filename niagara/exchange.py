"""What can be imported and exported from files (``manage.py import_data`` / ``export_data``).

Each app registers its kinds from ``ready()``: a django-import-export resource class, and whether
rows may be imported (an importable resource stores every row through the app's services).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from import_export import fields, resources, widgets
from import_export.admin import ImportMixin
from import_export.forms import ImportForm

from niagara.access import access_for

from .errors import NiagaraError
from .labels import split_labels
from .spreadsheets import SafeCellsMixin


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


# A spreadsheet (XLSX is a zip) whose parts expand beyond this, or by more than this ratio,
# is refused before it is opened: a 1 MB "zip bomb" would otherwise be read whole.
MAX_EXPANSION_RATIO = 100


def check_import_file(content: bytes) -> None:
    """Refuse a file over the limits before it is parsed: a spreadsheet by what its parts
    expand to (read from the zip's directory, nothing inflated), a text file by its rows
    (counted by the CSV reader, which keeps quoted line breaks in their cell)."""
    if content[:4] == b"PK\x03\x04":
        try:
            parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
        except zipfile.BadZipFile as exc:
            raise ImportTooLarge("The spreadsheet is damaged: it could not be opened.") from exc
        expanded = sum(part.file_size for part in parts)
        limit = settings.NIAGARA_IMPORT_MAX_EXPANDED_BYTES
        if expanded > limit or expanded > MAX_EXPANSION_RATIO * max(len(content), 1):
            raise ImportTooLarge(
                f"The spreadsheet expands to {filesizeformat(expanded)} "
                f"({expanded // max(len(content), 1)} times its size); imports take at most "
                f"{filesizeformat(limit)} and {MAX_EXPANSION_RATIO} times. Save it as CSV or "
                "split it."
            )
        return
    text = content.decode("utf-8-sig", errors="replace")
    rows = sum(1 for row in csv.reader(io.StringIO(text)) if row) - 1  # less the header
    check_import_rows(rows)


class ShownDiff(resources.Diff):
    """An import's preview as the export shows a row: computed columns (a work order's
    ``needed``, a batch's ``number_cycles``) through the resource's ``dehydrate_`` methods,
    not blank."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = _shown(resource, instance)

    def compare_with(self, resource, instance):
        self.right = _shown(resource, instance)


def _shown(resource, instance) -> list:
    values = []
    for field in resource.get_import_fields():
        if instance is None or (instance.pk is None and field.attribute is None):
            values.append("")  # computed from stored rows: nothing before the import
        else:
            values.append(resource.export_field(field, instance))
    return values


class ServiceResource(SafeCellsMixin, resources.ModelResource):
    """Rows stored through an app's save service (``save_service(obj, *, actor)``); what it
    refuses is the row's error, and ``use_transactions`` rolls the whole file back."""

    save_service = None

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor

    def get_diff_class(self):
        return ShownDiff

    def before_import(self, dataset, **kwargs):
        check_import_rows(len(dataset))
        super().before_import(dataset, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            self.save_service(instance, actor=self.actor)
        except NiagaraError as exc:
            raise ValidationError({"label": exc.detail}) from exc


class LimitedImportForm(ImportForm):
    """The admin's import form, refusing a file over the limits before it is parsed."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_import_size(upload.size)
            check_import_file(upload.read())
        except ImportTooLarge as exc:
            raise ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


DATE_HELP = (
    "a date, or a date and time, in ISO 8601: 2026-12-31, 2026-12-31 14:30 or "
    "2026-12-31T14:30:00Z; a time without "
    "an offset is in the time zone named at the top of the page"
)


def column_help(resource_class: type) -> list[tuple[str, str]]:
    """Each column a file for ``resource_class`` may have, with what to write in it: the
    resource's ``COLUMN_HELP`` where it says, else what its widget reads."""
    said = getattr(resource_class, "COLUMN_HELP", {})
    columns = []
    for field in resource_class().fields.values():
        widget = field.widget
        if field.column_name in said:
            text = said[field.column_name]
        elif isinstance(widget, PathWidget):
            text = f"“{widget.hint}”: the label of each level, separated by “ / ”"
        elif isinstance(widget, widgets.DateTimeWidget | widgets.DateWidget):
            text = DATE_HELP
        elif isinstance(widget, LabelsWidget):
            text = "labels (tags), separated by commas; empty for none"
        else:
            text = "text"
        columns.append((field.column_name, text))
    return columns


def example_file(resource_class: type) -> str:
    """A CSV file with the columns of ``resource_class`` and its ``EXAMPLE`` rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    names = [field.column_name for field in resource_class().fields.values()]
    writer.writerow(names)
    for row in getattr(resource_class, "EXAMPLE", []):
        writer.writerow([row.get(name, "") for name in names])
    return out.getvalue()


class ServiceImportMixin(ImportMixin):
    """Admin import (preview, then import) of a ``ServiceResource``, as the signed-in user.
    The page explains every column and offers an example file; the list keeps its export."""

    import_form_class = LimitedImportForm
    # The list offers both: these admins export too (``EntityAdmin``).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/niagara/import.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        example = self.admin_site.admin_view(self.import_example_view)
        return [
            path("import/example/", example, name="{}_{}_import_example".format(*info)),
            *super().get_urls(),
        ]

    def import_example_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        [resource_class, *_] = self.get_import_resource_classes(request)
        response = HttpResponse(example_file(resource_class), content_type="text/csv")
        name = f"{self.model._meta.model_name}-example.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            [resource_class, *_] = self.get_import_resource_classes(request)
            response.context_data["columns"] = column_help(resource_class)
            response.context_data["example_name"] = f"{self.model._meta.model_name}-example.csv"
        return response

    def has_import_permission(self, request):
        # An import may create under any parent: it needs ``<kind>:create`` everywhere.
        return access_for(request).may_create_everywhere(self.model)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "actor": request.user}


class IsoDateTimeWidget(widgets.DateTimeWidget):
    """A date-time cell in ISO 8601 — ``2026-12-31``, ``2026-12-31 14:30``,
    ``2026-12-31T14:30:00Z``, with or without an offset — besides Django's input formats. A
    date alone is its midnight; a time without an offset is in the current time zone (the
    viewer's in the admin, UTC for commands)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.strip():
            text = value.strip()
            try:
                moment = parse_datetime(text)
                if moment is None and (day := parse_date(text)) is not None:
                    moment = datetime.datetime.combine(day, datetime.time())
            except ValueError:
                moment = None
            if moment is not None:
                return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        return super().clean(value, row=row, **kwargs)


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
