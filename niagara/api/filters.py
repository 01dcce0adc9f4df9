"""Collection filters in the docs' style: ``?filter[relation]=created&filter[direction]=INWARD``."""

from django_filters import rest_framework as filters


def bracketed_filterset(
    name: str, *, plain: dict[str, filters.Filter] | None = None, **declared: filters.Filter
) -> type[filters.FilterSet]:
    """Return a FilterSet whose filters are read from ``filter[<name>]`` query parameters
    (and ``plain`` ones, such as ``ordering``, from parameters of their own name)."""
    attrs = {f"filter[{key}]": value for key, value in declared.items()}
    return type(name, (filters.FilterSet,), {**attrs, **(plain or {})})
