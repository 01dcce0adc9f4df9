from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from niagara.access import access_for
from niagara.admin_base import NiagaraModelAdmin
from niagara.admin_forms import ModelErrorsOnFormMixin
from niagara.admin_labels import LabelFilter, labels_column
from niagara.exchange import ServiceImportMixin
from relations.admin import EntityAdmin
from relations.admin_graph import GraphInlineMixin

from . import services
from .display import CustomFieldsAdminMixin
from .forms import (
    AllowedStatusesField,
    ChildInlineForm,
    CustomerAdminForm,
    ProgramAdminForm,
    ProjectAdminForm,
)
from .models import Contact, Customer, Program, Project, ShopSettings
from .resources import CustomerResource, ProjectResource
from .statuses import StatusCategory


def statuses_table(statuses: list[dict]):
    return format_html_join(
        "", "<div>{} <small>({})</small></div>", ((s["status"], s["category"]) for s in statuses)
    )


class StatusCategoryFilter(admin.SimpleListFilter):
    """Entities whose statuses in force include a category (their own list or inherited)."""

    title = "status category"
    parameter_name = "status_category"
    # The lookups, from the entity itself up to the customer, that hold a status list.
    levels: tuple[str, ...] = ()

    def lookups(self, request, model_admin):
        return StatusCategory.choices

    def queryset(self, request, queryset):
        if self.value() not in StatusCategory.values:
            return queryset
        needle = f'"category": "{self.value()}"'
        condition, inherited = Q(), Q()
        for level in self.levels:
            field = f"{level}allowed_statuses"
            condition |= inherited & Q(**{f"{field}__icontains": needle})
            inherited &= Q(**{f"{field}__isnull": True})
        return queryset.filter(condition)


class ProgramStatusCategoryFilter(StatusCategoryFilter):
    levels = ("", "customer__")


class ProjectStatusCategoryFilter(StatusCategoryFilter):
    levels = ("", "program__", "program__customer__")


class ServiceSavedInline(GraphInlineMixin, admin.TabularInline):
    """An inline whose rows are saved and deleted through the app's services."""

    form = ChildInlineForm
    extra = 0
    show_change_link = True


class ProgramInline(ServiceSavedInline):
    model = Program
    fields = ["label", "start_date", "end_date"]


class ProjectInline(ServiceSavedInline):
    model = Project
    fields = ["label", "start_date", "end_date"]


class HierarchyAdmin(EntityAdmin):
    """Saves inline children (programs, projects) through their services."""

    child_services = {
        Program: (services.program_save, services.program_delete, "program"),
        Project: (services.project_save, services.project_delete, "project"),
    }

    def save_formset(self, request, form, formset, change):
        if formset.model not in self.child_services:
            return super().save_formset(request, form, formset, change)
        save, delete, name = self.child_services[formset.model]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete(actor=request.user, **{name: obj})
        for instance in instances:
            save(instance, actor=request.user)


@admin.register(Customer)
class CustomerAdmin(ServiceImportMixin, HierarchyAdmin):
    """Customers; a CSV or XLSX file of them imports (with a dry-run preview) row by row
    through ``customer_save``: one failing row, and nothing is imported."""

    form = CustomerAdminForm
    resource_classes = [CustomerResource]

    list_display = [
        "label",
        "is_active",
        labels_column,
        "status_vocabulary",
        "total_programs",
        "total_projects",
        "updated",
    ]
    list_filter = ["is_active", LabelFilter]
    search_fields = ["label", "public_id"]
    readonly_fields = ["public_id", "created", "updated"]
    fields = [
        "label",
        "is_active",
        "labels",
        "allowed_statuses",
        "external_platform",
        "public_id",
        "created",
        "updated",
    ]
    inlines = [ProgramInline]
    ordering = ["label"]

    def get_rows(self, request):
        return super().get_rows(request).with_counters()

    def get_fields(self, request, obj=None):
        # The id and timestamps exist only once the customer is saved.
        return self.fields if obj else self.fields[:5]

    def get_search_results(self, request, queryset, search_term):
        # Pickers (autocompletes) offer active customers only: inactive ones take no new work.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Statuses (category)")
    def status_vocabulary(self, customer):
        return ", ".join(f"{s['status']} ({s['category']})" for s in customer.allowed_statuses)

    @admin.display(description="Programs", ordering="total_programs")
    def total_programs(self, customer):
        return customer.total_programs

    @admin.display(description="Projects", ordering="total_projects")
    def total_projects(self, customer):
        return customer.total_projects

    save_service = staticmethod(services.customer_save)
    delete_service = staticmethod(services.customer_delete)


class NarrowingAdmin(CustomFieldsAdminMixin, HierarchyAdmin):
    """Programs and projects: statuses in force shown next to the editor."""

    readonly_fields = ["statuses_in_force", "public_id", "created", "updated"]
    date_hierarchy = "start_date"

    @admin.display(description="Statuses in force")
    def statuses_in_force(self, obj):
        if obj.pk is None:
            return "—"
        return statuses_table(obj.effective_statuses)


@admin.register(Program)
class ProgramAdmin(NarrowingAdmin):
    form = ProgramAdminForm
    list_display = ["label", "customer", "start_date", "end_date", "project_count", labels_column]
    list_filter = ["customer", ProgramStatusCategoryFilter, LabelFilter, "start_date", "end_date"]
    list_select_related = ["customer"]
    search_fields = ["label", "public_id", "customer__label"]
    autocomplete_fields = ["customer"]
    inlines = [ProjectInline]
    ordering = ["customer__label", "label"]

    def get_rows(self, request):
        return super().get_rows(request).annotate(project_count=Count("projects"))

    @admin.display(description="Projects", ordering="project_count")
    def project_count(self, program):
        return program.project_count

    save_service = staticmethod(services.program_save)
    delete_service = staticmethod(services.program_delete)


@admin.register(Project)
class ProjectAdmin(ServiceImportMixin, NarrowingAdmin):
    form = ProjectAdminForm
    resource_classes = [ProjectResource]
    list_display = ["label", "program", "customer", "start_date", "end_date", labels_column]
    list_filter = [
        ("program__customer", admin.RelatedOnlyFieldListFilter),
        "program",
        ProjectStatusCategoryFilter,
        LabelFilter,
        "start_date",
        "end_date",
    ]
    list_select_related = ["program__customer"]
    search_fields = ["label", "public_id", "program__label", "program__customer__label"]
    autocomplete_fields = ["program"]
    ordering = ["program__customer__label", "program__label", "label"]

    @admin.display(description="Customer", ordering="program__customer__label")
    def customer(self, project):
        return project.program.customer

    save_service = staticmethod(services.project_save)
    delete_service = staticmethod(services.project_delete)


@admin.register(Contact)
class ContactAdmin(CustomFieldsAdminMixin, EntityAdmin):
    list_display = ["name", "email", "phone", "label", "updated"]
    search_fields = ["name", "email", "label", "phone"]
    readonly_fields = ["public_id", "created", "updated"]
    ordering = ["name"]

    def get_fields(self, request, obj=None):
        fields = ["label", "name", "email", "phone", "input_filter"]
        return [*fields, *self.readonly_fields] if obj else fields

    save_service = staticmethod(services.contact_save)
    delete_service = staticmethod(services.contact_delete)


class ShopSettingsForm(ModelErrorsOnFormMixin, forms.ModelForm):
    statuses = AllowedStatusesField(
        label="Statuses for new customers",
        error_messages={"required": "Add at least one status."},
        help_text=(
            "The statuses a new customer starts with (each customer then keeps its own). "
            "Blank rows are ignored; tick “remove” to drop a row."
        ),
    )

    class Meta:
        model = ShopSettings
        fields = ["statuses"]


@admin.register(ShopSettings)
class ShopSettingsAdmin(SimpleHistoryAdmin, NiagaraModelAdmin):
    """The shop's settings, one page: its administrators (``tenant:settings``) change them,
    ``tenant:read`` may look. The list opens the one page."""

    form = ShopSettingsForm
    shop_wide = True

    def _holds(self, request, permission: str) -> bool:
        return access_for(request).holds_everywhere(permission)

    def has_view_permission(self, request, obj=None):
        return self._holds(request, "tenant:read") or self._holds(request, "tenant:settings")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._holds(request, "tenant:settings")

    def has_add_permission(self, request):
        return False  # one row, made on first use

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ShopSettings.objects.get_or_create(pk=1)
        return redirect("admin:customers_shopsettings_change", 1)

    def save_model(self, request, obj, form, change):
        services.tenant_statuses_set(actor=request.user, statuses=obj.statuses)
