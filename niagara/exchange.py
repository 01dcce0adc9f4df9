"""What can be imported and exported from files (``manage.py import_data`` / ``export_data``).

Each app registers its kinds from ``ready()``: a django-import-export resource class, and whether
rows may be imported (an importable resource stores every row through the app's services).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    resource_class: type
    importable: bool


_kinds: dict[str, Kind] = {}


def register_kind(name: str, resource_class: type, *, importable: bool = False) -> None:
    _kinds[name] = Kind(name, resource_class, importable)


def kinds() -> dict[str, Kind]:
    return dict(sorted(_kinds.items()))
