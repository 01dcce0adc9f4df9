"""Request timing: every response says how long the server spent on it."""

import time


class ServerTimingMiddleware:
    """Add ``Server-Timing: app;dur=<ms>`` (W3C Server Timing): the time from the request
    entering Django to its response leaving, as browsers' developer tools and load tests read
    it. Outermost, so it counts every other middleware too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response.headers.setdefault("Server-Timing", f"app;dur={elapsed:.1f}")
        return response
