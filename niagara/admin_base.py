"""The one base of every admin page: what a viewer sees there is what the access layer says.

Every registered ``ModelAdmin`` and every inline derives from ``NiagaraModelAdmin`` or
``NiagaraInline`` (a test walks ``admin.site._registry`` and fails for any that does not, or
that replaces ``get_queryset``). They apply the access layer (``niagara.access``, the port to
``users.access``) to everything a page reads, so no page can forget it:

- the rows of changelists, change, delete and history views, raw-id popups and autocompletes
  (``get_queryset``, final: an admin shapes its rows in ``get_rows`` instead);
- exports (the changelist's rows, and only for who may view the list);
- the choices of related-field list filters in the sidebar, and of foreign-key pickers and
  many-to-many fields on forms.

A model the graph does not speak of and no read rule covers (the shop's people, roles, API
clients) is declared ``shop_wide`` by its admin: its own permissions decide who sees it.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.utils.html import format_html

from .access import read_condition, visible
from .admin_paging import EstimatedCountPaginator
from .text import NoControlCharacters


class VisibleRowsMixin:
    """``get_queryset`` for admins and inlines: the rows of ``get_rows`` the viewer may read."""

    # The foreign key rows are read through (a cycle: its ``batch``), if not their own kind.
    graph_through = ""
    # The model holds the shop's own records, not a customer's: no row rule applies.
    shop_wide = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__qualname__} overrides get_queryset: shape its rows in get_rows() "
                "(get_queryset applies what the viewer may read)"
            )

    def get_rows(self, request):
        """The rows this admin shows, before visibility: annotate and select here."""
        return super().get_queryset(request)

    def get_queryset(self, request):
        rows = self.get_rows(request)
        if not rows.ordered:
            # Pages, popups and autocompletes page through it: a stable order.
            ordering = getattr(self, "get_ordering", lambda request: ())(request)
            rows = rows.order_by(*(ordering or ("pk",)))
        if self.shop_wide:
            return rows
        return visible(request, rows, through=self.graph_through)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Typed text holds no control character (``niagara.text``), as over the API.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField):
            field.validators.append(NoControlCharacters())
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Pickers offer what the viewer may read (autocompletes ask the related admin, which
        # filters the same way).
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = visible(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = visible(request, field.queryset)
        return field


class VisibleRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related field's sidebar filter offering only what the viewer may read."""

    def field_choices(self, field, request, model_admin):
        related = visible(request, field.related_model._default_manager.all())
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(row.pk, str(row)) for row in related]


class VisibleRelatedOnlyFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """``RelatedOnlyFieldListFilter``: what the viewer's rows use, and what they may read."""

    def field_choices(self, field, request, model_admin):
        used = (
            model_admin.get_queryset(request)
            .order_by()
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        related = visible(request, field.related_model._default_manager.filter(pk__in=used))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(row.pk, str(row)) for row in related]


def _visible_filter(model, entry):
    """Return the list filter entry ``entry`` with a related field's filter made visible."""
    if isinstance(entry, str):
        name, chosen = entry, None
    elif isinstance(entry, tuple | list):
        name, chosen = entry[0], entry[1]
    else:
        return entry  # a SimpleListFilter class: it reads through the admin's rows
    try:
        field = get_fields_from_path(model, name)[-1]
    except (FieldDoesNotExist, LookupError):
        return entry
    if not field.is_relation:
        return entry
    if chosen is None or chosen is admin.RelatedFieldListFilter:
        return (name, VisibleRelatedFieldListFilter)
    if chosen is admin.RelatedOnlyFieldListFilter:
        return (name, VisibleRelatedOnlyFieldListFilter)
    return entry


class NiagaraModelAdmin(VisibleRowsMixin, admin.ModelAdmin):
    """The base of every registered admin (see the module's docstring)."""

    # Lists over millions of rows: one bounded count per page, no count of the whole table,
    # no per-choice facet counts (``niagara.admin_paging``).
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_list_filter(self, request):
        return [_visible_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def get_inlines(self, request, obj):
        # Inlines of what a stored row has (its notes) are not on the add page.
        inlines = super().get_inlines(request, obj)
        if obj is None:
            inlines = [inline for inline in inlines if not getattr(inline, "stored_only", False)]
        return inlines

    # The id integrators use (``public_id``) is not a manager's word: every page moves it out
    # of the way, into a closed "For integrators" section, named for what it is.
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not _has_public_id(self.model):
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options.get("fields", ()) if f != "public_id"]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        if obj is not None:
            kept.append(("For integrators", {"fields": ["api_reference"], "classes": ["collapse"]}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "api_reference"] if _has_public_id(self.model) else readonly

    def get_list_display(self, request):
        return [f for f in super().get_list_display(request) if f != "public_id"]

    @admin.display(description="API reference")
    def api_reference(self, obj):
        return format_html(
            "<code>{}</code><div class=help>How the API and the integrations name it.</div>",
            obj.public_id,
        )

    def has_export_permission(self, request):
        # Exports are the changelist's rows: for who may view the changelist.
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request):
        # What an "export selected" action may name: the rows the viewer may read.
        return self.get_queryset(request).values_list("pk", flat=True)

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_visible(self, request, object_id) -> None:
        """A history of what the viewer may not read is not found. The history of a deleted
        row is for who may read every row of its kind."""
        pk = unquote(object_id)
        try:
            if self.get_queryset(request).filter(pk=pk).exists():
                return
            exists = self.model._default_manager.filter(pk=pk).exists()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        # The access layer's "every row" is the empty filter.
        if exists or not (self.shop_wide or read_condition(request, self.model) == Q()):
            raise Http404


class ReadOnlyAdminMixin:
    """For records kept by the system (runs, audits): listed and read, never added, changed or
    deleted in the admin."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _has_public_id(model) -> bool:
    return any(field.name == "public_id" for field in model._meta.concrete_fields)


class NiagaraInline(VisibleRowsMixin):
    """The base of every inline: its rows and pickers are what the viewer may read. Mix it
    before Django's ``TabularInline``/``StackedInline``."""
