"""Cells a spreadsheet will not run (OWASP's CSV injection rule): an exported text that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading
apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of evaluating it
(and an XLSX cell is never a formula). Numbers (``-12.5``) are left as they are. An import
takes the apostrophe off again, so a file exported and imported back keeps its labels."""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def unescaped_cell(value):
    """The cell as it was before ``safe_cell`` (for imports)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


class SafeCellsMixin:
    """For a django-import-export resource: every exported cell through ``safe_cell`` and
    every imported one through ``unescaped_cell``."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unescaped_cell(row[key])
        super().before_import_row(row, **kwargs)
