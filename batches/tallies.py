"""The floor's counters, kept by the database in the same transaction as every change.

Counting cycles by category for a queue, a work order or the whole floor read every cycle: 0.8 s
for a page of queues at a million batches. Instead two tables hold the counts and triggers keep
them, so every write path (the services, bulk updates, imports, a cascade) moves them in the
transaction that moves a cycle, and no reader counts cycles again:

- ``batches_batchtally``: per batch, its cycles by category (one row a batch);
- ``batches_floortally``: per (queue, work order), its batches, its batches with an open cycle
  (``active_batches``) and its cycles by category — the rows every queue counter, the cockpit's
  bars and the blocked list add up (a few per queue, whatever the floor holds);
- ``batches_techtally``: per (technician, queue, work order), the batches they are assigned to,
  how many of them have an open cycle (``active_batches``) and their open cycles — the cockpit's
  workload, and a technician's queue counters (what they read of a queue is their batches).

A cycle's insert, delete or change of category or batch moves its batch's tally; a batch tally's
change moves its (queue, work order) row and its technicians'; a batch's insert, delete or move
to another queue moves its count and its whole tally; assigning or unassigning a technician
("tech" relation) moves theirs. The triggers are written for SQLite and PostgreSQL from one
description below. ``check_integrity`` recounts both tables from the rows and ``--repair``
rewrites them (``recount``); bulk loads (``seed_demo``) suspend the triggers and recount once.
"""

from contextlib import contextmanager

from django.db import connection

CATEGORIES = {
    "pending": "PENDING",
    "in_progress": "IN_PROGRESS",
    "verifying": "VERIFYING",
    "complete": "COMPLETE",
    "blocked": "BLOCKED",
    "cancelled": "CANCELLED",
}
OPEN = ("pending", "in_progress", "verifying", "blocked")
COLUMNS = list(CATEGORIES)


def _one_hot(row: str, sign: str) -> str:
    return ", ".join(
        f"{column} = {column} {sign} CASE WHEN {row}.category = '{category}' THEN 1 ELSE 0 END"
        for column, category in CATEGORIES.items()
    )


def _is_open(row: str) -> str:
    total = " + ".join(f"{row}.{column}" for column in OPEN)
    return f"CASE WHEN {total} > 0 THEN 1 ELSE 0 END"


def _batch_of(batch_id: str) -> str:
    return (
        f"queue_id = (SELECT queue_id FROM batches_batch WHERE id = {batch_id}) AND "
        f"work_order_id = (SELECT work_order_id FROM batches_batch WHERE id = {batch_id})"
    )


def _held(batch_id: str, column: str) -> str:
    return f"COALESCE((SELECT {column} FROM batches_batchtally WHERE batch_id = {batch_id}), 0)"


def _held_open(batch_id: str) -> str:
    total = " + ".join(_held(batch_id, column) for column in OPEN)
    return f"CASE WHEN {total} > 0 THEN 1 ELSE 0 END"


def _held_open_cycles(batch_id: str) -> str:
    return " + ".join(_held(batch_id, column) for column in OPEN)


def _open_cycles(row: str) -> str:
    return " + ".join(f"{row}.{column}" for column in OPEN)


BATCH_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'batches' AND model = 'batch')"
USER_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'users' AND model = 'user')"


def _technicians_of(batch_id: str) -> str:
    # ``relation || ''``: not a column for the planner, so SQLite searches the batch's end of
    # the relations (object type and id) instead of every "tech" relation.
    return (
        "SELECT subject_id FROM relations_relation WHERE relation || '' = 'tech' "
        f"AND object_id = {batch_id} AND object_type_id = {BATCH_TYPE} "
        f"AND subject_type_id = {USER_TYPE}"
    )


def _tech_is_batch(row: str) -> str:
    return (
        f"{row}.relation = 'tech' AND {row}.object_type_id = {BATCH_TYPE} "
        f"AND {row}.subject_type_id = {USER_TYPE}"
    )


_TECH_UPSERT = (
    " ON CONFLICT (user_id, queue_id, work_order_id) DO UPDATE SET "
    "batches = batches_techtally.batches + 1, "
    "active_batches = batches_techtally.active_batches + excluded.active_batches, "
    "open_cycles = batches_techtally.open_cycles + excluded.open_cycles"
)
_TECH_COLUMNS = "(user_id, queue_id, work_order_id, batches, active_batches, open_cycles)"


def _tech_added(row: str) -> str:
    return (
        f"INSERT INTO batches_techtally {_TECH_COLUMNS} "
        f"SELECT {row}.subject_id, b.queue_id, b.work_order_id, 1, {_held_open('b.id')}, "
        f"{_held_open_cycles('b.id')} "
        f"FROM batches_batch b WHERE b.id = {row}.object_id AND {_tech_is_batch(row)}"
        + _TECH_UPSERT
    )


def _tech_removed(row: str) -> str:
    return (
        "UPDATE batches_techtally SET batches = batches - 1, "
        f"active_batches = active_batches - {_held_open(f'{row}.object_id')}, "
        f"open_cycles = open_cycles - ({_held_open_cycles(f'{row}.object_id')}) "
        f"WHERE user_id = {row}.subject_id AND {_tech_is_batch(row)} "
        f"AND {_batch_of(f'{row}.object_id')}"
    )


# (name, table, event, condition on OLD/NEW or "", statements): each a row trigger.
TRIGGERS = [
    (
        "cycle_added",
        "batches_cycle",
        "INSERT",
        "",
        [f"UPDATE batches_batchtally SET {_one_hot('NEW', '+')} WHERE batch_id = NEW.batch_id"],
    ),
    (
        "cycle_removed",
        "batches_cycle",
        "DELETE",
        "",
        [f"UPDATE batches_batchtally SET {_one_hot('OLD', '-')} WHERE batch_id = OLD.batch_id"],
    ),
    (
        "cycle_moved",
        "batches_cycle",
        "UPDATE OF category, batch_id",
        "OLD.category <> NEW.category OR OLD.batch_id <> NEW.batch_id",
        [
            f"UPDATE batches_batchtally SET {_one_hot('OLD', '-')} WHERE batch_id = OLD.batch_id",
            f"UPDATE batches_batchtally SET {_one_hot('NEW', '+')} WHERE batch_id = NEW.batch_id",
        ],
    ),
    (
        "batch_tally_changed",
        "batches_batchtally",
        "UPDATE",
        "",
        [
            "UPDATE batches_floortally SET "
            + ", ".join(f"{c} = {c} + NEW.{c} - OLD.{c}" for c in COLUMNS)
            + f", active_batches = active_batches + {_is_open('NEW')} - {_is_open('OLD')}"
            + f" WHERE {_batch_of('NEW.batch_id')}",
            "UPDATE batches_techtally SET open_cycles = open_cycles + "
            f"({_open_cycles('NEW')}) - ({_open_cycles('OLD')}), "
            f"active_batches = active_batches + {_is_open('NEW')} - {_is_open('OLD')} "
            f"WHERE user_id IN ({_technicians_of('NEW.batch_id')}) "
            f"AND {_batch_of('NEW.batch_id')}",
        ],
    ),
    (
        "batch_tally_removed",
        "batches_batchtally",
        "DELETE",
        "",
        [
            "UPDATE batches_floortally SET "
            + ", ".join(f"{c} = {c} - OLD.{c}" for c in COLUMNS)
            + f", active_batches = active_batches - {_is_open('OLD')}"
            + f" WHERE {_batch_of('OLD.batch_id')}",
            f"UPDATE batches_techtally SET open_cycles = open_cycles - ({_open_cycles('OLD')}), "
            f"active_batches = active_batches - {_is_open('OLD')} "
            f"WHERE user_id IN ({_technicians_of('OLD.batch_id')}) "
            f"AND {_batch_of('OLD.batch_id')}",
        ],
    ),
    (
        "batch_added",
        "batches_batch",
        "INSERT",
        "",
        [
            "INSERT INTO batches_floortally (queue_id, work_order_id, batches, active_batches, "
            + ", ".join(COLUMNS)
            + ") VALUES (NEW.queue_id, NEW.work_order_id, 1, 0, "
            + ", ".join("0" for _ in COLUMNS)
            + ") ON CONFLICT (queue_id, work_order_id) DO UPDATE SET "
            "batches = batches_floortally.batches + 1",
            "INSERT INTO batches_batchtally (batch_id, "
            + ", ".join(COLUMNS)
            + ") VALUES (NEW.id, "
            + ", ".join("0" for _ in COLUMNS)
            + ")",
        ],
    ),
    (
        "batch_removed",
        "batches_batch",
        "DELETE",
        "",
        [
            "UPDATE batches_floortally SET batches = batches - 1 "
            "WHERE queue_id = OLD.queue_id AND work_order_id = OLD.work_order_id",
            "UPDATE batches_techtally SET batches = batches - 1, "
            f"active_batches = active_batches - {_held_open('OLD.id')}, "
            f"open_cycles = open_cycles - ({_held_open_cycles('OLD.id')}) "
            f"WHERE user_id IN ({_technicians_of('OLD.id')}) "
            "AND queue_id = OLD.queue_id AND work_order_id = OLD.work_order_id",
        ],
    ),
    (
        "batch_moved",
        "batches_batch",
        "UPDATE OF queue_id, work_order_id",
        "OLD.queue_id <> NEW.queue_id OR OLD.work_order_id <> NEW.work_order_id",
        [
            "UPDATE batches_floortally SET batches = batches - 1, "
            + ", ".join(f"{c} = {c} - {_held('OLD.id', c)}" for c in COLUMNS)
            + f", active_batches = active_batches - {_held_open('OLD.id')}"
            + " WHERE queue_id = OLD.queue_id AND work_order_id = OLD.work_order_id",
            "INSERT INTO batches_floortally (queue_id, work_order_id, batches, active_batches, "
            + ", ".join(COLUMNS)
            + ") SELECT NEW.queue_id, NEW.work_order_id, 1, "
            + _held_open("NEW.id")
            + ", "
            + ", ".join(_held("NEW.id", c) for c in COLUMNS)
            + " WHERE 1 = 1 ON CONFLICT (queue_id, work_order_id) DO UPDATE SET "
            "batches = batches_floortally.batches + 1, "
            "active_batches = batches_floortally.active_batches + excluded.active_batches, "
            + ", ".join(f"{c} = batches_floortally.{c} + excluded.{c}" for c in COLUMNS),
            "UPDATE batches_techtally SET batches = batches - 1, "
            f"active_batches = active_batches - {_held_open('OLD.id')}, "
            f"open_cycles = open_cycles - ({_held_open_cycles('OLD.id')}) "
            f"WHERE user_id IN ({_technicians_of('OLD.id')}) "
            "AND queue_id = OLD.queue_id AND work_order_id = OLD.work_order_id",
            f"INSERT INTO batches_techtally {_TECH_COLUMNS} "
            f"SELECT subject_id, NEW.queue_id, NEW.work_order_id, 1, {_held_open('NEW.id')}, "
            f"{_held_open_cycles('NEW.id')} FROM relations_relation WHERE relation = 'tech' "
            f"AND object_id = NEW.id AND object_type_id = {BATCH_TYPE} "
            f"AND subject_type_id = {USER_TYPE}" + _TECH_UPSERT,
        ],
    ),
    (
        "technician_added",
        "relations_relation",
        "INSERT",
        "NEW.relation = 'tech'",
        [_tech_added("NEW")],
    ),
    (
        "technician_removed",
        "relations_relation",
        "DELETE",
        "OLD.relation = 'tech'",
        [_tech_removed("OLD")],
    ),
    (
        "technician_changed",
        "relations_relation",
        "UPDATE",
        "OLD.relation = 'tech' OR NEW.relation = 'tech'",
        [_tech_removed("OLD"), _tech_added("NEW")],
    ),
]


# PostgreSQL: the writes that come in bulk (placing batches, their cycles and technicians;
# a status set on every cycle of a selection) run one trigger per statement over its
# transition table, adding the deltas up by batch, then by (queue, work order) and by technician:
# a thousand batches cost a handful of statements, not a chain of triggers per row. A cycle's
# deltas move its batch's, its queue's and its technicians' tallies in one statement (so the
# batch tally's own row trigger is not needed there).
# A batch's change of openness in one statement: +1 opened, -1 closed, 0 neither.
_OPENED = (
    "CASE WHEN t.open_after > 0 THEN 1 ELSE 0 END - "
    "CASE WHEN t.open_after - t.open_delta > 0 THEN 1 ELSE 0 END"
)


def _pg_cycle_deltas(source: str) -> str:
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    changed = " OR ".join(f"SUM({c}) <> 0" for c in COLUMNS)
    returned = ", ".join(f"d.{c} AS {c}" for c in COLUMNS)
    return (
        f"WITH d AS (SELECT batch_id, {sums} FROM ({source}) s GROUP BY batch_id "
        f"HAVING {changed}), "
        "t AS (UPDATE batches_batchtally bt SET "
        + ", ".join(f"{c} = bt.{c} + d.{c}" for c in COLUMNS)
        + " FROM d WHERE bt.batch_id = d.batch_id RETURNING bt.batch_id, "
        f"({_open_cycles('bt')}) AS open_after, ({_open_cycles('d')}) AS open_delta, "
        f"{returned}), "
        "f AS (UPDATE batches_floortally ft SET "
        + ", ".join(f"{c} = ft.{c} + g.{c}" for c in COLUMNS)
        + ", active_batches = ft.active_batches + g.opened FROM (SELECT b.queue_id, "
        "b.work_order_id, "
        + ", ".join(f"SUM(t.{c}) AS {c}" for c in COLUMNS)
        + f", SUM({_OPENED}) AS opened "
        "FROM t JOIN batches_batch b ON b.id = t.batch_id "
        "GROUP BY b.queue_id, b.work_order_id) g "
        "WHERE ft.queue_id = g.queue_id AND ft.work_order_id = g.work_order_id) "
        "UPDATE batches_techtally tt SET open_cycles = tt.open_cycles + g.open_delta, "
        "active_batches = tt.active_batches + g.opened "
        "FROM (SELECT r.subject_id, b.queue_id, b.work_order_id, SUM(t.open_delta) AS open_delta, "
        f"SUM({_OPENED}) AS opened "
        "FROM t JOIN batches_batch b ON b.id = t.batch_id JOIN relations_relation r "
        f"ON r.object_id = t.batch_id AND {_tech_is_batch('r')} "
        "GROUP BY r.subject_id, b.queue_id, b.work_order_id) g "
        "WHERE tt.user_id = g.subject_id AND tt.queue_id = g.queue_id "
        "AND tt.work_order_id = g.work_order_id"
    )


def _pg_one_hot(rows: str, sign: str) -> str:
    hot = ", ".join(
        f"{sign}CASE WHEN category = '{category}' THEN 1 ELSE 0 END AS {column}"
        for column, category in CATEGORIES.items()
    )
    return f"SELECT batch_id, {hot} FROM {rows}"


# (name, table, event, transition tables, statements): each a statement trigger.
PG_STATEMENT_TRIGGERS = [
    (
        "cycles_added",
        "batches_cycle",
        "INSERT",
        "NEW TABLE AS new_rows",
        [_pg_cycle_deltas(_pg_one_hot("new_rows", ""))],
    ),
    (
        "cycles_removed",
        "batches_cycle",
        "DELETE",
        "OLD TABLE AS old_rows",
        [_pg_cycle_deltas(_pg_one_hot("old_rows", "-"))],
    ),
    (
        "cycles_changed",
        "batches_cycle",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [
            _pg_cycle_deltas(
                f"{_pg_one_hot('new_rows', '')} UNION ALL {_pg_one_hot('old_rows', '-')}"
            )
        ],
    ),
    (
        "batches_added",
        "batches_batch",
        "INSERT",
        "NEW TABLE AS new_rows",
        [
            "INSERT INTO batches_floortally (queue_id, work_order_id, batches, active_batches, "
            + ", ".join(COLUMNS)
            + ") SELECT queue_id, work_order_id, COUNT(*), 0, "
            + ", ".join("0" for _ in COLUMNS)
            + " FROM new_rows GROUP BY queue_id, work_order_id "
            "ON CONFLICT (queue_id, work_order_id) DO UPDATE SET "
            "batches = batches_floortally.batches + excluded.batches",
            f"INSERT INTO batches_batchtally (batch_id, {', '.join(COLUMNS)}) SELECT id, "
            + ", ".join("0" for _ in COLUMNS)
            + " FROM new_rows",
        ],
    ),
    (
        "technicians_added",
        "relations_relation",
        "INSERT",
        "NEW TABLE AS new_rows",
        [
            f"INSERT INTO batches_techtally {_TECH_COLUMNS} "
            "SELECT n.subject_id, b.queue_id, b.work_order_id, COUNT(*), "
            f"COALESCE(SUM({_is_open('bt')}), 0), "
            f"COALESCE(SUM({_open_cycles('bt')}), 0) FROM new_rows n "
            "JOIN batches_batch b ON b.id = n.object_id "
            "LEFT JOIN batches_batchtally bt ON bt.batch_id = b.id "
            f"WHERE {_tech_is_batch('n')} GROUP BY n.subject_id, b.queue_id, b.work_order_id"
            + _TECH_UPSERT.replace("+ 1,", "+ excluded.batches,", 1),
        ],
    ),
]
# The row triggers the statement triggers above replace on PostgreSQL.
PG_REPLACED = {
    "cycle_added",
    "cycle_removed",
    "cycle_moved",
    "batch_tally_changed",
    "batch_added",
    "technician_added",
}


def create_triggers_sql(vendor: str) -> list[str]:
    statements = []
    for name, table, event, condition, body in TRIGGERS:
        if vendor == "postgresql" and name in PG_REPLACED:
            continue
        trigger = f"tally_{name}"
        when = f" WHEN ({condition})" if condition else ""
        if vendor == "postgresql":
            statements.append(_pg_function(trigger, body))
            statements.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION {trigger}()"
            )
        else:
            statements.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW{when} "
                f"BEGIN {'; '.join(body)}; END"
            )
    if vendor == "postgresql":
        for name, table, event, transitions, body in PG_STATEMENT_TRIGGERS:
            trigger = f"tally_{name}"
            statements.append(_pg_function(trigger, body, by_keys=True))
            statements.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {transitions} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger}()"
            )
    return statements


def remake_triggers(connection) -> None:
    """Drop the tally triggers and make them as this module describes them (a migration's
    step when their definition changes)."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in drop_triggers_sql(vendor) + create_triggers_sql(vendor):
            cursor.execute(statement)


def keep(apps, schema_editor, *, count: bool = False) -> None:
    """A migration's step: make the triggers as this module describes them (and, ``count``,
    recount the tallies), once the migration state holds every column they name. A migration
    before the last one that changed the tables leaves them to it: triggers naming a column
    not added yet fail (SQLite refuses to remake a table under them)."""
    technician = apps.get_model("batches", "TechTally")
    if "active_batches" not in {field.name for field in technician._meta.fields}:
        return
    if count:
        recount()
    remake_triggers(schema_editor.connection)


def trigger_names(vendor: str) -> set[str]:
    """The triggers that keep the tallies on ``vendor``'s databases."""
    rows = {f"tally_{name}" for name, *_ in TRIGGERS}
    if vendor == "postgresql":
        rows = {name for name in rows if name.removeprefix("tally_") not in PG_REPLACED}
        rows |= {f"tally_{name}" for name, *_ in PG_STATEMENT_TRIGGERS}
    return rows


def _pg_function(name: str, body: list[str], *, by_keys: bool = False) -> str:
    # ``by_keys``: a statement trigger joins its transition table (the rows one statement
    # wrote: a thousand at most, in practice) to the floor's large tables by their keys. The
    # planner, not knowing the transition table's size or the content types' ids (subqueries),
    # chose to hash whole tables (250,000 batch tallies and technician relations at a 250k
    # floor: 106 ms for a bulk creation's cycles, growing with the floor); index lookups per
    # written row cost 10 ms whatever the floor holds.
    settings = " SET enable_hashjoin = off SET enable_mergejoin = off" if by_keys else ""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql{settings} AS $$ "
        f"BEGIN {'; '.join(body)}; RETURN NULL; END $$"
    )


def drop_triggers_sql(vendor: str) -> list[str]:
    statements = []
    every = [(name, table) for name, table, *_ in TRIGGERS]
    if vendor == "postgresql":
        every += [(name, table) for name, table, *_ in PG_STATEMENT_TRIGGERS]
    for name, table in every:
        if vendor == "postgresql":
            statements.append(f"DROP TRIGGER IF EXISTS tally_{name} ON {table}")
            statements.append(f"DROP FUNCTION IF EXISTS tally_{name}()")
        else:
            statements.append(f"DROP TRIGGER IF EXISTS tally_{name}")
    return statements


# The tallies as the rows say they are: what ``recount`` writes and ``check_integrity``
# compares with what the triggers kept.
_COUNTED_BATCHES = (
    "SELECT b.id AS batch_id, "
    + ", ".join(
        f"COALESCE(SUM(CASE WHEN c.category = '{category}' THEN 1 ELSE 0 END), 0) AS {column}"
        for column, category in CATEGORIES.items()
    )
    + " FROM batches_batch b LEFT JOIN batches_cycle c ON c.batch_id = b.id GROUP BY b.id"
)
_COUNTED_FLOOR = (
    "SELECT b.queue_id, b.work_order_id, COUNT(*) AS batches, "
    f"SUM({_is_open('t')}) AS active_batches, "
    + ", ".join(f"SUM(t.{c}) AS {c}" for c in COLUMNS)
    + " FROM batches_batch b JOIN batches_batchtally t ON t.batch_id = b.id "
    "GROUP BY b.queue_id, b.work_order_id"
)


_COUNTED_TECHNICIANS = (
    "SELECT r.subject_id AS user_id, b.queue_id, b.work_order_id, COUNT(*) AS batches, "
    f"SUM({_is_open('t')}) AS active_batches, "
    f"SUM({_open_cycles('t')}) AS open_cycles FROM relations_relation r "
    "JOIN batches_batch b ON b.id = r.object_id "
    "JOIN batches_batchtally t ON t.batch_id = b.id "
    f"WHERE {_tech_is_batch('r')} GROUP BY r.subject_id, b.queue_id, b.work_order_id"
)


def recount() -> None:
    """Rewrite the tallies from the rows (a repair, or after a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM batches_techtally")
        cursor.execute("DELETE FROM batches_floortally")
        cursor.execute("DELETE FROM batches_batchtally")
        cursor.execute(
            f"INSERT INTO batches_batchtally (batch_id, {', '.join(COLUMNS)}) {_COUNTED_BATCHES}"
        )
        cursor.execute(
            "INSERT INTO batches_floortally (queue_id, work_order_id, batches, active_batches, "
            f"{', '.join(COLUMNS)}) {_COUNTED_FLOOR}"
        )
        cursor.execute(f"INSERT INTO batches_techtally {_TECH_COLUMNS} {_COUNTED_TECHNICIANS}")


def tally_problems(limit: int = 20) -> list[str]:
    """Where the kept tallies differ from a recount (empty: they agree)."""
    problems = []
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT batch_id, {columns} FROM ({_COUNTED_BATCHES}) counted "
            f"EXCEPT SELECT batch_id, {columns} FROM batches_batchtally"
        )
        for row in cursor.fetchmany(limit):
            problems.append(f"batch {row[0]}: its cycles by category are {row[1:]}")
        cursor.execute(
            f"SELECT queue_id, work_order_id, batches, active_batches, {columns} "
            f"FROM ({_COUNTED_FLOOR}) counted EXCEPT "
            f"SELECT queue_id, work_order_id, batches, active_batches, {columns} "
            "FROM batches_floortally WHERE batches > 0"
        )
        for row in cursor.fetchmany(limit):
            problems.append(
                f"queue {row[0]}, work order {row[1]}: {row[2]} batches, {row[3]} open, "
                f"cycles {row[4:]}"
            )
        cursor.execute(
            "SELECT user_id, queue_id, work_order_id, batches, active_batches, open_cycles "
            f"FROM ({_COUNTED_TECHNICIANS}) counted EXCEPT "
            "SELECT user_id, queue_id, work_order_id, batches, active_batches, open_cycles "
            "FROM batches_techtally WHERE batches > 0"
        )
        for row in cursor.fetchmany(limit):
            problems.append(
                f"technician {row[0]} in queue {row[1]}, work order {row[2]}: {row[3]} batches, "
                f"{row[4]} open, {row[5]} open cycles"
            )
        cursor.execute(
            "SELECT COUNT(*) FROM batches_techtally WHERE batches < 0 OR open_cycles < 0 "
            "OR active_batches < 0 OR (batches = 0 AND open_cycles + active_batches <> 0)"
        )
        negative = cursor.fetchone()[0]
        if negative:
            problems.append(f"{negative} technician tallies below zero or counting no batch")
        cursor.execute(
            "SELECT COUNT(*) FROM batches_floortally WHERE batches < 0 OR "
            + " OR ".join(f"{c} < 0" for c in COLUMNS)
            + " OR (batches = 0 AND active_batches + "
            + " + ".join(COLUMNS)
            + " <> 0)"
        )
        negative = cursor.fetchone()[0]
        if negative:
            problems.append(f"{negative} queue tallies below zero or counting no batch")
    return problems


@contextmanager
def suspended():
    """Write rows in bulk without the triggers, then recount once (inside a transaction)."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in drop_triggers_sql(vendor):
            cursor.execute(statement)
    try:
        yield
    finally:
        recount()
        with connection.cursor() as cursor:
            for statement in create_triggers_sql(vendor):
                cursor.execute(statement)
