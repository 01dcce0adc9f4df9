"""Run every command of the README's API walk-through, as printed, as a newcomer would.

    .venv/bin/python docs/walkthrough.py

In a clean environment (``env -i`` with only ``PATH`` and ``HOME``: no variable the README does
not set) it runs ``make run`` on a free port — migrate, the demo data, the admin login, the
server, over the checkout's default SQLite database, set aside first and put back after — then
the README's ``sh`` blocks from "A walk through the API" to "Configuration", in order, in one
``bash`` (the address ``127.0.0.1:8000`` becomes the server's). It fails when a command fails,
when an answer is a 5xx, or when the problems answered (4xx) are not exactly the ones the README
announces with a trailing ``# 4xx`` comment. CI runs it (``.ci/run``), so CI fails exactly when
a newcomer's fresh shell would.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST, LAST = "## A walk through the API", "## Configuration"
# Every curl of the walk-through goes through this wrapper: it records the answer's status.
CURL_RECORDER = r"""
curl() {
  local out="WALK/answer"
  command curl -w '\n%{http_code}\n' "$@" > "$out" || { echo "curl failed: $*" >&2; return 1; }
  tail -n 1 "$out" >> "WALK/codes"
  head -n -1 "$out"
}
"""
# The default database ``make run`` fills (``db.sqlite3`` and SQLite's side files).
DATABASE_FILES = ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "db.sqlite3-journal"]


def blocks(readme: str) -> list[str]:
    section = readme[readme.index(FIRST) : readme.index(LAST)]
    return re.findall(r"^```sh\n(.*?)^```$", section, flags=re.S | re.M)


def announced_problems(script: str) -> list[str]:
    """The 4xx codes the README announces, in order (``… # 409`` ending a command)."""
    return re.findall(
        r"#\s*(4\d\d)\b",
        "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#")),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            time.sleep(0.5)
    return False


def clean_environment() -> dict:
    """What a fresh shell has: a ``PATH`` and a ``HOME``, nothing the README does not set."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}


def main() -> int:
    script = "\n".join(blocks((ROOT / "README.md").read_text()))
    with tempfile.TemporaryDirectory() as walk:
        aside = Path(walk) / "aside"
        aside.mkdir()
        for name in DATABASE_FILES:
            if (ROOT / name).exists():
                shutil.move(ROOT / name, aside / name)
        port = free_port()
        log = open(Path(walk) / "make-run.log", "w")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=clean_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        run, codes = None, []
        try:
            # Ready when the readiness endpoint answers: polling the schema (seconds to build
            # on a slow machine) with a short timeout started a new build on every poll.
            if wait_for(f"http://127.0.0.1:{port}/healthz", seconds=300):
                program = (
                    "set -e -o pipefail\n"
                    + CURL_RECORDER.replace("WALK/", f"{walk}/")
                    + script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
                )
                run = subprocess.run(
                    ["bash", "-c", program],
                    cwd=ROOT,
                    env=clean_environment(),
                    timeout=600,
                    text=True,
                    capture_output=True,
                )
                codes_file = Path(walk) / "codes"
                codes = codes_file.read_text().split() if codes_file.exists() else []
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
            made_run = (Path(walk) / "make-run.log").read_text()
            for name in DATABASE_FILES:
                (ROOT / name).unlink(missing_ok=True)
                if (aside / name).exists():
                    shutil.move(aside / name, ROOT / name)
    if run is None:
        print(made_run[-3000:])
        print("FAILED: `make run` did not serve within 5 minutes")
        return 1
    if "--show" in sys.argv:
        print(made_run[-3000:], run.stdout, sep="\n")
    problems = [code for code in codes if not code.startswith("2")]
    expected = announced_problems(script)
    print(f"{len(codes)} requests; problems {problems}, announced {expected}")
    if run.returncode != 0:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
        print(f"FAILED: a command of the walk-through failed (exit {run.returncode})")
        return 1
    if problems != expected:
        print(run.stdout[-3000:])
        print("FAILED: the answers' problems are not the ones the README announces")
        return 1
    print("The README's API walk-through runs as printed, in a fresh shell.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
