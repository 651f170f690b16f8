"""Domain errors shared through every service's contract.

Each class is registered with nameko's ``deserialize_to_instance`` so that an error raised
inside a service arrives at the RPC caller (another service or the gateway) as an instance of
the same class, not as a generic ``RemoteError``. The gateway maps them to HTTP once, in
``services.gateway.problems`` (RFC 9457 problem+json).

Arguments must stay JSON-serialisable: nameko ships ``exc.args`` over the wire.
Every error carries a human message in Bahasa Indonesia first, English second
(``"Loket tutup / Counter is closed"``), and optional machine-readable ``details``.
"""
from nameko.exceptions import deserialize_to_instance

from services.contracts.messages import INVALID_DATA, bilingual_fields


class DomainError(Exception):
    """Base of every error a client may see. ``status`` is the HTTP status the gateway uses."""

    status = 400
    title = "Bad request"

    def __init__(self, message, details=None):
        super().__init__(message, details or {})

    @property
    def message(self):
        return self.args[0]

    @property
    def details(self):
        return self.args[1] if len(self.args) > 1 else {}


@deserialize_to_instance
class NotFound(DomainError):
    status = 404
    title = "Not found"


@deserialize_to_instance
class ValidationFailed(DomainError):
    """Bad input. ``details`` is ``{"fields": {field: [messages]}}`` as marshmallow gives it."""

    status = 422
    title = "Validation failed"

    def __init__(self, message, details=None):
        super().__init__(message, details)

    @classmethod
    def from_marshmallow(cls, err):
        return cls(INVALID_DATA, {"fields": bilingual_fields(err.normalized_messages())})

    @property
    def fields(self):
        return self.details.get("fields", {})


@deserialize_to_instance
class Conflict(DomainError):
    """The request collides with the current state (e.g. someone else won the race)."""

    status = 409
    title = "Conflict"


@deserialize_to_instance
class IllegalTransition(Conflict):
    """An action not allowed from the current state (complete a ticket never called…)."""

    title = "Illegal state transition"


@deserialize_to_instance
class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


@deserialize_to_instance
class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


@deserialize_to_instance
class Unavailable(DomainError):
    """A dependency (broker, database, another service) does not answer right now."""

    status = 503
    title = "Service unavailable"


@deserialize_to_instance
class TooManyAttempts(DomainError):
    """Too many tries at a secret (a PIN): ``details`` says ``retry_after`` (seconds) and
    whether it is ``locked`` until the secret is renewed."""

    status = 429
    title = "Too many requests"
