from django.contrib import admin

from relations.admin import EntityAdmin

from . import services
from .forms import CustomerAdminForm
from .models import Contact, Customer


@admin.register(Customer)
class CustomerAdmin(EntityAdmin):
    form = CustomerAdminForm
    list_display = ["label", "status_vocabulary", "total_programs", "total_projects", "updated"]
    search_fields = ["label", "public_id"]
    readonly_fields = ["public_id", "created", "updated"]
    fields = ["label", "allowed_statuses", "external_platform", "public_id", "created", "updated"]
    ordering = ["label"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counters()

    def get_fields(self, request, obj=None):
        # The id and timestamps exist only once the customer is saved.
        return self.fields if obj else ["label", "allowed_statuses", "external_platform"]

    @admin.display(description="Statuses (category)")
    def status_vocabulary(self, customer):
        return ", ".join(f"{s['status']} ({s['category']})" for s in customer.allowed_statuses)

    @admin.display(description="Programs", ordering="total_programs")
    def total_programs(self, customer):
        return customer.total_programs

    @admin.display(description="Projects", ordering="total_projects")
    def total_projects(self, customer):
        return customer.total_projects

    def save_model(self, request, obj, form, change):
        services.customer_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.customer_delete(customer=obj, actor=request.user)


@admin.register(Contact)
class ContactAdmin(EntityAdmin):
    list_display = ["name", "email", "phone", "label", "updated"]
    search_fields = ["name", "email", "label", "phone"]
    readonly_fields = ["public_id", "created", "updated"]
    ordering = ["name"]

    def get_fields(self, request, obj=None):
        fields = ["label", "name", "email", "phone"]
        return [*fields, *self.readonly_fields] if obj else fields

    def save_model(self, request, obj, form, change):
        services.contact_save(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.contact_delete(contact=obj, actor=request.user)
