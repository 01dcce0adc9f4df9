"""The served schema against the Niagara docs' operations (the method + path rows of their
endpoint tables, kept in ``documented_operations.txt``): every one is served but those
``docs/decisions.md`` names — deliberately not served, or to come with issue 29."""

import re
from pathlib import Path

from drf_spectacular.generators import SchemaGenerator

DOCUMENTED = [
    tuple(line.split(" ", 1))
    for line in (Path(__file__).parent / "documented_operations.txt").read_text().splitlines()
    if line and not line.startswith("#")
]
# Not served, on purpose (docs/decisions.md, issue 28): literal typos of served paths, a
# snapshot's misnamed list, the step close the docs replaced, removed and copy-error rows.
DELIBERATELY_NOT = {
    ("GET", "/projects/project_id"),
    ("PUT", "/projects/project_id"),
    ("DELETE", "/projects/project_id"),
    ("GET", "/customers/{}/customers"),
    ("POST", "/customers/{}/customers"),
    ("POST", "/contexts/{}"),
    ("GET", "/dashboard"),
    ("GET", "/vendors/{}/parts"),
    ("PUT", "/reports/{}"),
    ("DELETE", "/reports/{}"),
    ("PUT", "/reports/{}/download"),
    ("DELETE", "/reports/{}/download"),
}


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))


def served() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), _shape(path.removeprefix("/api")))
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_documented_operation_is_served_or_a_written_decision():
    documented = {(method, _shape(path)) for method, path in DOCUMENTED}
    missing = documented - served()

    assert len(documented) == 246
    assert missing == DELIBERATELY_NOT
    served_share = (len(documented) - len(missing)) / len(documented)
    # 234 of 246 (95%): the rest are decisions.
    assert round(served_share * 100) >= 95
