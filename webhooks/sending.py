"""One HTTP POST to a receiver: no redirects followed, a short timeout, and no loopback or
link-local address unless the settings allow it (a webhook URL must not reach the shop's own
services)."""

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = settings.WEBHOOKS_TIMEOUT  # seconds
USER_AGENT = "Niagara-Webhooks/1"


@dataclass
class Outcome:
    response_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the receiver's answer, not an address to follow


_opener = urllib.request.build_opener(_NoRedirects)


def refused_address(url: str) -> str:
    """Why ``url`` may not be called ("" if it may): a loopback or link-local host, unless
    ``WEBHOOKS_ALLOW_LOOPBACK``."""
    if settings.WEBHOOKS_ALLOW_LOOPBACK:
        return ""
    try:
        host = urlsplit(url).hostname or ""
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, ValueError):  # UnicodeError included: a host no DNS can name
        return ""  # unresolvable now: the attempt fails on its own
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified:
            return f"{host} is a local address ({ip})"
    return ""


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.monotonic()
    refused = refused_address(url)
    if refused:
        return Outcome(None, refused, 0)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as answer:
        code = answer.code
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        return Outcome(None, str(reason)[:300], _ms(started))
    return Outcome(code, "", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
