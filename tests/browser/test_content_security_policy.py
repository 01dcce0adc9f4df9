"""A Content-Security-Policy on every HTML page that the pages live with: the admin, the floor
pages and both API docs pages load with no violation (a violation is a console error, which
fails the session) and no script from another origin."""

import importlib

import pytest
from django.apps import apps as django_apps

from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")
PASSWORD = "Policy-Pass-2026"


@pytest.fixture
def maria():
    floor_roles.create_roles(django_apps, None)
    return user_create(username="maria", role=FloorRole.MANAGER, password=PASSWORD)


def test_the_docs_and_the_admin_run_under_the_policy(sessions, maria):
    session = sessions()
    violations = []
    session.page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    outside = []
    # (Redoc's search runs in a worker made from a blob: of the page's own.)
    local = (session.base_url, "blob:" + session.base_url, "data:")
    session.page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None
    )

    page = session.open("/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=60_000)
    assert "Niagara" in page.inner_text(".swagger-ui .information-container")
    page = session.open("/api/redoc/")
    page.wait_for_selector("#redoc-container h1", timeout=60_000)  # a loaded CI runner
    assert "Niagara" in page.inner_text("#redoc-container h1")

    session.sign_in("maria", PASSWORD)
    for path in ("/admin/", "/admin/engine/context/station/", "/admin/queues/queue/add/"):
        response = session.page.goto(session.base_url + path)
        policy = response.headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )

    assert violations == [] and outside == []
