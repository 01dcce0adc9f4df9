"""A Redis cache that degrades instead of failing: the cache holds throttle counters and
nothing a request needs, so with Redis unreachable every call answers as a cache miss (reads
give their default, writes do nothing) and the request goes on — throttling fails open.

A failure is logged once per ``QUIET_SECONDS``; for that long Redis is not asked again (a
refused or timed-out connection on every request would slow every request), then one call
tries it and, if it answers, the cache is back. ``/healthz`` still reports the cache as
unreachable meanwhile: it stores and reads a key of its own.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("niagara.cache")

QUIET_SECONDS = 10.0
UNAVAILABLE = (RedisError, OSError)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # An unreachable server is noticed in a fraction of a second, not at the OS's timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, name: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNAVAILABLE as error:
            with self._lock:
                first = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + QUIET_SECONDS
            if first:
                log.warning(
                    "cache (redis) unreachable, throttling fails open for %ss: %s",
                    QUIET_SECONDS,
                    error,
                )
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def clear(self):
        return self._call("clear", None)
