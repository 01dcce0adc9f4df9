"""Load test: gunicorn with 2 workers over loopback, 4 clients at once, on the large demo floor —
Niagara's ``GET /api/queues?limit=100`` against a bare WSGI app (``raw_app``) that runs the same
page's SQL and sends the same JSON. Bounded: ``BENCH_LOAD_REQUESTS`` requests (default 400) after
a warm-up. Targets (issue 24): Niagara's requests per second at least 0.9x the raw app's, its
p99 at most 150 ms. Prints; asserts with ``BENCH_STRICT=1`` on PostgreSQL.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg.types.json import Jsonb

from benchmarks.floor.test_floor import POSTGRES, floor  # noqa: F401  (the fixture)
from benchmarks.test_list_pages import Recorder
from users.tokens import token_digest

pytestmark = pytest.mark.django_db

PAGE = "/api/queues?limit=100"
REQUESTS = int(os.environ.get("BENCH_LOAD_REQUESTS", "400"))
CONCURRENCY, WORKERS, WARM_UP = 4, 2, 40
RPS_RATIO, P99_MS = 0.9, 150
BIN = Path(sys.executable).parent


def _as_json_text(value):
    """A parameter as the raw app can send it again: a JSON document (a lookup into a JSON
    column) as its text, which PostgreSQL reads back as ``jsonb`` where it is compared."""
    if isinstance(value, Jsonb):
        return json.dumps(value.obj)
    return value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _serve(app: str, environment: dict, log: Path):
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **environment},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    pytest.fail(log.read_text()[-2000:])


def _drive(port: int, headers: dict, count: int) -> tuple[float, list[float]]:
    """``count`` requests from CONCURRENCY clients; the elapsed seconds and each latency (ms)."""
    latencies, errors, lock, left = [], [], threading.Lock(), [count]

    def client():
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", PAGE, headers=headers)
            response = conn.getresponse()
            content = response.read()
            conn.close()
            with lock:
                if response.status != 200:
                    errors.append((response.status, content[:300]))
                    return
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:2]
    return time.perf_counter() - started, latencies


def _p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98]


def test_gunicorn_serves_a_page_near_a_raw_app(floor, tmp_path, client):  # noqa: F811
    if not POSTGRES:
        pytest.skip("the load test replays PostgreSQL's SQL")
    headers = {"Authorization": f"Bearer {floor['token']}", "X-Forwarded-Proto": "https"}
    # A token's first use in a while stamps its ``last_used``: stamped here, committed from a
    # connection of its own, the recorded request and the servers only read it. Stamped by the
    # test's request, the row would stay locked by the test's transaction, and every server's
    # stamp would wait for it (the first run on a new floor hung so).
    with psycopg.connect(_database_url(), autocommit=True) as own:
        own.execute(
            "UPDATE users_personaltoken SET last_used = now() WHERE digest = %s",
            [token_digest(floor["token"])],
        )
    # The page as Niagara answers it, and the SQL it runs, for the raw app.
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        body = client.get(PAGE, HTTP_AUTHORIZATION=headers["Authorization"]).json()
    page = tmp_path / "page.json"
    # The page's own statements (the test's savepoints are the test's).
    queries = [
        (sql, [_as_json_text(value) for value in params or ()])
        for sql, params in recorder.queries
        if "SAVEPOINT" not in sql
    ]
    assert all(sql.lstrip().upper().startswith("SELECT") for sql, _ in queries), queries
    page.write_text(json.dumps({"queries": queries, "body": body}, default=str))
    niagara_env = {
        "DEBUG": "0",
        "SECRET_KEY": "load-test-" + "x" * 40,
        "DATABASE_URL": _database_url(),
        "API_THROTTLE_USER": "1000000/minute",
    }
    raw_env = {"RAW_PAGE": str(page), "RAW_DATABASE": _database_url()}
    figures = {}
    for name, app, environment in (
        ("raw app", "benchmarks.floor.raw_app:application", raw_env),
        ("Niagara", "niagara.wsgi", niagara_env),
    ):
        server, port = _serve(app, environment, tmp_path / f"{name}.log")
        try:
            _drive(port, headers, WARM_UP)
            elapsed, latencies = _drive(port, headers, REQUESTS)
        finally:
            server.terminate()
            server.wait(timeout=10)
        figures[name] = (REQUESTS / elapsed, statistics.median(latencies), _p99(latencies))

    ratio = figures["Niagara"][0] / figures["raw app"][0]
    p99 = figures["Niagara"][2]
    print(
        f"\ngunicorn, {WORKERS} workers, {CONCURRENCY} clients, {REQUESTS} requests of "
        f"GET {PAGE} (client-side ms):"
    )
    for name, (rps, p50, p99_ms) in figures.items():
        print(f"  {name:8} {rps:7.1f} rps   p50 {p50:6.1f}   p99 {p99_ms:6.1f}")
    mark = "✓" if ratio >= RPS_RATIO and p99 <= P99_MS else "✗"
    print(
        f"{mark} Niagara at {ratio:.2f}x the raw app's rps (target {RPS_RATIO}), p99 {p99:.0f} ms"
    )
    if os.environ.get("BENCH_STRICT"):
        assert ratio >= RPS_RATIO and p99 <= P99_MS
