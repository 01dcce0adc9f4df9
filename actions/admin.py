"""Actions and notifications in the admin: a manager sets "tell me when …" with a form (an
event, a condition, whom to notify, what status to set — no JSON), and reads their own
notifications (the header says how many are unread)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from customers.models import Contact, Customer
from events.catalogue import EVENT_TYPES
from niagara.access import access_for
from niagara.admin_base import NiagaraModelAdmin, ReadOnlyAdminMixin

from . import services
from .effects import UPDATABLE
from .models import Action, Notification, Sequence, Severity
from .notifications import UNREAD_SHOWN, notification_mark, unread_count

OPERATORS = [("equals", "equals"), ("not_equals", "does not equal"), ("is_null", "is empty")]


class ActionForm(forms.ModelForm):
    """The first condition and the first effect of each kind as fields; an action made over
    the API with more keeps the others as they are."""

    customer = forms.ModelChoiceField(
        Customer.objects.none(),
        required=False,
        help_text="Whose events (and what is under the customer); empty: every customer's "
        "(shop administrators only).",
    )
    event = forms.ChoiceField(choices=[(name, name) for name in EVENT_TYPES])
    criterion_property = forms.CharField(
        required=False,
        label="When",
        help_text="A property of the event or its entity, e.g. current_status, step, qc.",
    )
    criterion_operator = forms.ChoiceField(choices=OPERATORS, required=False, label="is")
    criterion_value = forms.CharField(required=False, label="value", help_text="e.g. Blocked")
    notify_users = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), required=False, label="Notify people"
    )
    notify_contacts = forms.ModelMultipleChoiceField(
        Contact.objects.none(), required=False, label="Notify contacts (by e-mail)"
    )
    notify_label = forms.CharField(
        required=False, max_length=200, label="Notification", help_text="{name}: a property"
    )
    notify_message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notify_severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.NORMAL)
    update_entity = forms.ChoiceField(
        choices=[("", "—"), *((code, code) for code in UPDATABLE)],
        required=False,
        label="Set the status of",
    )
    update_value = forms.CharField(required=False, label="to", help_text="A status label")

    class Meta:
        model = Action
        fields = ["label", "customer", "event", "sequence", "order", "active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        access = access_for(request)
        self.fields["customer"].queryset = access.visible(
            Customer.objects.order_by("label"), permission="action:create"
        )
        self.fields["customer"].required = not access.holds_everywhere("action:create-global")
        self.fields["notify_users"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["notify_contacts"].queryset = Contact.objects.order_by("name")
        action = self.instance
        if action.pk:
            self._load(action)

    def _load(self, action: Action) -> None:
        if action.target_type == "CUS":
            self.initial["customer"] = action.customer_id
        first = (action.criteria or [{}])[0] if action.criteria else {}
        self.initial.update(
            criterion_property=first.get("property", ""),
            criterion_operator=first.get("operator", "equals"),
            criterion_value=first.get("value") if isinstance(first.get("value"), str) else "",
        )
        for effect in action.effect or []:
            options = effect.get("options") or {}
            if effect.get("effect_type") == "notify" and "notify_label" not in self.initial:
                ids = options.get("contacts") or []
                self.initial.update(
                    notify_users=list(
                        self.fields["notify_users"].queryset.filter(public_id__in=ids)
                    ),
                    notify_contacts=list(Contact.objects.filter(public_id__in=ids)),
                    notify_label=options.get("label", ""),
                    notify_message=options.get("message", ""),
                    notify_severity=options.get("severity", "normal"),
                )
            if effect.get("effect_type") == "update" and "update_entity" not in self.initial:
                self.initial.update(
                    update_entity=options.get("entity", ""), update_value=options.get("value", "")
                )

    def clean(self):
        data = super().clean()
        criteria = list((self.instance.criteria or [])[1:])
        if data.get("criterion_property"):
            criterion = {
                "property": data["criterion_property"].strip(),
                "operator": data.get("criterion_operator") or "equals",
            }
            if criterion["operator"] != "is_null":
                criterion["value"] = data.get("criterion_value", "")
            criteria.insert(0, criterion)
        effects = []
        people = [*data.get("notify_users", []), *data.get("notify_contacts", [])]
        if people:
            if not data.get("notify_label"):
                self.add_error("notify_label", "Say what the notification is about.")
            effects.append(
                {
                    "effect_type": "notify",
                    "options": {
                        "contacts": [each.public_id for each in people][:10],
                        "label": data.get("notify_label", ""),
                        "message": data.get("notify_message", ""),
                        "severity": data.get("notify_severity") or "normal",
                    },
                }
            )
        if data.get("update_entity"):
            effects.append(
                {
                    "effect_type": "update",
                    "options": {
                        "entity": data["update_entity"],
                        "property": "current_status",
                        "value": data.get("update_value", ""),
                    },
                }
            )
        kept = [e for e in self.instance.effect or [] if e not in effects][len(effects) :]
        self.fields_for_service = services.ActionFields(
            label=data.get("label", ""),
            event=data.get("event", ""),
            effect=effects + kept if self.instance.pk else effects,
            criteria=criteria,
            sequence=data.get("sequence") or Sequence.BEFORE,
            order=data.get("order") or "",
            active=data.get("active", True),
            target=data.get("customer"),
        )
        if not effects:
            raise ValidationError("Notify someone or set a status: an action does something.")
        probe = services.fill_action(Action(pk=self.instance.pk), self.fields_for_service)
        try:
            services.check_action(probe)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                self.add_error(None, f"{field}: {'; '.join(problems)}")
        return data


@admin.register(Action)
class ActionAdmin(NiagaraModelAdmin):
    form = ActionForm
    list_display = ["label", "event", "customer", "sequence", "active", "last_fired", "last_error"]
    list_select_related = ["customer"]
    list_filter = ["active", "sequence"]
    search_fields = ["label", "event", "public_id"]
    readonly_fields = ["public_id", "last_fired", "last_error"]
    fieldsets = [
        (None, {"fields": ["label", "customer", "event", "sequence", "order", "active"]}),
        ("Only when", {"fields": ["criterion_property", "criterion_operator", "criterion_value"]}),
        (
            "Notify",
            {
                "fields": [
                    "notify_users",
                    "notify_contacts",
                    "notify_label",
                    "notify_message",
                    "notify_severity",
                ]
            },
        ),
        ("Set a status", {"fields": ["update_entity", "update_value"]}),
        ("Record", {"fields": ["public_id", "last_fired", "last_error"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithRequest(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def has_add_permission(self, request):
        access = access_for(request)
        return access.may_somewhere("action:create") or access.holds_everywhere(
            "action:create-global"
        )

    def save_model(self, request, obj, form, change):
        fields = form.fields_for_service
        if change:
            form.instance = services.action_update(obj, actor=request.user, fields=fields)
        else:
            form.instance = services.action_create(actor=request.user, fields=fields)

    def delete_model(self, request, obj):
        services.action_delete(obj, actor=request.user)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, NiagaraModelAdmin):
    """The viewer's own notifications (nobody reads anyone else's)."""

    shop_wide = True  # its rows are the viewer's own
    list_display = ["label", "severity", "regarding", "read", "created"]
    list_filter = ["read", "archived", "severity"]
    search_fields = ["label", "message"]
    actions = ["mark_read", "mark_unread", "archive"]
    fields = ["label", "message", "severity", "regarding", "sender", "read", "archived", "created"]
    readonly_fields = fields

    def get_rows(self, request):
        return Notification.objects.filter(recipient=request.user).select_related("sender")

    def has_module_permission(self, request):
        return request.user.is_authenticated

    def has_view_permission(self, request, obj=None):
        return request.user.is_authenticated

    def has_change_permission(self, request, obj=None):
        # The list's actions mark them; nothing else about them changes.
        return obj is None and request.user.is_authenticated

    @admin.display(description="About")
    def regarding(self, notification):
        if not notification.regarding_id:
            return "—"
        return f"{notification.regarding_label} ({notification.regarding_type})"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening one reads it.
        found = self.get_queryset(request).filter(pk=object_id, read=False).first()
        if found is not None:
            notification_mark(found, read=True)
        return super().change_view(request, object_id, form_url, extra_context)

    def _mark(self, request, queryset, **changes):
        for notification in queryset:
            notification_mark(notification, **changes)
        self.message_user(request, f"{len(queryset)} notifications marked.", messages.SUCCESS)

    @admin.action(description="Mark as read")
    def mark_read(self, request, queryset):
        self._mark(request, queryset, read=True)

    @admin.action(description="Mark as unread")
    def mark_unread(self, request, queryset):
        self._mark(request, queryset, read=False)

    @admin.action(description="Archive")
    def archive(self, request, queryset):
        self._mark(request, queryset, archived=True)


def unread_link(request) -> dict | None:
    """The header's "Notifications (n)": the viewer's unread ones."""
    count = unread_count(request.user)
    url = reverse("admin:actions_notification_changelist") + "?read__exact=0&archived__exact=0"
    shown = f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)
    label = f"Notifications ({shown})" if count else "Notifications"
    return {"label": label, "url": url, "title": f"{count} unread"}
