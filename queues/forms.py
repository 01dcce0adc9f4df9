"""Admin forms: a location's address edited field by field, validated by the model's schema."""

import pycountry
from django import forms

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


class LocationAdminForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["label", "location_type", "input_filter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address = self.instance.address if isinstance(self.instance.address, dict) else {}
        for part in ADDRESS_PARTS:
            field = (
                forms.ChoiceField(choices=COUNTRY_CHOICES)
                if part == "country"
                else forms.CharField(max_length=200)
            )
            field.label = LABELS[part]
            field.required = part in REQUIRED_PARTS
            field.initial = address.get(part, "")
            self.fields[f"address_{part}"] = field

    def clean(self):
        cleaned = super().clean()
        self.instance.address = {
            part: cleaned[f"address_{part}"].strip()
            for part in ADDRESS_PARTS
            if cleaned.get(f"address_{part}", "").strip()
        }
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Report address problems on the form rather than as a stray model error.
        if "address" in self._errors:
            self.add_error(None, self._errors.pop("address"))
