"""Webhooks in the admin: a manager subscribes a customer's system to its events with a form
(no JSON), sends a test, rotates the secret, and reads every delivery attempt with the
receiver's response code; a failed delivery is sent again with "Replay"."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from customers.models import Customer
from events.catalogue import EVENT_TYPES
from niagara.access import access_for
from niagara.admin_base import NiagaraModelAdmin, ReadOnlyAdminMixin

from . import services
from .models import Delivery, Webhook
from .selectors import attempts_of, may_manage_everywhere, webhooks_for

RECENT_ATTEMPTS = 20


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="What the receiver hears.",
    )

    class Meta:
        model = Webhook
        fields = ["label", "customer", "url", "events", "active"]
        help_texts = {
            "customer": "Whose events; empty: every customer's (shop administrators only).",
            "url": "The receiver. Each event is POSTed as JSON, signed (Standard Webhooks).",
        }


class ManagersOfTheCustomer:
    """A customer's webhooks are for whoever may change the customer (customer:update)."""

    def has_module_permission(self, request):
        return access_for(request).may_somewhere("customer:update")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Webhook)
class WebhookAdmin(ManagersOfTheCustomer, NiagaraModelAdmin):
    form = WebhookForm
    shop_wide = True  # its rows are ``webhooks_for`` the viewer: customer:update, not read
    list_display = ["__str__", "customer", "hears", "active", "failure_streak", "disabled_reason"]
    list_select_related = ["customer"]
    list_filter = ["active"]
    search_fields = ["label", "url", "public_id"]
    readonly_fields = ["public_id", "failure_streak", "disabled_reason", "recent_attempts"]
    actions = ["send_test", "rotate_secret"]

    def get_rows(self, request):
        return webhooks_for(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "customer":
            access = access_for(request)
            field.queryset = access.visible(
                Customer.objects.order_by("label"), permission="customer:update"
            )
            field.required = not may_manage_everywhere(request)
        return field

    @admin.display(description="Hears")
    def hears(self, webhook):
        return ", ".join(webhook.events[:3]) + (" …" if len(webhook.events) > 3 else "")

    @admin.display(description="Recent attempts")
    def recent_attempts(self, webhook):
        attempts = attempts_of(webhook)[:RECENT_ATTEMPTS]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>#{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    a.attempted.strftime("%Y-%m-%d %H:%M:%S"),
                    a.delivery.type,
                    a.number,
                    a.response_code or a.error or "no answer",
                    a.delivery.public_id,
                )
                for a in attempts
            ),
        )
        if not rows:
            return "None yet."
        return format_html(
            "<table><tr><th>When</th><th>Event</th><th>Attempt</th><th>Answer</th>"
            "<th>webhook-id</th></tr>{}</table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        fields = services.WebhookFields(
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            customer=form.cleaned_data.get("customer"),
            label=form.cleaned_data.get("label") or "",
            active=form.cleaned_data.get("active", True),
        )
        if fields.customer is None and not may_manage_everywhere(request):
            raise ValidationError("Choose the customer")
        if change:
            saved = services.webhook_update(
                Webhook.objects.get(pk=obj.pk), actor=request.user, fields=fields
            )
        else:
            saved = services.webhook_create(actor=request.user, fields=fields)
            messages.warning(
                request,
                f"The signing secret of {saved}, shown this once: {saved.secret}",
            )
        obj.pk, obj.public_id = saved.pk, saved.public_id

    def delete_model(self, request, obj):
        services.webhook_delete(obj, actor=request.user)

    @admin.action(description="Send a test message")
    def send_test(self, request, queryset):
        for webhook in queryset:
            services.webhook_send_test(webhook, actor=request.user)
        messages.success(request, f"Test messages queued for {queryset.count()} webhook(s).")

    @admin.action(description="Rotate the signing secret")
    def rotate_secret(self, request, queryset):
        for webhook in queryset:
            rotated = services.webhook_rotate_secret(webhook, actor=request.user)
            messages.warning(
                request,
                f"New secret of {rotated} (the old one signs for 24 hours more): {rotated.secret}",
            )


@admin.register(Delivery)
class DeliveryAdmin(ManagersOfTheCustomer, ReadOnlyAdminMixin, NiagaraModelAdmin):
    shop_wide = True  # its rows are those of the viewer's webhooks
    list_display = [
        "public_id",
        "webhook",
        "type",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt",
    ]
    list_select_related = ["webhook"]
    list_filter = ["status"]
    search_fields = ["public_id", "type"]
    ordering = ["-id"]
    fields = [
        "public_id",
        "webhook",
        "type",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt",
        "finished",
        "payload",
    ]
    readonly_fields = fields
    actions = ["replay"]

    def get_rows(self, request):
        return Delivery.objects.filter(webhook__in=webhooks_for(request).values("pk"))

    def has_change_permission(self, request, obj=None):
        # Read only, but the list's "Replay" action needs it (Django asks for "change").
        return obj is None and self.has_module_permission(request)

    @admin.action(description="Replay (send again, same webhook-id)", permissions=["change"])
    def replay(self, request, queryset):
        for delivery in queryset:
            services.delivery_replay(delivery, actor=request.user)
        messages.success(request, f"{queryset.count()} delivery(ies) queued again.")
