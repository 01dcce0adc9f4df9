"""Input-filter values: a custom field's ``value`` is filtered, then validated, by its definition.

Values are strings (the docs: "always a string, consumers convert"). Filters transform; validators
only judge, returning a message per failure.
"""

import ipaddress
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator


def _words(text: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


def _allowed_list(value, options):
    approved = options["approved_values"]
    fold = (lambda v: v) if options.get("check_case") else str.casefold
    for candidate in approved:
        if fold(candidate) == fold(value):
            return candidate
    return options.get("default") or ""


def _boolean(value, options):
    return "true" if value.strip().casefold() in {"1", "true", "yes", "y", "on"} else "false"


def _float(value, options):
    number = _number(value)
    return "" if number is None else f"{number:.{options.get('precision', 3)}f}"


def _date(value, options):
    try:
        return datetime.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return value


def _trim(value, options):
    if options.get("start", True):
        value = value.lstrip()
    if options.get("end", True):
        value = value.rstrip()
    return value


FILTERS = {
    "allowed_list": _allowed_list,
    "alpha": lambda v, o: re.sub(r"[^A-Za-z]", "", v),
    "boolean": _boolean,
    "camel": lambda v, o: "".join(
        w.lower() if i == 0 else w.capitalize() for i, w in enumerate(_words(v))
    ),
    "date": _date,
    "digits": lambda v, o: re.sub(r"\D", "", v),
    "empty": lambda v, o: v,  # "" becomes null after the chain
    "float": _float,
    "kebab": lambda v, o: "-".join(w.lower() for w in _words(v)),
    "lower": lambda v, o: v.lower(),
    "number": lambda v, o: "" if _number(v) is None else str(_number(v).normalize()),
    "prefix": lambda v, o: v if v.startswith(o["prefix"]) else o["prefix"] + v,
    "snake": lambda v, o: "_".join(w.lower() for w in _words(v)),
    "string": lambda v, o: str(v),
    "suffix": lambda v, o: v if v.endswith(o["suffix"]) else v + o["suffix"],
    "trim": _trim,
    "upper": lambda v, o: v.upper(),
}


def apply_filters(value: str | None, filters: list[dict]) -> str | None:
    """Return ``value`` after each filter in order (an ``empty`` filter turns "" into null)."""
    if value is None:
        return None
    for item in filters:
        value = FILTERS[item["type"]](value, item.get("options", {}))
    if value == "" and any(item["type"] == "empty" for item in filters):
        return None
    return value


def _compare(value, options, test) -> bool:
    number = _number(value)
    return number is not None and test(
        number, Decimal(str(options["value"])), options.get("include", True)
    )


def _length(value, options):
    size, target = len(value), options["length"]
    return {
        "equals": size == target,
        "less_than": size < target,
        "less_than_equals": size <= target,
        "greater_than": size > target,
        "greater_than_equals": size >= target,
    }[options.get("operator", "equals")]


def _text_test(test):
    def check(value, options):
        key = next(k for k in options if k != "check_case")
        needle, haystack = str(options[key]), value
        if not options.get("check_case"):
            needle, haystack = needle.casefold(), haystack.casefold()
        return test(haystack, needle)

    return check


def _in_list(value, options) -> bool:
    items = [str(item) for item in options["list"]]
    if options.get("check_case"):
        return value in items
    return value.casefold() in {item.casefold() for item in items}


def _passes(validator) -> callable:
    def check(value, options):
        try:
            validator(value, options)
        except (ValidationError, ValueError):
            return False
        return True

    return check


def _between(value, options) -> bool:
    number = _number(value)
    if number is None:
        return False
    low, high = Decimal(str(options["min"])), Decimal(str(options["max"]))
    return low <= number <= high if options.get("include", True) else low < number < high


def _step(value, options) -> bool:
    number = _number(value)
    if number is None:
        return False
    start, end = options.get("start"), options.get("end")
    if start is not None and number < Decimal(str(start)):
        return False
    if end is not None and number > Decimal(str(end)):
        return False
    return (number - Decimal(str(start or 0))) % Decimal(str(options["step"])) == 0


def _ip(value, options):
    address = ipaddress.ip_address(value)
    if address.version != (6 if options.get("version") == "IPv6" else 4):
        raise ValueError(value)


def _uri(value, options):
    schemes = [s.rstrip(":") for s in options.get("schemes", [])] or None
    URLValidator(schemes=schemes)(value)


VALIDATORS = {
    "always": lambda v, o: True,
    "never": lambda v, o: False,
    "required": lambda v, o: v not in ("", "0"),
    "between": _between,
    "greater_than": lambda v, o: _compare(v, o, lambda n, t, inc: n >= t if inc else n > t),
    "less_than": lambda v, o: _compare(v, o, lambda n, t, inc: n <= t if inc else n < t),
    "equals": lambda v, o: (
        _number(v) == Decimal(str(o["value"]))
        if isinstance(o["value"], int | float) and not isinstance(o["value"], bool)
        else v == str(o["value"]).lower()
        if isinstance(o["value"], bool)
        else v == o["value"]
    ),
    "length": _length,
    "contains": _text_test(lambda h, n: n in h),
    "starts_with": _text_test(lambda h, n: h.startswith(n)),
    "ends_with": _text_test(lambda h, n: h.endswith(n)),
    "black_list": lambda v, o: not _in_list(v, o),
    "white_list": _in_list,
    "email_address": _passes(lambda v, o: EmailValidator()(v)),
    "hostname": lambda v, o: bool(
        re.fullmatch(
            r"(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z]{2,63}", v
        )
    ),
    "ip_address": _passes(_ip),
    "mac_address": lambda v, o: bool(re.fullmatch(r"([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}", v)),
    "mask": lambda v, o: bool(re.fullmatch(o["mask"], v)),
    "step": _step,
    "uri": _passes(_uri),
}


def failed_validators(value: str | None, validators: list[dict]) -> list[str]:
    """Return the types of the validators ``value`` fails (a null value is only "required")."""
    if value is None:
        return [v["type"] for v in validators if v["type"] in ("required", "never")]
    return [
        item["type"]
        for item in validators
        if not VALIDATORS[item["type"]](value, item.get("options", {}))
    ]
