import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from .factories import QueueFactory, UserFactory, make_work_order, make_workflow
from .helpers import client_for, client_with


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``requires_postgres`` when the suite runs on SQLite; give every
    transactional test back the rows the migrations made (the shipped roles and groups).

    A transactional test empties the tables when it ends. Run in one process, those tests come
    last; spread over several (``make test``: pytest-xdist), a process that took such a test
    may then take others from the rest of the suite, which need those rows."""
    from django.conf import settings

    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional and "serialized_rollback" not in marker.kwargs:
            restored = pytest.mark.django_db(**marker.kwargs, serialized_rollback=True)
            item.add_marker(restored, append=False)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "requires_postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test emptied the tables, put back the rows the migrations made
    (serialized when the test database was created), for whatever this process runs next."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return  # (after the last test, the test database is gone)
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttling counts requests in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def api(superuser) -> APIClient:
    """An API client authenticated as a superuser."""
    return client_for(superuser)


@pytest.fixture
def client_with_perms(db):
    """Return a client for a fresh user holding exactly the named permissions."""
    return client_with


@pytest.fixture
def manager(client, superuser):
    """The test client, signed in to the admin as a superuser."""
    client.force_login(superuser)
    return client


@pytest.fixture
def work_order(db):
    """A work order needing 30 cycles (modules that need another shape define their own)."""
    return make_work_order(label="500 iPads", cycles=[(30, make_workflow())])


@pytest.fixture
def queue(db):
    return QueueFactory(label="Fast Lane", priority=42)


def pytest_generate_tests(metafunc):
    """Give a resource contract's invalid-body test one case per declared invalid body."""
    if "invalid_case" in metafunc.fixturenames:
        cases = list(getattr(metafunc.cls, "invalid_bodies", []))
        metafunc.parametrize(
            "invalid_case", cases, ids=[f"{keyword}{path}" for _, keyword, path in cases]
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say plainly when the browser tests did not run."""
    from tests.browser.conftest import CHROMIUM

    if not CHROMIUM.exists():
        terminalreporter.write_line(
            f"Browser tests SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium).",
            yellow=True,
        )
