"""Rows written by PostgreSQL's ``COPY``, for the large demo floor.

Building a model instance per row and letting the ORM compile a million-row ``INSERT`` cost the
seed most of its time (model ``__init__``, per-value preparation, client-side quoting: some 25 s
a hundred thousand batches). Here a row is a template — one stored instance's values, prepared
for the database once — with the few columns that differ set per row, streamed with ``COPY``;
ids are drawn from the table's sequence first, so the copies can point at each other.
"""

from django.db import connection, models


class RowTemplate:
    """The columns of ``instance``'s table and its values as the database takes them."""

    def __init__(self, instance: models.Model, *, without: tuple[str, ...] = ()):
        fields = [f for f in instance._meta.concrete_fields if f.attname not in without]
        self.table = instance._meta.db_table
        self.columns = [f.column for f in fields]
        self.values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
        self._index = {f.attname: n for n, f in enumerate(fields)}

    def row(self, **changed) -> list:
        values = list(self.values)
        for attname, value in changed.items():
            values[self._index[attname]] = value
        return values


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids from the sequence behind ``model``'s primary key."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(template: RowTemplate, rows) -> None:
    """Stream ``rows`` (lists in ``template``'s column order) into its table."""
    columns = ", ".join(connection.ops.quote_name(column) for column in template.columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: ``copy`` is not in the DB-API
        with raw.copy(f"COPY {template.table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
