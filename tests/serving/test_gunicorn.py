"""`make serve`'s stack for real: gunicorn workers with production settings (DEBUG off), static
files collected and served by WhiteNoise, behind a TLS proxy (X-Forwarded-Proto)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, **headers) -> Answer:
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@pytest.fixture
def production_server(tmp_path):
    port = _free_port()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": "a-test-only-key-" + "x" * 40,
        "DATABASE_URL": _database_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [BIN / "gunicorn", "niagara.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(base + "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail((tmp_path / "gunicorn.log").read_text()[-2000:])
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_gunicorn_serves_the_admin_and_its_static_files(production_server):
    health = _get(production_server + "/healthz")
    plain = _get(production_server + "/admin/login/")
    page = _get(production_server + "/admin/login/", **{"X-Forwarded-Proto": "https"})
    [stylesheet] = re.findall(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page.body)
    css = _get(
        production_server + stylesheet.decode(),
        **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
    )
    missing = _get(production_server + "/api/nothing", **{"X-Forwarded-Proto": "https"})

    assert health.status == 200, "readiness is probed over plain HTTP, inside the proxy"
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")
    assert page.status == 200 and b"DEBUG" not in page.body
    assert "max-age=315360000" in css.headers["Cache-Control"], "hashed names cached for ever"
    assert css.headers["Content-Encoding"] == "gzip"
    assert missing.status == 404 and missing.headers["Content-Type"] == "application/problem+json"
    assert b"Traceback" not in missing.body
