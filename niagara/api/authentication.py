"""Failed authentication is throttled per client address (guessing tokens is slow); the
authentication classes themselves are the users app's (``users.api.authentication``)."""

from rest_framework.throttling import SimpleRateThrottle


class FailedAuthenticationThrottle(SimpleRateThrottle):
    """Counts requests whose credentials were refused, per client address."""

    scope = "auth_failures"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
