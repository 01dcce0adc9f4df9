"""Collection filters in the docs' style: ``?filter[relation]=created&filter[direction]=INWARD``."""

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from niagara.errors import InvalidData
from niagara.labels import LABEL_PATTERN, MAX_LABELS, split_labels, validate_labels

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


class LabelsQueryField(forms.CharField):
    """``a,b``: comma-separated labels, each well formed, at most ``MAX_LABELS``."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        labels = split_labels(text)
        if text.strip() and not labels:  # "," names no label (absent: no filter)
            raise forms.ValidationError("should name at least one label", code="minItems")
        return labels

    def validate(self, value):
        try:
            validate_labels(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="pattern") from None


_ONE_LABEL = LABEL_PATTERN.removeprefix("^").removesuffix("$")


@extend_schema_field(
    {
        "type": "string",
        "pattern": rf"^ *{_ONE_LABEL} *(, *{_ONE_LABEL} *){{0,{MAX_LABELS - 1}}}$",
        # No example: Swagger's "try it out" would send it, and find nothing on a new floor.
        "description": "Comma-separated labels, all of which the entity has: `retail,east`",
    }
)
class LabelsFilter(filters.Filter):
    """``filter[labels]=a,b``: the entities having every one of the labels."""

    field_class = LabelsQueryField

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"Comma-separated labels (at most {MAX_LABELS}): the entities having all of them",
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(labels__has_all=value)
