"""Run every command of the README's API walk-through, as printed, against a live server.

    .venv/bin/python docs/walkthrough.py

It starts ``manage.py runserver`` on a free port over a fresh SQLite database (migrated, with the
demo data, as ``make run`` leaves it), runs the README's ``sh`` blocks from "A walk through the
API" to "Configuration" in order in one ``bash`` (the address ``127.0.0.1:8000`` becomes the
server's), and fails when a command fails, when an answer is a 5xx, or when the problems
answered (4xx) are not exactly the ones the README announces with a trailing ``# 4xx`` comment.
CI runs it (``.ci/run``).
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
FIRST, LAST = "## A walk through the API", "## Configuration"
# Every curl of the walk-through goes through this wrapper: it records the answer's status.
CURL_RECORDER = r"""
curl() {
  local out="$WALK/answer"
  command curl -w '\n%{http_code}\n' "$@" > "$out" || { echo "curl failed: $*" >&2; return 1; }
  tail -n 1 "$out" >> "$WALK/codes"
  head -n -1 "$out"
}
"""


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


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> int:
    script = "\n".join(blocks((ROOT / "README.md").read_text()))
    with tempfile.TemporaryDirectory() as walk:
        port = free_port()
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{walk}/walkthrough.sqlite3",
            "WALK": walk,
        }
        for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/api/schema/")
            program = (
                "set -e -o pipefail\n"
                + CURL_RECORDER
                + script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            )
            run = subprocess.run(
                ["bash", "-c", program],
                cwd=ROOT,
                env=env,
                timeout=600,
                text=True,
                capture_output=True,
            )
            codes_file = Path(walk) / "codes"
            codes = codes_file.read_text().split() if codes_file.exists() else []
        finally:
            server.terminate()
            server.wait(timeout=30)
    if "--show" in sys.argv:
        print(run.stdout)
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
    print("The README's API walk-through runs as printed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
