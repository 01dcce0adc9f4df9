"""Relations in the admin: a relation list, and inlines every registered entity's page gets."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import JsonResponse
from django.urls import path, reverse_lazy
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from niagara.access import access_for
from niagara.admin_base import NiagaraInline, NiagaraModelAdmin
from niagara.admin_forms import PrettyJSONWidget
from niagara.exports import PeopleExportMixin
from niagara.labels import LabelsField, LabelsWidget

from . import services
from .admin_graph import GraphAdminMixin
from .models import SYSTEM_RELATIONS, WRITABLE_RELATIONS, Relation
from .registry import entities
from .services import relation_ends

AUTOCOMPLETE_LIMIT = 10


def entity_choice(instance) -> tuple[str, str]:
    """Return the (value, text) an entity has in the entity picker: ``CUS:<id>``."""
    kind = entities.of(instance)
    return f"{kind.code}:{instance.public_id}", f"{kind.verbose_name}: {instance}"


class EntityPickerWidget(forms.Select):
    """A select2 picker searching every registered kind (Django's own admin assets)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "admin-autocomplete",
                "data-ajax--url": reverse_lazy("admin:relations_entity_autocomplete"),
                "data-ajax--cache": "true",
                "data-ajax--delay": 250,
                "data-ajax--type": "GET",
                "data-theme": "admin-autocomplete",
                "data-allow-clear": "false",
                "data-placeholder": "Search customers, contacts, users…",
                "style": "width: 26em",
                **(attrs or {}),
            }
        )

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "admin/js/autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )


class RelationInlineForm(forms.ModelForm):
    """One relation seen from the page's entity; ``entity`` is the other end."""

    entity = forms.CharField(widget=EntityPickerWidget, label="Record")
    other_end = "object"  # which end of the relation the picker edits

    class Meta:
        model = Relation
        fields = ["relation"]
        labels = {"relation": "Link"}

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        if self.is_system_record:
            # "Created By" is shown, never edited: the system wrote it.
            for field in self.fields.values():
                field.disabled = True
        else:
            self.fields["relation"].choices = [("", "---------"), *WRITABLE_RELATIONS]
        other = getattr(self.instance, self.other_end, None) if self.instance.pk else None
        if other is not None:
            value, text = entity_choice(other)
            self.fields["entity"].initial = value
            self.fields["entity"].widget.choices = [(value, text)]
        elif self.data.get(self.add_prefix("entity")):
            # Re-show what was picked when the form comes back with errors.
            self.fields["entity"].widget.choices = [(self.data[self.add_prefix("entity")],) * 2]

    @property
    def is_system_record(self) -> bool:
        return self.instance.pk is not None and self.instance.relation in SYSTEM_RELATIONS

    def ends(self) -> tuple[models.Model, models.Model]:
        """Return (subject, object) of the relation the form describes."""
        other = self.cleaned_data["entity"]
        return (self.owner, other) if self.other_end == "object" else (other, self.owner)

    def clean_entity(self):
        code, _, public_id = self.cleaned_data["entity"].partition(":")
        if code not in entities:
            raise forms.ValidationError("Pick an entity from the list.")
        found = entities.get(code).model._default_manager.filter(public_id=public_id).first()
        if found is None:
            raise forms.ValidationError("That entity no longer exists.")
        return found

    def clean(self):
        cleaned = super().clean()
        other, relation = cleaned.get("entity"), cleaned.get("relation")
        if other is None or not relation or self.owner is None:
            return cleaned
        if other == self.owner:
            raise forms.ValidationError("An entity cannot be related to itself.")
        subject, obj = self.ends()
        ends = relation_ends(subject, obj)
        if Relation.objects.filter(relation=relation, **ends).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("These entities are already related that way.")
        return cleaned


class RelationFormSet(BaseGenericInlineFormSet):
    """Relations edited on an entity's page, stored through the relation services.

    Hands the page's entity to each form (so a form can check for duplicates); the system's
    "Created By" rows can be neither changed nor deleted.
    """

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owner": self.instance}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.is_system_record and DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].disabled = True

    def _should_delete_form(self, form):
        return not form.is_system_record and super()._should_delete_form(form)

    def save_new(self, form, commit=True):
        subject, obj = form.ends()
        return services.relation_create(
            subject=subject, obj=obj, relation=form.cleaned_data["relation"]
        )

    def save_existing(self, form, obj, commit=True):
        subject, other = form.ends()
        return services.relation_change(
            obj, subject=subject, obj=other, relation=form.cleaned_data["relation"]
        )

    def delete_existing(self, obj, commit=True):
        services.relation_delete(relation=obj)


class OutwardRelationForm(RelationInlineForm):
    other_end = "object"


class InwardRelationForm(RelationInlineForm):
    other_end = "subject"


class RelationInlinePermissions:
    """Relations are read with their entity; relating it needs ``<kind>:attach`` on it,
    removing or changing a relation ``<kind>:detach`` (as ``/{entity}/{id}/relations``)."""

    def _on(self, request, obj, verb) -> bool:
        kind = entities.for_model(type(obj)) if obj is not None else None
        access = access_for(request)
        if kind is None or not access.governs(kind.kind):
            return access.unrestricted  # users', roles' relations: superusers'
        return access.allows(f"{kind.kind}:{verb}", obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return True
        kind = entities.for_model(type(obj))
        access = access_for(request)
        if kind is None or not access.governs(kind.kind):
            # The people's and roles' relations are their administrators' to read.
            return access.may_administer_users()
        return access.can_read(obj)

    def has_add_permission(self, request, obj=None):
        return self._on(request, obj, "attach")

    def has_change_permission(self, request, obj=None):
        return self._on(request, obj, "detach")

    def has_delete_permission(self, request, obj=None):
        return self._on(request, obj, "detach")

    @admin.display(description="Record")
    def entity(self, relation):
        """The other end, where the inline is read only (a page its viewer may not change)."""
        return getattr(relation, self.form.other_end, None)


class OutwardRelationInline(RelationInlinePermissions, NiagaraInline, GenericTabularInline):
    model = Relation
    form = OutwardRelationForm
    formset = RelationFormSet
    ct_field = "subject_type"
    ct_fk_field = "subject_id"
    fields = ["relation", "entity"]
    extra = 0
    verbose_name = "link to another record"
    verbose_name_plural = "links to other records"


class InwardRelationInline(RelationInlinePermissions, NiagaraInline, GenericTabularInline):
    model = Relation
    form = InwardRelationForm
    formset = RelationFormSet
    ct_field = "object_type"
    ct_fk_field = "object_id"
    fields = ["entity", "relation"]
    extra = 0
    verbose_name = "record linking here"
    verbose_name_plural = "records linking here"


# Read-only sections apps above add to every registered entity's page (its files, say):
# ``(title, render)``, where ``render(obj)`` returns the section's HTML.
ENTITY_SECTIONS: list[tuple[str, Callable]] = []


def register_entity_section(title: str, render: Callable) -> None:
    """Show ``render(obj)`` under ``title`` on every registered entity's change page."""
    render.short_description = title
    if all(existing is not render for _, existing in ENTITY_SECTIONS):
        ENTITY_SECTIONS.append((title, render))


class EntityAdminMixin(GraphAdminMixin):
    """For the admin of a registered entity: relations inlines, the sections apps above add
    (``register_entity_section``) and the history view."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        return [*fieldsets, *((title, {"fields": [render]}) for title, render in ENTITY_SECTIONS)]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return [*readonly, *(render for _, render in ENTITY_SECTIONS)]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is None:
            return inlines
        return [*inlines, InwardRelationInline, OutwardRelationInline]


class EntityAdmin(
    PeopleExportMixin, ExportMixin, EntityAdminMixin, NiagaraModelAdmin, SimpleHistoryAdmin
):
    """Base ModelAdmin of registered entities: saves and deletes go through the app's services;
    any filtered list exports as CSV, XLSX or JSON (django-import-export).

    Declare ``save_service(obj, *, actor)`` and ``delete_service(obj, /, *, actor)``, each
    wrapped in ``staticmethod``; override ``save_model``/``delete_model`` for anything else.
    """

    formfield_overrides = {
        models.JSONField: {"widget": PrettyJSONWidget},
        LabelsField: {"widget": LabelsWidget},  # tags, not JSON
    }
    save_service = delete_service = None

    def save_model(self, request, obj, form, change):
        if not change:
            self.check_create_under(request, obj)
        self.save_service(obj, actor=request.user)

    def delete_model(self, request, obj):
        self.delete_service(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        # One by one through ``delete_model`` (the app's service), never a bulk delete. Protected
        # dependents were already refused by the action's confirmation step.
        for obj in queryset:
            self.delete_model(request, obj)


class EntityTypeFilter(admin.SimpleListFilter):
    """Filter relations by the type code of one of their ends."""

    end = "subject"

    def lookups(self, request, model_admin):
        return [(kind.code, f"{kind.code} · {kind.verbose_name}") for kind in entities]

    def queryset(self, request, queryset):
        if not self.value() or self.value() not in entities:
            return queryset
        content_type = ContentType.objects.get_for_model(entities.get(self.value()).model)
        return queryset.filter(**{f"{self.end}_type": content_type})


class SubjectTypeFilter(EntityTypeFilter):
    title = "subject type"
    parameter_name = "subject_type"
    end = "subject"


class ObjectTypeFilter(EntityTypeFilter):
    title = "object type"
    parameter_name = "object_type"
    end = "object"


@admin.register(Relation)
class RelationAdmin(NiagaraModelAdmin):
    list_display = ["subject", "relation_label", "object", "created"]
    list_filter = ["relation", SubjectTypeFilter, ObjectTypeFilter]
    list_per_page = 50
    readonly_fields = ["subject", "object", "created", "updated"]
    fields = ["relation", "subject", "object", "created", "updated"]

    def get_rows(self, request):
        return super().get_rows(request).prefetch_related("subject", "object")

    @admin.display(description="relation", ordering="relation")
    def relation_label(self, relation):
        return relation.get_relation_display()

    def has_add_permission(self, request):
        # Relations are added from either entity's page, where both ends can be picked.
        return False

    def get_urls(self):
        search = self.admin_site.admin_view(self.entity_autocomplete)
        return [
            path("entity-autocomplete/", search, name="relations_entity_autocomplete"),
            *super().get_urls(),
        ]

    def entity_autocomplete(self, request):
        """Search every registered kind the user may view, with that kind's admin search."""
        term = request.GET.get("term", "").strip()
        results = []
        for kind in entities:
            model_admin = self.admin_site._registry.get(kind.model)
            if model_admin is None or not model_admin.has_view_permission(request):
                continue
            queryset = model_admin.get_queryset(request)
            if term:
                queryset, _ = model_admin.get_search_results(request, queryset, term)
            for instance in queryset.order_by("pk")[:AUTOCOMPLETE_LIMIT]:
                value, text = entity_choice(instance)
                results.append({"id": value, "text": text})
        return JsonResponse({"results": results, "pagination": {"more": False}})
