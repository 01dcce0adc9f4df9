"""Admin forms: a location's address edited field by field, validated by the model's schema."""

import pycountry
from django import forms

from niagara.admin_forms import ModelErrorsOnFormMixin

from .addresses import ADDRESS_PARTS
from .models import Location, Resource, SubResource

COUNTRY_CHOICES = [
    ("", "---------"),
    *sorted(
        ((c.alpha_3, f"{c.name} ({c.alpha_3})") for c in pycountry.countries), key=lambda c: c[1]
    ),
]
REQUIRED_PARTS = {"country", "administrative_area", "locality", "postal_code", "thoroughfare"}
LABELS = {
    "country": "Country",
    "administrative_area": "State / province / region",
    "sub_administrative_area": "County / district",
    "locality": "City / town",
    "postal_code": "Postal code",
    "thoroughfare": "Street address",
    "premise": "Suite / apartment",
    "sub_premise": "Floor / room / building",
}


def _address_field(part: str) -> forms.Field:
    field = (
        forms.ChoiceField(choices=COUNTRY_CHOICES)
        if part == "country"
        else forms.CharField(max_length=200)
    )
    field.label = LABELS[part]
    field.required = part in REQUIRED_PARTS
    return field


class LocationFormBase(ModelErrorsOnFormMixin, forms.ModelForm):
    validated_model_fields = ("address",)

    class Meta:
        model = Location
        fields = ["label", "location_type", "input_filter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address = self.instance.address if isinstance(self.instance.address, dict) else {}
        for part in ADDRESS_PARTS:
            self.fields[f"address_{part}"].initial = address.get(part, "")

    def clean(self):
        cleaned = super().clean()
        self.instance.address = {
            part: cleaned[f"address_{part}"].strip()
            for part in ADDRESS_PARTS
            if cleaned.get(f"address_{part}", "").strip()
        }
        return cleaned


# One declared form field per address part, so the admin's fieldsets can name them.
LocationAdminForm = type(
    "LocationAdminForm",
    (LocationFormBase,),
    {f"address_{part}": _address_field(part) for part in ADDRESS_PARTS},
)


class MetaWidget(forms.Widget):
    """A resource's ``meta`` as key/value rows, plus blank rows to add (no JSON to type)."""

    template_name = "queues/widgets/meta.html"
    blank_rows = 3

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pairs = list(value.items()) if isinstance(value, dict) else []
        context["widget"]["rows"] = [*pairs, *([("", "")] * self.blank_rows)]
        return context

    def value_from_datadict(self, data, files, name):
        try:
            count = int(data.get(f"{name}-count", 0))
        except ValueError:
            count = 0
        meta = {}
        for index in range(count):
            prefix = f"{name}-{index}-"
            key = (data.get(prefix + "key") or "").strip()
            if key and not data.get(prefix + "delete"):
                meta[key] = data.get(prefix + "value") or ""
        return meta

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-count" not in data


class MetaField(forms.Field):
    widget = MetaWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Data about it, as key and value; blank rows are ignored.")
        super().__init__(**kwargs)

    def to_python(self, value):
        return value or {}

    def has_changed(self, initial, data):
        return (initial or {}) != (data or {})


class ResourceAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    meta = MetaField()

    class Meta:
        model = Resource
        fields = ["label", "resource_type", "location", "meta", "input_filter"]


class SubResourceAdminForm(ModelErrorsOnFormMixin, forms.ModelForm):
    meta = MetaField()

    class Meta:
        model = SubResource
        fields = ["label", "resource_type", "resource", "location", "meta", "input_filter"]
