"""Domain errors: what services raise when a rule is broken (the API maps each to a status)."""

DEFAULT_DETAILS = {
    400: "Invalid Data",
    401: "Invalid authorization token",
    403: "You are forbidden from accessing this resource",
    404: "The requested resource was not found",
    409: "A similar resource exists",
    423: "This resource is currently locked from editing",
    500: "An unexpected error occurred; it has been logged",
    503: "The service is briefly unavailable (its database did not answer): try again shortly",
}
# Seconds a client should wait before retrying a 503 (the database restarting, a failover).
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database could not be reached or dropped the connection (or,
    on SQLite, was locked): a "try again", not a bug."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


class NiagaraError(Exception):
    """A domain failure the API reports as a problem with ``status_code``."""

    status_code = 400
    # Extension members of the problem body (RFC 7807 §3.2), e.g. ``{"needed": 10}``.
    extra: dict = {}

    def __init__(self, detail: str | None = None):
        self.detail = detail or DEFAULT_DETAILS.get(self.status_code, "Error")
        super().__init__(self.detail)


class Conflict(NiagaraError):
    """A similar resource exists (a uniqueness rule would be broken)."""

    status_code = 409


class CapacityExceeded(Conflict):
    """More cycles would be placed than a work order (line) needs.

    The problem body names the figures: ``needed``, ``placed`` and, when cycles were asked
    for, ``asked``.
    """

    def __init__(self, *, needed: int, placed: int, asked: int = 0, where: str = "The work order"):
        self.extra = {"needed": needed, "placed": placed}
        detail = f"{where} needs {needed} cycles, {placed} are placed"
        if asked:
            self.extra["asked"] = asked
            detail += f": {asked} more would exceed it"
        super().__init__(detail)


class Locked(NiagaraError):
    """The resource has dependents or in-flight work and cannot be changed that way."""

    status_code = 423


class Forbidden(NiagaraError):
    """The caller may not do this (whatever the rest of the request says)."""

    status_code = 403


class NotFound(NiagaraError):
    status_code = 404


class InvalidData(NiagaraError):
    """A request body failed validation; carries AJV-style ``validation_messages``."""

    status_code = 400

    def __init__(self, messages: list[dict], detail: str | None = None):
        self.validation_messages = messages
        super().__init__(detail)


class TooLarge(NiagaraError):
    """A body or file over the size the endpoint takes (refused before it is read whole)."""

    status_code = 413


class UnsupportedType(NiagaraError):
    """A file of a type the endpoint does not take (an attachment that is not a PDF)."""

    status_code = 415
