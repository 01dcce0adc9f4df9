"""``POST /oauth/token/`` with a limit on guessing: after ``AXES_FAILURE_LIMIT`` refused
requests (a wrong client secret, a wrong password in a password grant) from one address or for
one client within ``AXES_COOLOFF_TIME``, the endpoint answers 429 with ``Retry-After`` for the
rest of that time — the right secret included. Counted in the cache (Redis when it is set, so
shared by every app server); wrong passwords also count for django-axes' per-user lockout."""

import base64
import binascii
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from oauth2_provider.views import TokenView


def _client_id(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header.split(None, 1)[1]).decode()
        except (binascii.Error, UnicodeDecodeError, IndexError):
            return ""
        return unquote_plus(decoded.partition(":")[0])
    return request.POST.get("client_id", "")


def _counters(request) -> list[str]:
    keys = [f"oauth-refused:address:{request.META.get('REMOTE_ADDR', '')}"]
    if client := _client_id(request)[:200]:
        keys.append(f"oauth-refused:client:{client}")
    return keys


class GuardedTokenView(TokenView):
    def post(self, request, *args, **kwargs):
        keys = _counters(request)
        window = int(settings.AXES_COOLOFF_TIME.total_seconds())
        if any((cache.get(key) or 0) >= settings.AXES_FAILURE_LIMIT for key in keys):
            return JsonResponse(
                {
                    "error": "too_many_requests",
                    "error_description": "Too many refused attempts: wait, then try again.",
                },
                status=429,
                headers={"Retry-After": str(window)},
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code in (400, 401):
            for key in keys:
                if not cache.add(key, 1, window):
                    try:
                        cache.incr(key)
                    except ValueError:  # expired meanwhile
                        cache.add(key, 1, window)
        return response
