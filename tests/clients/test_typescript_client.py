"""A TypeScript client generated from the served schema (@hey-api/openapi-ts), compiled with
``tsc --strict``, runs the README's flow against a live server (``tools/ts-client/flow.ts``):
the hierarchy, a workflow, batches on the floor, a device's step closed and another's failed
(the fail body as plain JSON: a generated client sends one media type per operation), the
counters read. Needs Node.js and npm (CI has them; ``NIAGARA_REQUIRE_NODE=1`` there turns a
missing Node.js into a failure rather than a skip)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory
from users.tokens import token_add

TOOL = Path(__file__).resolve().parents[2] / "tools" / "ts-client"


def _run(*command: str, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=TOOL, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def compiled():
    """The generated client and ``flow.ts``, compiled into ``tools/ts-client/dist``."""
    if not (shutil.which("node") and shutil.which("npm")):
        if os.environ.get("NIAGARA_REQUIRE_NODE") == "1":
            pytest.fail("Node.js and npm are required here (NIAGARA_REQUIRE_NODE=1)")
        pytest.skip("Node.js and npm are not installed")
    if not (TOOL / "node_modules" / ".bin" / "openapi-ts").exists():
        installed = _run("npm", "ci", "--silent", "--no-audit", "--no-fund")
        assert installed.returncode == 0, installed.stdout + installed.stderr
    schema = SchemaGenerator().get_schema(request=None, public=True)
    shutil.rmtree(TOOL / "generated", ignore_errors=True)
    shutil.rmtree(TOOL / "dist", ignore_errors=True)
    (TOOL / "schema.json").write_text(json.dumps(schema))
    made = _run("npx", "--no-install", "openapi-ts", "-i", "./schema.json", "-o", "./generated")
    assert made.returncode == 0, made.stdout + made.stderr
    built = _run("npx", "--no-install", "tsc", "-p", ".")
    assert built.returncode == 0, built.stdout + built.stderr
    return TOOL / "dist" / "flow.js"


@pytest.mark.django_db(transaction=True)
def test_a_generated_typescript_client_runs_the_readme_flow(compiled, live_server):
    admin = UserFactory(username="ts-integrator", is_superuser=True, is_staff=True)
    _token, secret = token_add(user=admin, label="generated TypeScript client")
    env = {**os.environ, "NIAGARA_URL": live_server.url, "NIAGARA_TOKEN": secret}

    ran = _run("node", str(compiled), env=env, timeout=120)

    assert ran.returncode == 0, ran.stdout + ran.stderr
    read = json.loads(ran.stdout.strip().splitlines()[-1])
    assert read["planned"] == 204
    assert read["batches"] == 2
    assert read["closed"] == "SUCCEEDED"
    assert read["failed"] == "FAILED"
    assert read["line"]["needed"] == 20
    assert read["line"]["complete"] == 1
