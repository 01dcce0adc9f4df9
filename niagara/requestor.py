"""Whom a request acts for: an integration sends ``Requestor-ID`` (a user id) to act on behalf
of a person. The API sets it for the request's duration; the history records it next to the
caller ("on behalf of") without any function having to pass it along.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_on_behalf_of: ContextVar = ContextVar("on_behalf_of", default=None)


def on_behalf_of():
    """Return the user the current request acts for (``None``: the caller itself)."""
    return _on_behalf_of.get()


def act_for(user):
    """Act for ``user`` from now on; return the token that ``stop_acting`` takes."""
    return _on_behalf_of.set(user)


def stop_acting(token) -> None:
    _on_behalf_of.reset(token)


@contextmanager
def acting_for(user):
    """Act for ``user`` within the block (commands and tests)."""
    token = act_for(user)
    try:
        yield
    finally:
        stop_acting(token)
