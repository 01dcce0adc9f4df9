"""Collection filters in the docs' style: ``?filter[relation]=created&filter[direction]=INWARD``."""

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from niagara.errors import InvalidData

from .fields import MAX_UTC_OFFSET
from .query import filter_failures


class OffsetBoundedIsoDateTimeField(IsoDateTimeField):
    default_error_messages = {
        "offset": "should be an ISO 8601 date-time with a UTC offset within ±14:00",
    }

    def to_python(self, value):
        parsed = super().to_python(value)
        offset = parsed.utcoffset() if parsed is not None else None
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        return parsed


class IsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that refuses offsets no clock uses (``+20:00``) as a 400,
    before the database would."""

    field_class = OffsetBoundedIsoDateTimeField


def bracketed_filterset(
    name: str, *, plain: dict[str, filters.Filter] | None = None, **declared: filters.Filter
) -> type[filters.FilterSet]:
    """Return a FilterSet whose filters are read from ``filter[<name>]`` query parameters
    (and ``plain`` ones, such as ``ordering``, from parameters of their own name)."""
    attrs = {f"filter[{key}]": value for key, value in declared.items()}
    return type(name, (filters.FilterSet,), {**attrs, **(plain or {})})


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter, consulted only when the request names one of the collection's filters.

    Building a FilterSet and its form costs about as much as rendering a row of a page; a list
    that is not filtered skips it (nothing would be filtered, and nothing is validated).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            failures = filter_failures(filterset)
            names = ", ".join(f"'{f['dataPath'].removeprefix('.')}'" for f in failures)
            raise InvalidData(failures, detail=f"Invalid query parameter {names}")
        return filterset.qs
