"""Postal addresses (xNAL, as the docs define them) and their formatting per country."""

from collections.abc import Callable

import pycountry

from niagara.jsonschemas import DocumentSchema

COUNTRY_CODES = sorted(country.alpha_3 for country in pycountry.countries)

_TEXT = {"type": "string", "minLength": 1}

ADDRESS_SCHEMA = {
    "type": "object",
    "description": "xNAL address of the location",
    "additionalProperties": False,
    "required": ["country", "administrative_area", "locality", "postal_code", "thoroughfare"],
    "properties": {
        "country": {
            "type": "string",
            "enum": COUNTRY_CODES,
            "description": "ISO 3166-1 alpha-3 country code",
        },
        "administrative_area": {**_TEXT, "description": "State / Province / Region"},
        "sub_administrative_area": {"type": "string", "description": "County / District"},
        "locality": {**_TEXT, "description": "City / Town"},
        "postal_code": {**_TEXT, "description": "Postal code / ZIP code"},
        "thoroughfare": {**_TEXT, "description": "Street address"},
        "premise": {"type": "string", "description": "Apartment / Suite / Box number"},
        "sub_premise": {"type": "string", "description": "Floor / Room / Building"},
    },
    "example": {
        "country": "USA",
        "administrative_area": "NY",
        "sub_administrative_area": "Albany",
        "locality": "Menands",
        "postal_code": "12204",
        "thoroughfare": "431 Broadway",
        "premise": "Suite c",
        "sub_premise": "ZIC",
    },
}

ADDRESS = DocumentSchema(ADDRESS_SCHEMA)

ADDRESS_PARTS = tuple(ADDRESS_SCHEMA["properties"])


def _join(*parts: str | None) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def _north_american(a: dict) -> list[str]:
    # "Menands NY 12204 USA", as the docs' example writes it.
    return [_join(a["locality"], a["administrative_area"], a["postal_code"], a["country"])]


def _british(a: dict) -> list[str]:
    return [a["locality"], a["postal_code"], a["country"]]


def _continental(a: dict) -> list[str]:
    # Postal code before the town: "10115 Berlin", "75008 Paris".
    return [_join(a["postal_code"], a["locality"]), a["country"]]


def _default(a: dict) -> list[str]:
    return [_join(a["locality"], a["administrative_area"], a["postal_code"]), a["country"]]


FORMATS: dict[str, Callable[[dict], list[str]]] = {
    "USA": _north_american,
    "CAN": _north_american,
    "AUS": _north_american,
    "GBR": _british,
    "IRL": _british,
    **{
        code: _continental
        for code in ("DEU", "FRA", "AUT", "CHE", "NLD", "BEL", "ESP", "ITA", "DNK", "SWE", "NOR")
    },
}


def format_address(label: str, address: dict) -> str:
    """Return the address as lines: label, street and premise, then the country's own order."""
    lines = [label, _join(address.get("thoroughfare"), address.get("premise"))]
    lines += FORMATS.get(address.get("country"), _default)(address)
    return "\n".join(line for line in lines if line)
