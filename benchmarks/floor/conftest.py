"""The large demo floor's benchmark runs on a database of its own, kept between runs
(``--reuse-db``): seeding a million batches takes minutes, and ``make test`` recreates the test
database (it would drop the floor)."""

import os

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    # One database a size: the twin floors (250k, 2.5k) are measured side by side, and a floor
    # only grows (a smaller size on a larger floor would measure the larger).
    size = os.environ.get("SIZE", "100k").replace(".", "_")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = str(settings.BASE_DIR / f".bench-db-{size}.sqlite3")
    else:
        name = f"niagara_bench_{size}"
    database.setdefault("TEST", {})["NAME"] = name
