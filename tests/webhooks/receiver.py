"""A webhook receiver on this machine for the tests: records every request, answers the codes
it is told to (then 200)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, answers: list[int] | None = None, *, hold_first: float = 0):
        self.answers = list(answers or [])
        # Every request as it arrived, and those answered (a held one is answered late).
        self.received: list[dict] = []
        self.answered: list[dict] = []
        self.hold_first = hold_first
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                with receiver._lock:
                    first = not receiver.received
                    receiver.received.append(request)
                    code = receiver.answers.pop(0) if receiver.answers else 200
                if first and receiver.hold_first:
                    time.sleep(receiver.hold_first)  # the sender may be gone by now
                    return
                with receiver._lock:
                    receiver.answered.append(request)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def messages(self) -> list[dict]:
        with self._lock:
            return [json.loads(each["body"]) for each in self.answered]
