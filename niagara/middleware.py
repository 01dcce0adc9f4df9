"""Request timing (every response says how long the server spent on it) and the viewer's time
zone (pages show times where the viewer is)."""

import time
import zoneinfo
from urllib.parse import unquote

from django.utils import timezone

TIME_ZONE_COOKIE = "niagara_tz"


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


class ViewerTimeZoneMiddleware:
    """Show a page's times in the viewer's time zone: the IANA name their browser reports
    (``niagara/timezone.js`` keeps it in the ``niagara_tz`` cookie), the server's
    ``TIME_ZONE`` until it has. An unknown name is ignored. The API answers UTC whatever the
    zone (``niagara.api.fields.DateTimeField``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _zone(unquote(request.COOKIES.get(TIME_ZONE_COOKIE, "")))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
