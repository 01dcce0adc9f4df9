"""One search over what a shop looks things up by: serial numbers, labels (order numbers are
work orders' labels), customers, notes. Ranked, and scoped by the viewer's access.

Each kind is asked twice at most: its exact matches (any case), then — for a term of three
characters or more — up to ``CANDIDATES`` rows containing it. On PostgreSQL both read trigram
indexes on the upper-cased columns (migration 0001: ``UPPER(col) LIKE '%TERM%'`` and ``=`` use
them), and notes are matched word by word on a full-text index; SQLite scans (the embedded
default is a small shop). The queries are a fixed number whatever the tables hold.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from batches.models import Batch
from customers.models import Customer, Program, Project
from notes.models import Note
from queues.models import Location
from relations.registry import entities
from units.models import Part, Unit
from workorders.models import WorkOrder

MIN_CONTAINS = 3  # shorter terms match whole values only (a fragment of two says little)
CANDIDATES = 50  # rows a kind offers for a term it only contains
MAX_RESULTS = 100
EXACT, PREFIX, CONTAINS = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Target:
    """A kind of entity searched, the text columns it is found by (most telling first), and
    what of it a hit shows."""

    model: type
    columns: tuple[str, ...]
    shown: tuple[str, ...] = ()
    full_text: bool = False  # notes: words of their text (PostgreSQL full-text)


TARGETS = (
    Target(Unit, ("raw_serial_number", "serial_number", "label"), ("raw_serial_number",)),
    Target(WorkOrder, ("label",)),
    Target(Customer, ("label",)),
    Target(Batch, ("label",)),
    Target(Project, ("label",)),
    Target(Program, ("label",)),
    Target(Part, ("label", "part_number")),
    Target(Location, ("label",)),
    Target(Note, ("label",), full_text=True),
)
# What a search may be narrowed to (``type=UNIT``): the kinds searched, by type code.
SEARCHED_CODES = tuple(entities.for_model(target.model).code for target in TARGETS)
# A note's words: the expression the full-text index is built on (migration 0001).
NOTE_WORDS = SearchVector("label", "text", config="simple")


@dataclass
class Hit:
    code: str
    instance: object
    score: float
    matched: str  # the column that matched best
    source: dict = field(default_factory=dict)


def _score(value: str, term: str) -> float:
    value, term = (value or "").upper(), term.upper()
    if value == term:
        return EXACT
    if value.startswith(term):
        return PREFIX
    return CONTAINS if term in value else 0.0


def _exact(target: Target, term: str) -> Q:
    condition = Q()
    for column in target.columns:
        condition |= Q(**{f"{column}__iexact": term})
    return condition


def _contains(target: Target, term: str) -> Q:
    condition = Q()
    for column in target.columns:
        condition |= Q(**{f"{column}__icontains": term})
    return condition


def _rows(target: Target, access, condition) -> QuerySet:
    return access.visible(target.model._default_manager.filter(condition))


def search(access, term: str, *, codes=SEARCHED_CODES, limit: int = 20) -> tuple[list[Hit], bool]:
    """The entities the caller may read that ``term`` finds, best first, and whether there
    may be more than were looked at. Exact values rank above prefixes above fragments;
    the kinds' order (serials first) breaks ties, then age."""
    term = term.strip()
    if not term:
        return [], False
    found: dict[tuple[str, int], Hit] = {}
    more = False
    for rank, target in enumerate(TARGETS):
        code = entities.for_model(target.model).code
        if code not in codes:
            continue
        rows = list(_rows(target, access, _exact(target, term))[:limit])
        if len(term) >= MIN_CONTAINS:
            if target.full_text and connection.vendor == "postgresql":
                words = Q(
                    id__in=target.model._default_manager.annotate(words=NOTE_WORDS)
                    .filter(words=SearchQuery(term, config="simple", search_type="plain"))
                    .values("id")
                )
                condition = words | _contains(target, term)
            elif target.full_text:
                condition = _contains(target, term) | Q(text__icontains=term)
            else:
                condition = _contains(target, term)
            candidates = list(_rows(target, access, condition)[:CANDIDATES])
            more = more or len(candidates) == CANDIDATES
            rows += candidates
        for instance in rows:
            key = (code, instance.pk)
            if key in found:
                continue
            score, matched = max(
                ((_score(getattr(instance, column), term), column) for column in target.columns),
                key=lambda pair: pair[0],
            )
            score = max(score, CONTAINS)  # a note found by a word of its text
            found[key] = Hit(code, instance, score - rank / 100, matched)
    hits = sorted(found.values(), key=lambda hit: (-hit.score, hit.instance.pk))
    return hits[:limit], more or len(hits) > limit
