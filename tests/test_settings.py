"""Configuration comes from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_DB = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({k: s.DATABASES['default'].get(k) for k in ('ENGINE', 'NAME', 'OPTIONS')}, "
    "default=str))"
)


def database_settings(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"DEBUG": "1", **env})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_DB],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_in_the_project_root_is_the_default_and_queues_writers():
    db = database_settings()

    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(ROOT / "db.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql():
    db = database_settings(DATABASE_URL="postgres://niagara:pw@db.internal:5433/niagara")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "niagara"
