"""Querysets built once per process.

A display selector's queryset (a dozen annotations, prefetches nested three deep) costs
milliseconds of Python to build, every request, before any SQL runs: on a single ``GET``
that was a third of the server's time. A queryset is a recipe until it is evaluated, and
cloning it is cheap, so a selector that takes no argument builds its recipe once and hands
every caller a clone (``.all()``), which the caller filters, slices and evaluates as its own.
"""

import functools
from collections.abc import Callable
from typing import TypeVar

from django.db.models import QuerySet

T = TypeVar("T", bound=QuerySet)


def built_once(selector: Callable[[], T]) -> Callable[[], T]:
    """Have ``selector`` (no arguments) build its queryset once; each call returns a clone."""
    built: list[T] = []

    @functools.wraps(selector)
    def clone() -> T:
        if not built:
            built.append(selector())
        return built[0].all()

    return clone
