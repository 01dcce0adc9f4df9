"""Admin forms: allowed statuses edited as rows, validated by the model's own schema."""

import json

from django import forms

from niagara.admin_forms import ModelErrorsOnFormMixin

from .models import Customer, Program, Project
from .selectors import tenant_statuses
from .statuses import StatusCategory


class AllowedStatusesWidget(forms.Widget):
    """A table of status rows (label, category, description, order) plus blank rows to add."""

    template_name = "customers/widgets/allowed_statuses.html"
    blank_rows = 3

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return value if isinstance(value, list) else []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [item for item in self.format_value(value) if isinstance(item, dict)]
        rows += [{}] * self.blank_rows
        context["widget"].update(rows=rows, categories=StatusCategory.choices)
        return context

    def value_from_datadict(self, data, files, name):
        try:
            count = int(data.get(f"{name}-count", 0))
        except ValueError:
            count = 0
        statuses = []
        for index in range(count):
            prefix = f"{name}-{index}-"
            label = (data.get(prefix + "status") or "").strip()
            if not label or data.get(prefix + "delete"):
                continue
            item = {"status": label, "category": data.get(prefix + "category") or ""}
            description = (data.get(prefix + "description") or "").strip()
            if description:
                item["description"] = description
            order = (data.get(prefix + "order") or "").strip()
            if order:
                item["order"] = _number(order)
            statuses.append(item)
        return statuses

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-count" not in data


def _number(text: str):
    """Return ``text`` as a number, or unchanged so validation reports "should be number"."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


class AllowedStatusesField(forms.Field):
    widget = AllowedStatusesWidget

    def to_python(self, value):
        return value or []

    def has_changed(self, initial, data):
        return (initial or []) != (data or [])


class CustomerAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    allowed_statuses = AllowedStatusesField(
        error_messages={"required": "Add at least one status."},
        help_text=(
            "The customer's own status labels, each mapped to a category. Blank rows are "
            "ignored; tick “remove” to drop a row."
        ),
    )

    class Meta:
        model = Customer
        fields = ["label", "is_active", "labels", "allowed_statuses", "external_platform"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            # A new customer starts from the shop's statuses (its settings).
            self.initial.setdefault("allowed_statuses", tenant_statuses())


class NarrowedStatusesField(AllowedStatusesField):
    """A program's or project's statuses: no rows means "inherit the parent's list"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "Leave every row blank to use the parent's statuses (and follow its changes); "
            "otherwise list the parent statuses this level allows.",
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return value or None


class ChildInlineForm(ModelErrorsOnFormMixin, forms.ModelForm):
    """Programs and projects edited inline under their parent."""


class ProgramAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    allowed_statuses = NarrowedStatusesField()

    class Meta:
        model = Program
        fields = [
            "label",
            "labels",
            "customer",
            "start_date",
            "end_date",
            "allowed_statuses",
            "input_filter",
        ]


class ProjectAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    allowed_statuses = NarrowedStatusesField()

    class Meta:
        model = Project
        fields = [
            "label",
            "labels",
            "description",
            "program",
            "start_date",
            "end_date",
            "allowed_statuses",
            "input_filter",
        ]


class StatusChoiceField(forms.ChoiceField):
    """One status of a vocabulary, picked from a list grouped by category.

    Its value is the status document (``{"status", "category", …}``) as the models store it;
    ``vocabulary`` is the owning project's effective list (set per form, per object).
    """

    def __init__(self, *, vocabulary: list[dict] = (), allow_none: bool = True, **kwargs):
        kwargs.setdefault("required", not allow_none)
        super().__init__(**kwargs)
        self.allow_none = allow_none
        self.vocabulary = vocabulary

    @property
    def vocabulary(self) -> list[dict]:
        return self._vocabulary

    @vocabulary.setter
    def vocabulary(self, statuses: list[dict]) -> None:
        self._vocabulary = list(statuses)
        groups = {category: [] for category in StatusCategory.values}
        for item in self._vocabulary:
            groups.setdefault(item["category"], []).append((item["status"], item["status"]))
        choices = [("", "— none —")] if self.allow_none else []
        choices += [
            (StatusCategory(category).label, options)
            for category, options in groups.items()
            if options
        ]
        self.choices = choices

    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith("{"):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return value.get("status", "") if isinstance(value, dict) else value

    def to_python(self, value):
        return super().to_python(self.prepare_value(value))

    def clean(self, value):
        label = super().clean(value)
        if not label:
            return None
        return next(dict(item) for item in self._vocabulary if item["status"] == label)
