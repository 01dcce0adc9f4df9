from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from simple_history.admin import SimpleHistoryAdmin

from relations.admin import EntityAdminMixin

from . import services
from .models import User
from .roles import FloorRole


class UserCreationWithRoleForm(AdminUserCreationForm):
    """A new user, and the role of the floor they take (a technician in one step)."""

    role = forms.ChoiceField(
        choices=[("", "— none —"), *FloorRole.choices],
        required=False,
        help_text="Technicians see the floor and move cycles; production managers run it.",
    )


@admin.register(User)
class UserAdmin(EntityAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    add_form = UserCreationWithRoleForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "role"),
            },
        ),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "public_id")
    readonly_fields = ("public_id", "updated")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Niagara", {"fields": ("public_id", "updated")}))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = form.cleaned_data.get("role")
        if not change and role:
            services.user_set_role(form.instance, role=FloorRole(role))
