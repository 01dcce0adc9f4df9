from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from relations.admin import EntityAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(EntityAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "public_id")
    readonly_fields = ("public_id", "updated")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Niagara", {"fields": ("public_id", "updated")}))
