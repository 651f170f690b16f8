"""Reading requests and writing JSON responses, with the limits a public endpoint needs."""
import json

from werkzeug.wrappers import Response

from services.common.errors import DomainError, ValidationFailed
# validate with a marshmallow schema, field messages become a 422: the one shared helper
from services.common.schemas import load  # noqa: F401
from services.contracts.messages import INVALID_DATA

MAX_JSON_BYTES = 64 * 1024


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"


class LengthRequired(DomainError):
    status = 411
    title = "Length required"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


class MalformedJson(DomainError):
    status = 400
    title = "Malformed JSON"


def json_response(data, status=200, headers=None):
    response = Response(json.dumps(data, ensure_ascii=False, default=str), status=status,
                        mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def empty_response(status=204):
    return Response(status=status)


def read_json(request, max_bytes=MAX_JSON_BYTES):
    """The request body as a JSON object; 415/413/400 for the wrong kind of body."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            "Gunakan Content-Type application/json / Use Content-Type application/json")
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge("Isi permintaan terlalu besar / Request body too large",
                              {"max_bytes": max_bytes})
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise PayloadTooLarge("Isi permintaan terlalu besar / Request body too large",
                              {"max_bytes": max_bytes})
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[...]]]]
        raise MalformedJson("JSON tidak valid / Malformed JSON") from None
    if not isinstance(data, dict):
        raise ValidationFailed(INVALID_DATA,
                               {"fields": {"_schema": ["Harus berupa objek JSON / Must be a JSON object"]}})
    return data


def idempotency_key(request):
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not (1 <= len(key) <= 200) or not key.isprintable():
        raise ValidationFailed(INVALID_DATA,
                               {"fields": {"Idempotency-Key": ["1-200 printable characters"]}})
    return key


def header_secret(request, field, header, what_id, what_en):
    """A citizen's secret (a PIN, a ticket token) from its ``header``. One in the address
    (``?<field>=``) is refused, not ignored: URLs stay in browser history, proxy logs and
    Referer headers, and a client sending one should learn it at once."""
    if field in request.args:
        raise ValidationFailed(INVALID_DATA, {"fields": {field: [
            "Kirim {} di header {}, bukan di alamat / Send the {} in the {} header, not in "
            "the address".format(what_id, header, what_en, header)]}})
    return request.headers.get(header) or ""
