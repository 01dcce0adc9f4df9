from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from niagara.access import access_for
from niagara.admin_base import NiagaraInline, NiagaraModelAdmin, ReadOnlyAdminMixin
from relations.admin import EntityAdminMixin
from relations.registry import entities

from . import services
from .access import GOVERNED_KINDS
from .models import OperatorSwitch, PersonalToken, Role, RoleHolding, User
from .operators import station_pass_set, station_pass_state
from .permission_graph import GRAPH
from .roles import FloorRole


class UserCreationWithRoleForm(AdminUserCreationForm):
    """A new user, and the role of the floor they take (a technician in one step)."""

    role = forms.ChoiceField(
        choices=[("", "— none —"), *FloorRole.choices],
        required=False,
        help_text="Technicians see the floor and move cycles; production managers run it.",
    )


class UserChangeWithStationForm(UserChangeForm):
    """A person's page, with their station sign-in: a PIN and a badge, never shown back."""

    station_pin = forms.CharField(
        label="Station PIN",
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="4 to 8 digits, to take over a shared station by name and PIN. Empty: unchanged.",
    )
    station_badge = forms.CharField(
        label="Badge",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Click here and scan the person's badge. Empty: unchanged.",
    )
    station_clear = forms.BooleanField(label="Remove the PIN and the badge", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            state = station_pass_state(self.instance)
            for field, held in (("station_pin", state["pin"]), ("station_badge", state["badge"])):
                said = "Set." if held else "Not set."
                self.fields[field].help_text = f"{said} {self.fields[field].help_text}"

    def clean(self):
        cleaned = super().clean()
        pin = cleaned.get("station_pin", "")
        if pin and not (pin.isdigit() and 4 <= len(pin) <= 8):
            self.add_error("station_pin", "A PIN is 4 to 8 digits.")
        return cleaned

    def save_station_pass(self):
        data = self.cleaned_data
        if data.get("station_clear"):
            station_pass_set(self.instance, pin="", badge="")
        elif data.get("station_pin") or data.get("station_badge"):
            station_pass_set(
                self.instance,
                pin=data.get("station_pin") or None,
                badge=data.get("station_badge") or None,
            )


class AdministratorsHistoryMixin:
    """A person's or a role's history (who changed them, what their e-mail was) is for those
    who administer users (``tenant:settings``), as over the API."""

    def history_view(self, request, object_id, extra_context=None):
        if not access_for(request).may_administer_users():
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not access_for(request).may_administer_users():
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(User)
class UserAdmin(
    AdministratorsHistoryMixin,
    EntityAdminMixin,
    NiagaraModelAdmin,
    SimpleHistoryAdmin,
    DjangoUserAdmin,
):
    # The shop's people, not a customer's: who sees them is their permissions' call; their
    # history is their administrators' (``tenant:settings``).
    shop_wide = True
    add_form = UserCreationWithRoleForm
    form = UserChangeWithStationForm
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
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Station sign-in", {"fields": ("station_pin", "station_badge", "station_clear")}),
        ("Niagara", {"fields": ("public_id", "updated")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            form.save_station_pass()
        role = form.cleaned_data.get("role")
        if not change and role:
            services.user_set_role(form.instance, role=FloorRole(role))


class RoleHoldingInline(NiagaraInline, admin.TabularInline):
    """Who holds the role, and where: everywhere (no entity) or on one customer, program,
    project, work order, batch, location or queue (and what is below it)."""

    model = RoleHolding
    shop_wide = True
    extra = 1
    fields = ["user", "entity_type", "entity_id"]
    autocomplete_fields = ["user"]
    verbose_name = "holder"
    verbose_name_plural = "holders (leave the entity empty to hold the role everywhere)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity_type":
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[
                    ContentType.objects.get_for_model(kind.model).pk
                    for kind in entities
                    if kind.kind in GOVERNED_KINDS
                ]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleForm(forms.ModelForm):
    """A role's grants as boxes to tick, one per permission of the graph (no JSON)."""

    permissions = forms.MultipleChoiceField(
        choices=[(name, f"{name} — {p.description}") for name, p in GRAPH.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="What holders may do. A permission also grants what the graph says it "
        "grants, and is in force only where what it requires is held too.",
    )

    class Meta:
        model = Role
        fields = ["label", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["permissions"] = sorted(self.instance.permissions)

    def save(self, commit=True):
        kept = {grant["permission"]: grant for grant in self.instance.grants or []}
        self.instance.grants = [
            kept.get(name, {"permission": name, "label": name, "match_location": False})
            for name in self.cleaned_data["permissions"]
        ]
        return super().save(commit)


class TenantAdminMixin:
    """Roles are the administrators' (``tenant:settings``); ``tenant:read`` may look."""

    def _access(self, request):
        return access_for(request)

    def has_view_permission(self, request, obj=None):
        access = self._access(request)
        return access.holds_everywhere("tenant:read") or access.holds_everywhere("tenant:settings")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return self._access(request).holds_everywhere("tenant:settings")

    def has_change_permission(self, request, obj=None):
        return self._access(request).holds_everywhere("tenant:settings")

    def has_delete_permission(self, request, obj=None):
        return self._access(request).holds_everywhere("tenant:settings")


@admin.register(Role)
class RoleAdmin(
    AdministratorsHistoryMixin, TenantAdminMixin, NiagaraModelAdmin, SimpleHistoryAdmin
):
    shop_wide = True
    form = RoleForm
    list_display = ["label", "description", "grant_count", "holder_count"]
    search_fields = ["label", "description"]
    inlines = [RoleHoldingInline]

    def get_rows(self, request):
        return super().get_rows(request).annotate(holder_count=Count("holdings"))

    @admin.display(description="Grants")
    def grant_count(self, role):
        return len(role.grants or [])

    @admin.display(description="Holders", ordering="holder_count")
    def holder_count(self, role):
        return role.holder_count

    def save_model(self, request, obj, form, change):
        # The form checked the label (unique, whatever its case) and the grants.
        fields = services.RoleFields(
            label=obj.label, description=obj.description, grants=obj.grants
        )
        services.role_update(obj, actor=request.user, fields=fields)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Holders work in the admin too (as ``role_grant`` makes them).
        User.objects.filter(role_holdings__role=form.instance, is_staff=False).update(is_staff=True)

    def has_delete_permission(self, request, obj=None):
        # A role someone holds is not deleted (as DELETE /roles answers 423): take it from
        # its holders first.
        held = obj is not None and obj.holdings.exists()
        return not held and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.role_delete(obj, actor=request.user)


@admin.register(OperatorSwitch)
class OperatorSwitchAdmin(ReadOnlyAdminMixin, TenantAdminMixin, NiagaraModelAdmin):
    """Who took over a shared station from whom, and the attempts refused: to read only."""

    shop_wide = True
    list_display = ["at", "from_user", "to_user", "method", "succeeded", "name_tried", "address"]
    list_filter = ["succeeded", "method"]
    list_select_related = ["from_user", "to_user"]
    search_fields = ["from_user__username", "to_user__username", "name_tried"]
    ordering = ["-at", "-id"]


@admin.register(PersonalToken)
class PersonalTokenAdmin(TenantAdminMixin, NiagaraModelAdmin):
    """People's API tokens: who, since when, until when, last used; deleting one revokes it.
    The secret is shown once, when issued (``create_token``), never here."""

    shop_wide = True
    list_display = ["user", "label", "prefix", "created", "expires", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__username", "label", "prefix"]
    readonly_fields = ["user", "label", "prefix", "created", "expires", "last_used"]
    fields = readonly_fields
    ordering = ["-created"]
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _adopt_shop_wide_admins() -> None:
    """The admins other packages register (groups, API tokens, OAuth applications and
    tokens) are the shop's own records: re-registered on the one base every admin uses, so
    no admin page escapes it."""
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, NiagaraModelAdmin):
            continue
        adopted = type(
            type(model_admin).__name__,
            (NiagaraModelAdmin, type(model_admin)),
            {"shop_wide": True, "__module__": __name__},
        )
        admin.site.unregister(model)
        admin.site.register(model, adopted)


# The plaintext tokens of DRF's authtoken are gone (``PersonalToken`` keeps digests).
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
_adopt_shop_wide_admins()
