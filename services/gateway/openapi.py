"""The OpenAPI 3 document, generated (apispec + MarshmallowPlugin) from the routes as declared
with ``http.route`` and the marshmallow schemas they name: the same schemas that validate the
requests, so the document cannot drift from the code. Built once per process.

The convention every route follows (``check_routes`` says what a route lacks; the unit test
``tests/unit/gateway/test_openapi_contract.py`` fails with that message)::

    @route("POST", "/api/v1/tickets", operation_id="issueTicket",
           public=True, operation_id="issueTicket",
           body=gs.IssueTicketRequest, response=rs.Ticket, status=201, ...)

- ``operation_id``: lowerCamelCase, verb first (``issueTicket``, ``listPermitTypes``), unique;
  a generated client names its function after it.
- ``response``: the marshmallow schema of the success body (a class, or ``Schema(many=True)``
  for a JSON array); ``status`` its code (default 200). A route answering something else than
  JSON says ``produces="application/pdf"`` (no ``response``); one answering nothing says
  ``status=204``.

The committed copy is ``docs/openapi.json``; ``python -m services.gateway.openapi --write``
regenerates it after a route or schema changes.
"""
import argparse
import functools
import importlib
import json
import re
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.common import signing
from services.contracts import api as rs
from services.contracts import feedback as fc
from services.contracts import ticketing as tc
from services.contracts.permits import SLUG
from services.contracts.practice import MONTH_PATTERN
from services.contracts.fields import (BOOKING_CODE_PATTERN, KEY, PIN_PATTERN,
                                       TICKET_NUMBER_PATTERN, TRACKING_CODE_PATTERN)
from services.gateway import schemas as gs
from services.gateway.route_registry import ROUTES

VERSION = "1.0.0"
_PATH_VAR = re.compile(r"<(?:([a-z_]+)(?:\([^)]*\))?:)?([a-z_]+)>")
ERRORS = {
    "400": "Malformed request", "401": "Not signed in (or bad token / API key / signature)",
    "403": "Role or agency not allowed", "404": "Not found", "409": "Conflict with current state",
    "413": "Body too large", "415": "Not JSON", "422": "Validation failed (field messages)",
    "429": "Rate limited (Retry-After)", "503": "A service does not answer (Retry-After)",
}
#: what the services accept as a path variable (``services.contracts.fields.KEY``): anything
#: else is a 422 with a field message, so the document says it
KEY_PATTERN = KEY.regex.pattern
_KEY_SCHEMA = {"type": "string", "pattern": KEY_PATTERN}
PATH_SCHEMAS = {name: _KEY_SCHEMA for name in (
    "counter_id", "ticket_id", "service_id", "application_id", "agency", "complaint_id",
    "reference", "permit_type_id", "standard_id", "comment_id")}
PATH_SCHEMAS.update({
    "tracking": {"type": "string", "pattern": TRACKING_CODE_PATTERN},
    "code": {"type": "string", "pattern": BOOKING_CODE_PATTERN},
    "number": {"type": "string", "pattern": TICKET_NUMBER_PATTERN},
})
#: an agency's code where the catalogue's own rule is checked (lowercase slug)
AGENCY_CODE_SCHEMA = {"type": "string", "pattern": SLUG.regex.pattern}
#: query parameters by name, as the handlers and services check them (a route may still
#: declare its own ``schema``)
QUERY_SCHEMAS = {
    "agency": _KEY_SCHEMA, "service_id": _KEY_SCHEMA, "reference": _KEY_SCHEMA,
    "day": {"type": "string", "format": "date"},
    "month": {"type": "string", "pattern": MONTH_PATTERN},
    "format": {"type": "string", "enum": ["json", "csv"]},
    "status": {"type": "string", "enum": list(fc.STATUSES)},
    "token": {"type": "string", "minLength": 1, "maxLength": 200},
    "limit": {"type": "integer", "minimum": 1, "maximum": 200},
}
#: header parameters by name (the signature headers: docs/signatures.md)
HEADER_SCHEMAS = {
    "X-Ticket-Token": {"type": "string", "minLength": 1, "maxLength": 200},
    "X-Application-Pin": {"type": "string", "pattern": PIN_PATTERN},
    signing.TIMESTAMP_HEADER: {"type": "string", "pattern": "^[0-9]{1,12}$",
                               "description": "Unix seconds (UTC); refused outside 300 s"},
    signing.SIGNATURE_HEADER: {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$",
                               "description": "sha256=<lowercase hex HMAC-SHA256(secret, "
                                              "timestamp + '.' + raw body)>"},
    "X-MPP-Delivery": {"type": "string", "description": "the same on every retry of one "
                                                        "delivery: deduplicate on it"},
    "X-MPP-Event": {"type": "string", "description": "the message's kind"},
}
SIGNATURE_DOC = ("Signed with HMAC-SHA256 as docs/signatures.md describes (X-MPP-Timestamp, "
                 "X-MPP-Signature; test vectors and a reference receiver there)")
#: ``Idempotency-Key`` as the service behind a route checks it (``idempotent=True``:
#: ticketing's and feedback's; a route may name the marshmallow field its service loads)
IDEMPOTENCY_FIELD = tc.IssueTicketSchema().fields["idempotency_key"]
SECURITY = {"staff": [{"bearer": []}, {"apiKey": []}], "supervisor": [{"bearer": []}, {"apiKey": []}],
            "admin": [{"bearer": []}], "hmac": [{"hmac": []}]}


DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = "python -m services.gateway.openapi --write"
_OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]{2,60}$")
_NO_BODY = {204, 304}


def _path(url):
    return _PATH_VAR.sub(lambda m: "{%s}" % m.group(2), url)


def _reads_json(route):
    """Does the handler read a JSON body (and so may answer 400, 413 and 415)?"""
    return bool(route.get("body") or route.get("reads_json"))


def problem_statuses(route):
    """The error statuses a route can answer, each as problem+json: derived from how it is
    declared (a JSON body, path variables, credentials, rate limiting) plus the ``problems``
    it names itself (a 404 for an id inside a body, a 401 from a sign-in)."""
    wanted = {"422", "503"}
    if route.get("public"):
        wanted |= {"429"}
    if route.get("auth"):
        wanted |= {"401", "403"}
    if "<" in route["url"]:
        wanted |= {"404"}
    if _reads_json(route):
        wanted |= {"400", "413", "415"}
    if route["method"] in ("POST", "PUT", "DELETE"):
        wanted |= {"409"}
    wanted |= {str(code) for code in route.get("problems", ())}
    return sorted(wanted)


def _field_schema(converter, field):
    """The JSON schema of one marshmallow field (its type, pattern, lengths), as the request
    body's schema would carry it, for a header or a query parameter."""
    schema = converter.field2property(field)
    for key in ("default", "nullable"):
        schema.pop(key, None)
    if isinstance(schema.get("type"), list):
        schema["type"] = [t for t in schema["type"] if t != "null"][0]
    return schema


def _operation(route, converter):
    responses = {}
    ok = str(route.get("status", 200))
    if route.get("produces"):
        kinds = route["produces"]
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)  # e.g. JSON or CSV
        responses[ok] = {"description": "OK", "content": {
            kind: {"schema": route["response"]} if kind == "application/json"
            and route.get("response") else {} for kind in kinds}}
    elif route.get("response"):
        responses[ok] = {"description": "OK", "content": {
            "application/json": {"schema": route["response"]}}}
    elif int(ok) in _NO_BODY:
        responses[ok] = {"description": "No content"}
    else:
        responses[ok] = {"description": "OK", "content": {"application/json": {}}}
    for code in problem_statuses(route):
        responses[code] = {"description": ERRORS[code], "content": {
            "application/problem+json": {"schema": "Problem"}}}
    responses.update(route.get("responses") or {})
    op = {"summary": route.get("summary", ""), "tags": route.get("tags", []),
          "operationId": route.get("operation_id") or "{}_{}".format(
              route["method"].lower(),
              re.sub(r"[^a-z0-9]+", "_", _path(route["url"]).lower()).strip("_")),
          "responses": responses}
    params = []
    for match in _PATH_VAR.finditer(route["url"]):
        name = match.group(2)
        schema = dict(PATH_SCHEMAS.get(name, {"type": "string"}))
        enum = (route.get("path_enum") or {}).get(name)
        if enum:
            schema = {"type": "string", "enum": list(enum)}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    for name, query in (route.get("query") or {}).items():
        # a description, or {"description", "required", "schema"} for a parameter with rules
        query = query if isinstance(query, dict) else {"description": query}
        params.append({"in": "query", "name": name, "required": query.get("required", False),
                       "description": query.get("description", ""),
                       "schema": query.get("schema",
                                           QUERY_SCHEMAS.get(name, {"type": "string"}))})
    for name, header in (route.get("headers") or {}).items():
        # a description, or {"description", "required"} (the schema comes by name)
        header = header if isinstance(header, dict) else {"description": header}
        params.append({"in": "header", "name": name,
                       "required": header.get("required", False),
                       "description": header.get("description", ""),
                       "schema": HEADER_SCHEMAS.get(name, {"type": "string"})})
    if route.get("idempotent"):
        field = route["idempotent"] if route["idempotent"] is not True else IDEMPOTENCY_FIELD
        key = _field_schema(converter, field)
        # what a header can carry: printable ASCII (the gateway refuses anything else)
        key.setdefault("pattern", r"^[ -~]+$")
        params.append({"in": "header", "name": "Idempotency-Key", "required": False,
                       "description": "Retrying with the same key returns the first result",
                       "schema": key})
    if params:
        op["parameters"] = params
    if route.get("body"):
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": route["body"]}}}
    elif route.get("reads_json"):
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": {"type": "object"}}}}
    if route.get("auth"):
        op["security"] = SECURITY.get(route["auth"], SECURITY["staff"])
        op["description"] = "Needs: {}".format(route["auth"])
    return op


def _nullable_enums(node):
    """``{"type": ["string", "null"], "enum": [..., None]}`` (how apispec writes a nullable
    choice) as ``anyOf`` one enum and null: the same values, and a generated client makes one
    enum class of it instead of one per type."""
    if isinstance(node, dict):
        enum, kind = node.get("enum"), node.get("type")
        if isinstance(enum, list) and None in enum and isinstance(kind, list):
            choice = {"type": [k for k in kind if k != "null"][0],
                      "enum": [v for v in enum if v is not None]}
            for key in ("enum", "type"):
                node.pop(key)
            node["anyOf"] = [choice, {"type": "null"}]
        for value in node.values():
            _nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_enums(value)
    return node


def build():
    spec = APISpec(title="MPP Suite API", version=VERSION, openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "HTTP API of the MPP Suite gateway. Errors are RFC 9457 "
                                        "problem+json. Live updates: text/event-stream at "
                                        "/api/v1/stream/board?agency= and "
                                        "/api/v1/stream/counter/{id}?services=a,b."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "header",
                                               "name": "X-API-Key"})
    spec.components.security_scheme("hmac", {"type": "apiKey", "in": "header",
                                             "name": signing.SIGNATURE_HEADER,
                                             "description": SIGNATURE_DOC})
    for name in ("LiveEvent", "ConnectorApplication", "AgencyWebhookMessage"):
        spec.components.schema(name, schema=getattr(rs, name))
    spec.components.schema("Problem", schema=gs.Problem)
    converter = spec.plugins[0].converter
    paths = {}
    for route in ROUTES:
        paths.setdefault(_path(route["url"]), {})[route["method"].lower()] = _operation(
            route, converter)
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    for stream, op_id, desc in (
            ("/api/v1/stream/board", "streamBoard", "Display board events (SSE)"),
            ("/api/v1/stream/counter/{counter_id}", "streamCounter",
             "Counter console events (SSE)")):
        params = [{"in": "query", "name": "agency" if "board" in stream else "services",
                   "schema": {"type": "string"}}]
        if "{" in stream:
            params.append({"in": "path", "name": "counter_id", "required": True,
                           "schema": {"type": "string"}})
        spec.path(path=stream, operations={"get": {
            "summary": desc, "tags": ["live"], "parameters": params, "operationId": op_id,
            "responses": {"200": {"description": STREAM_DOC, "content": {"text/event-stream": {
                "schema": {"type": "string", "description": STREAM_DOC},
                "x-sse-data": {"$ref": "#/components/schemas/LiveEvent"}}}},
                          "503": {"description": "Too many live connections (Retry-After)",
                                  "content": {"application/problem+json": {
                                      "schema": {"$ref": "#/components/schemas/Problem"}}}}}}})
    document = spec.to_dict()
    document["webhooks"] = webhooks()
    return _nullable_enums(document)


STREAM_DOC = ("text/event-stream: frames `event: <type>` + `data: <LiveEvent JSON>` "
              "(components/schemas/LiveEvent; `board` frames carry a Board snapshot), a "
              "comment line every 15 s to keep the connection open")


def _signed_post(op_id, summary, body, extra_headers):
    headers = [{"in": "header", "name": name, "required": True,
                "schema": HEADER_SCHEMAS[name]}
               for name in (signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER, "X-MPP-Delivery")
               + extra_headers]
    return {"post": {
        "operationId": op_id, "summary": summary, "tags": ["webhooks"],
        "description": SIGNATURE_DOC + ". The receiver answers 2xx once it has the request; "
                       "any other answer (or none) is retried with the same X-MPP-Delivery.",
        "parameters": headers,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/" + body}}}},
        "responses": {"2XX": {"description": "Received (the suite stops retrying)"},
                      "default": {"description": "Not received: retried later"}}}}


def webhooks():
    """What the suite sends to agencies' systems (OpenAPI 3.1 ``webhooks``)."""
    return {
        "applicationForwarded": _signed_post(
            "receiveForwardedApplication",
            "The webhook connector forwards an application to its agency's system (POST to "
            "the URL configured for the agency: PUT /api/v1/admin/webhook-agencies/{agency})",
            "ConnectorApplication", ()),
        "agencyNotification": _signed_post(
            "receiveAgencyNotification",
            "The notifications service tells an agency's system of a fact (e.g. an SLA "
            "warning) on its agency webhook", "AgencyWebhookMessage", ("X-MPP-Event",)),
    }


def _where(route):
    handler = route.get("handler")
    return " ({}.{})".format(handler.__module__, handler.__qualname__) if handler else ""


def check_routes(routes=None):
    """What each route lacks of the convention (module docstring), as sentences a developer
    can act on; empty when every route is declared."""
    routes = ROUTES if routes is None else routes
    problems, seen = [], {}
    for route in routes:
        name = "{} {}{}".format(route["method"], route["url"], _where(route))
        op_id = route.get("operation_id")
        if not op_id:
            problems.append("{}: add operation_id=\"verbNoun\" (lowerCamelCase, e.g. "
                            "\"issueTicket\") to its @route(...)".format(name))
        elif not _OPERATION_ID.match(op_id):
            problems.append("{}: operation_id {!r} is not lowerCamelCase letters and digits"
                            .format(name, op_id))
        elif op_id in seen:
            problems.append("{}: operation_id {!r} is already used by {}".format(
                name, op_id, seen[op_id]))
        else:
            seen[op_id] = name
        kinds = route.get("produces") or "application/json"
        json_body = "application/json" in ([kinds] if isinstance(kinds, str) else kinds)
        if json_body and not route.get("response") and int(route.get("status", 200)) \
                not in _NO_BODY:
            problems.append("{}: add response=<marshmallow Schema of the success body> (or "
                            "Schema(many=True) for a list; produces=\"<media type>\" for a "
                            "non-JSON body, status=204 for none) to its @route(...)".format(name))
    return problems


def build_json():
    """The document as committed: keys sorted, indented, one trailing newline."""
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@functools.lru_cache(maxsize=1)
def spec_json():
    return json.dumps(build(), ensure_ascii=False).encode("utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description="The gateway's OpenAPI document")
    parser.add_argument("--write", action="store_true",
                        help="write it to docs/openapi.json (else print it)")
    args = parser.parse_args(argv)
    # the service module declares every route (and imports this one): loaded by name when
    # run as a command, never at import time
    importlib.import_module("services.gateway.service")

    text = build_json()
    if args.write:
        DOCUMENT.write_text(text, encoding="utf-8")
        print("wrote", DOCUMENT)
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
