"""Query parameters: a request names only those its endpoint reads, each with a value.

A misspelt filter (``filter[statu]``) silently ignored would answer the whole collection as if it
had been applied; it is a 400 naming the parameter instead.
"""

from django_filters import ChoiceFilter, MultipleChoiceFilter

from niagara.errors import InvalidData
from niagara.validation_messages import entry

# DRF's ``?format=`` (the browsable API's own links use it).
ALWAYS_ALLOWED = frozenset({"format"})
PAGE_PARAMS = frozenset({"limit", "offset"})


def check_query(query_params, allowed: set[str]) -> None:
    """Raise the 400 for parameters outside ``allowed`` and for empty values."""
    failures = [
        entry("additionalProperties", (name,), params={"additionalProperty": name})
        for name in sorted(set(query_params) - allowed)
    ]
    failures += [
        entry("minLength", (name,), params={"limit": 1})
        for name in sorted(set(query_params) & allowed)
        if any(value == "" for value in query_params.getlist(name))
    ]
    if failures:
        names = ", ".join(f"'{f['dataPath'].removeprefix('.')}'" for f in failures)
        raise InvalidData(
            failures,
            detail=f"Invalid query parameter {names} (this endpoint reads: {_listed(allowed)})",
        )


def _listed(allowed: set[str]) -> str:
    shown = sorted(allowed - ALWAYS_ALLOWED)
    return ", ".join(shown) if shown else "none"


def filter_failures(filterset) -> list[dict]:
    """Return the ``validation_messages`` of an invalid FilterSet: a choice filter's failure
    lists the values it allows."""
    failures = []
    for name, errors in filterset.errors.items():
        declared = filterset.filters.get(name)
        if isinstance(declared, ChoiceFilter | MultipleChoiceFilter):
            # The form's field holds the choices resolved (a filter may declare a callable).
            choices = filterset.form.fields[name].choices
            values = [value for value, _ in choices if value != ""]
            failures.append(entry("enum", (name,), params={"allowedValues": values}))
        else:
            failures.append(entry("format", (name,), params={}, message=str(errors[0])))
    return failures
