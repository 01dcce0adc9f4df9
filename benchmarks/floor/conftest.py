"""The large demo floor's benchmark runs on a database of its own, kept between runs
(``--reuse-db``): seeding a million batches takes minutes, and ``make test`` recreates the test
database (it would drop the floor)."""

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = str(settings.BASE_DIR / ".bench-db.sqlite3")
    else:
        name = "niagara_bench"
    database.setdefault("TEST", {})["NAME"] = name
