"""Management commands, called as staff would call them."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from batches.models import Batch
from customers.models import Contact, Customer, Program, Project
from customers.selectors import customer_contacts
from queues.models import Location, Queue
from tests.factories import UserFactory
from tests.helpers import assert_status
from units.models import Part
from users.models import PersonalToken, User
from users.tokens import token_digest
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_token_creates_the_user_and_prints_a_working_token_last():
    output = run("create_token", "alice", "--superuser")

    token = output.strip().splitlines()[-1]
    user = User.objects.get(username="alice")
    assert user.is_superuser and not user.has_usable_password()
    stored = PersonalToken.objects.get(user=user)
    assert stored.digest == token_digest(token) and token not in (stored.digest, stored.prefix)
    assert stored.expires is not None and "shown only now" in output
    response = APIClient().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_status(response, 200)
    assert response.json()["user_id"] == user.public_id


def test_create_token_again_replaces_the_old_token():
    first = run("create_token", "bob").strip().splitlines()[-1]
    second = run("create_token", "bob").strip().splitlines()[-1]

    assert first != second
    assert_status(APIClient().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {first}"), 401)
    assert_status(APIClient().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {second}"), 200)
    assert User.objects.filter(username="bob").count() == 1


def test_create_token_for_an_existing_user_keeps_its_password():
    user = UserFactory(username="carol")
    user.set_password("s3cret-Passw0rd")
    user.save()

    output = run("create_token", "carol")

    user.refresh_from_db()
    assert user.check_password("s3cret-Passw0rd")
    assert not user.is_superuser
    assert "holds no role" in output


def test_create_token_rejects_a_blank_name():
    with pytest.raises(CommandError):
        run("create_token", "  ")


def test_seed_demo_is_idempotent():
    first = run("seed_demo")
    counts = (Customer.objects.count(), Contact.objects.count())
    second = run("seed_demo")

    assert counts == (Customer.objects.count(), Contact.objects.count())
    assert counts[0] >= 3 and counts[1] >= 3
    assert "3 new" in first and "0 new" in second
    vocabularies = {tuple(s["status"] for s in c.allowed_statuses) for c in Customer.objects.all()}
    assert len(vocabularies) == counts[0], "each demo customer has its own status vocabulary"
    assert Program.objects.count() == 3 and Project.objects.count() == 4
    assert {loc.address["country"] for loc in Location.objects.all()} == {"USA", "CAN", "DEU"}
    narrowed = Project.objects.get(label="New York stores refresh")
    assert len(narrowed.effective_statuses) < len(narrowed.program.effective_statuses)
    assert len(narrowed.program.effective_statuses) < len(
        narrowed.program.customer.allowed_statuses
    )
    assert WorkOrder.objects.count() == 2
    assert Batch.objects.count() == 10 and Queue.objects.count() == 3
    assert Part.objects.get().units.count() == 5 and "5 new units" in first
    assert WorkOrder.objects.get(label__startswith="500 iPads").lines.get().needed == 500
    shared = Contact.objects.get(email="dana.whitfield@northwind.example")
    assert sum(shared in customer_contacts(c) for c in Customer.objects.all()) == 2


def test_seed_demo_data_is_valid_through_the_api(api):
    run("seed_demo")

    page = api.get("/api/customers").json()

    assert page["total_count"] == Customer.objects.count()
    for customer in page["_embedded"]["nter:customers"]:
        contacts = api.get(customer["_links"]["nter:customer-contacts"]["href"]).json()
        assert contacts["total_count"] >= 1


def test_ensure_admin_creates_one_login_once(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "letmein-Niagara1")

    first = run("ensure_admin")
    second = run("ensure_admin")

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("letmein-Niagara1")
    assert "Created" in first and "Created" not in second
    assert "/admin/" in second
    assert User.objects.filter(is_superuser=True).count() == 1


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off_and_a_real_secret():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-real-secret-" + "x9Q2!vT7#kL4@pZ8$wR1%nB6^" * 2,
        ALLOWED_HOSTS="niagara.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-real-secret-" + "x9Q2!vT7#kL4@pZ8$wR1%nB6^" * 2,
    "ALLOWED_HOSTS": "niagara.example.com",
}
HEADERS_SEEN = """
import json
from django.test import Client
secure = Client().get("/api/customers", secure=True, HTTP_HOST="niagara.example.com")
plain = Client().get("/api/customers", HTTP_HOST="niagara.example.com")
moved = [plain.status_code, plain.get("Location")]
print(json.dumps({"secure": dict(secure.headers), "plain": moved}))
"""


def test_production_answers_carry_the_deploy_check_s_headers():
    # What ``check --deploy`` asks for, seen on an answer of the production settings: HTTPS
    # only (plain HTTP redirected, HSTS for a year with subdomains), no sniffing, no framing, no
    # referrer outside, a Content-Security-Policy.
    result = _manage("shell", "-c", HEADERS_SEEN, **PRODUCTION)
    assert result.returncode == 0, result.stderr

    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = seen["secure"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert seen["plain"] == [301, "https://niagara.example.com/api/customers"]


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_ensure_admin_names_the_address_it_serves_on_and_a_working_token_hint(settings):
    settings.DEBUG = True

    output = run("ensure_admin", "--url", "http://127.0.0.1:8765/")

    assert "Sign in at http://127.0.0.1:8765/admin/" in output
    # Without a SECRET_KEY the settings start only with DEBUG on: the hint says so.
    assert "DEBUG=1 .venv/bin/python manage.py create_token admin" in output


def test_the_site_leads_to_the_admin_and_has_an_icon(manager):
    assert manager.get("/")["Location"] == "/admin/"
    assert manager.get("/favicon.ico")["Location"].endswith("niagara/favicon.svg")
    page = manager.get("/admin/").content.decode()
    assert 'href="/admin/">View site' in page or '<a href="/admin/">View site</a>' in page
    assert "niagara/favicon.svg" in page


def test_ensure_admin_with_debug_off_needs_a_strong_password(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Set ADMIN_PASSWORD"):
        run("ensure_admin")
    for weak in ("admin", "12345678", "password1"):
        monkeypatch.setenv("ADMIN_PASSWORD", weak)
        with pytest.raises(CommandError, match="ADMIN_PASSWORD"):
            run("ensure_admin")
    assert not User.objects.filter(is_superuser=True).exists()

    monkeypatch.setenv("ADMIN_PASSWORD", "Floor-Admin-2026!x")
    assert "Created" in run("ensure_admin")
    assert User.objects.get(username="admin").check_password("Floor-Admin-2026!x")


def test_ensure_admin_on_a_development_machine_makes_admin_admin(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    assert "Created the admin login 'admin' with password 'admin'" in run("ensure_admin")


def test_create_user_asks_the_password_validators():
    with pytest.raises(CommandError, match=r"too common|entirely numeric"):
        run("create_user", "tess", "--role", "technician", "--password", "12345678")
    assert not User.objects.filter(username="tess").exists()
    assert "Created" in run(
        "create_user", "tess", "--role", "technician", "--password", "Tess-2026-x!"
    )
