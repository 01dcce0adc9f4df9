"""Admin forms: a location's address edited field by field, validated by the model's schema."""

import pycountry
from django import forms

from niagara.admin_forms import ModelErrorsOnFormMixin

from .addresses import ADDRESS_PARTS
from .models import Location

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
