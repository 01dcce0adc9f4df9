"""One search over what a shop looks things up by: serial numbers, labels (order numbers are
work orders' labels), customers, notes. Ranked, and scoped by the viewer's access.

Each kind is asked for its exact matches (any case) and, for a term of three characters or
more, up to ``CANDIDATES`` rows containing it: all in one ``UNION ALL`` on PostgreSQL, where
they read trigram indexes on the upper-cased columns (migration 0001: ``UPPER(col) LIKE
'%TERM%'`` and ``=`` use them; serials and order numbers also have b-trees for whole values)
and notes are matched word by word on a full-text index. SQLite scans (the embedded default
is a small shop). The queries are a fixed number whatever the tables hold.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, Value

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
    code: str  # the entity type: UNIT, WOR…
    pk: int
    public_id: str
    label: str
    score: float
    matched: str  # the column that matched best
    values: dict = field(default_factory=dict)  # the columns searched, by name


def _score(value: str, term: str) -> float:
    value, term = (value or "").upper(), term.upper()
    if value == term:
        return EXACT
    if value.startswith(term):
        return PREFIX
    return CONTAINS if term in value else 0.0


def _any_column(target: Target, lookup: str, term: str) -> Q:
    condition = Q()
    for column in target.columns:
        condition |= Q(**{f"{column}__{lookup}": term})
    return condition


def _matching(target: Target, term: str) -> Q:
    """A fragment in any column; for notes, also a word of their text."""
    condition = _any_column(target, "icontains", term)
    if not target.full_text:
        return condition
    if connection.vendor == "postgresql":
        words = target.model._default_manager.annotate(words=NOTE_WORDS).filter(
            words=SearchQuery(term, config="simple", search_type="plain")
        )
        return condition | Q(id__in=words.values("id"))
    return condition | Q(text__icontains=term)


WIDEST = max(len(target.columns) for target in TARGETS)


def _branch(target: Target, code: str, access, condition: Q, limit: int):
    """One kind's rows for ``condition`` as the same columns every kind answers: its code, pk,
    public id, label and the columns searched (padded), at most ``limit``."""
    columns = {f"c{n}": F(column) for n, column in enumerate(target.columns)}
    columns |= {f"c{n}": Value("") for n in range(len(target.columns), WIDEST)}
    rows = access.visible(target.model._default_manager.filter(condition))
    rows = rows.annotate(hit=Value(code), **columns).order_by()
    return rows.values_list("hit", "pk", "public_id", "label", *columns)[:limit]


def search(access, term: str, *, codes=SEARCHED_CODES, limit: int = 20) -> tuple[list[Hit], bool]:
    """The entities the caller may read that ``term`` finds, best first, and whether there
    may be more than were looked at. Exact values rank above prefixes above fragments; the
    kinds' order (serials first) breaks ties, then age.

    Every kind's exact matches and (for a term of 3+ characters) up to ``CANDIDATES`` rows
    containing it, as one ``UNION ALL`` on PostgreSQL (one round trip); SQLite, which cannot
    limit the parts of a compound query, asks them one by one."""
    term = term.strip()
    if not term:
        return [], False
    branches, ranks = [], {}
    for rank, target in enumerate(TARGETS):
        code = entities.for_model(target.model).code
        if code not in codes:
            continue
        ranks[code] = (rank, target)
        branches.append(_branch(target, code, access, _any_column(target, "iexact", term), limit))
        if len(term) >= MIN_CONTAINS:
            branches.append(_branch(target, code, access, _matching(target, term), CANDIDATES))
    if connection.features.supports_slicing_ordering_in_compound and len(branches) > 1:
        rows = list(branches[0].union(*branches[1:], all=True))
    else:
        rows = [row for branch in branches for row in branch]
    offered = Counter(code for code, *_ in rows)
    more = any(count >= CANDIDATES for count in offered.values())
    found: dict[tuple[str, int], Hit] = {}
    for code, pk, public_id, label, *values in rows:
        if (code, pk) in found:
            continue
        rank, target = ranks[code]
        named = dict(zip(target.columns, values, strict=False))
        score, matched = max(
            ((_score(value, term), column) for column, value in named.items()),
            key=lambda pair: pair[0],
        )
        score = max(score, CONTAINS)  # a note found by a word of its text
        found[code, pk] = Hit(code, pk, public_id, label, score - rank / 100, matched, named)
    hits = sorted(found.values(), key=lambda hit: (-hit.score, hit.pk))
    return hits[:limit], more or len(hits) > limit
