"""Every error a client sees, as RFC 9457 problem+json. The one place errors map to HTTP.

Domain errors arrive from the services as themselves (nameko ``deserialize_to_instance``) and
carry their status. Anything else is a bug: the client gets a bare 500 with a reference id,
the log gets the traceback, and no stack trace ever reaches the client.
"""
import json
import logging
import uuid

from nameko.exceptions import RemoteError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.common.errors import DomainError, ValidationFailed
from services.gateway.calls import RETRY_AFTER, unavailable_reason

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = RETRY_AFTER


def problem(status, title, detail=None, headers=None, **extra):
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def from_domain_error(exc):
    extra = {}
    headers = {}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = exc.fields
    elif exc.details:
        extra["details"] = exc.details
    if exc.status in (429, 503):
        headers["Retry-After"] = str(exc.details.get("retry_after", RETRY_AFTER_SECONDS))
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="mpp"'
    return problem(exc.status, exc.title, exc.message, headers=headers, **extra)


def unavailable(detail="Layanan sedang tidak tersedia, coba lagi sebentar / "
                       "Service temporarily unavailable, please retry shortly"):
    return problem(503, "Service unavailable", detail,
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def from_exception(exc):
    """Map any exception raised while handling a request to a problem response."""
    if isinstance(exc, DomainError):
        return from_domain_error(exc)
    if isinstance(exc, HTTPException):
        return problem(exc.code, exc.name, exc.description)
    if unavailable_reason(exc) is not None:
        # the broker, a database or a service is away (not the request's fault): 503
        log.warning("dependency unavailable: %s",
                    exc.exc_type if isinstance(exc, RemoteError) else type(exc).__name__)
        return unavailable()
    if isinstance(exc, RemoteError) and exc.exc_type == "MethodNotFound":
        # the service that answered has no such method (an older version of it is running)
        log.warning("service method missing: %s", exc.value)
        return problem(501, "Not implemented",
                       "Fitur ini belum tersedia / This feature is not available yet")
    reference = uuid.uuid4().hex[:12]
    if isinstance(exc, RemoteError):
        log.error("unexpected remote error %s (ref %s): %s", exc.exc_type, reference, exc.value)
    else:
        log.error("unexpected error (ref %s)", reference, exc_info=exc)
    return problem(500, "Internal server error",
                   "Terjadi kesalahan pada sistem / An unexpected error occurred",
                   reference=reference)
