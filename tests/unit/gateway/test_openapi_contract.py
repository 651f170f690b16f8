"""The HTTP contract: every route declares a readable operationId and its success schema (the
convention in ``services.gateway.openapi``'s docstring), and the document the gateway serves is
the one committed in ``docs/openapi.json``. A failure says what to add to which route and the
command that regenerates the committed document."""
import json

import services.gateway.service  # noqa: F401 - declares every route
from services.gateway import openapi


def test_every_route_declares_operation_id_and_success_schema():
    problems = openapi.check_routes()
    assert not problems, (
        "Routes not declared the way services.gateway.openapi's docstring says:\n  "
        + "\n  ".join(problems)
        + "\nThen regenerate the committed document: " + openapi.REGENERATE)


def test_the_served_document_is_the_committed_one():
    assert openapi.DOCUMENT.exists(), "no docs/openapi.json: run " + openapi.REGENERATE
    committed = json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))
    served = json.loads(openapi.spec_json())
    changed = sorted(
        "{} {}".format(method.upper(), path)
        for path in set(committed["paths"]) | set(served["paths"])
        for method in set(committed["paths"].get(path, {})) | set(served["paths"].get(path, {}))
        if committed["paths"].get(path, {}).get(method) != served["paths"].get(path, {}).get(method))
    assert served == committed, (
        "docs/openapi.json is not what the gateway serves (operations that differ: {}; "
        "or components/webhooks). If the change is meant, regenerate it: {} and commit it."
        .format(", ".join(changed) or "none", openapi.REGENERATE))


def test_check_routes_tells_what_to_add():
    said = openapi.check_routes([
        {"method": "GET", "url": "/api/v1/things"},
        {"method": "GET", "url": "/api/v1/other", "operation_id": "get_other"},
        {"method": "POST", "url": "/api/v1/a", "operation_id": "issueThing", "status": 204},
        {"method": "POST", "url": "/api/v1/b", "operation_id": "issueThing",
         "produces": "application/pdf"},
    ])
    assert said == [
        'GET /api/v1/things: add operation_id="verbNoun" (lowerCamelCase, e.g. "issueTicket") '
        "to its @route(...)",
        "GET /api/v1/things: add response=<marshmallow Schema of the success body> (or "
        'Schema(many=True) for a list; produces="<media type>" for a non-JSON body, '
        "status=204 for none) to its @route(...)",
        "GET /api/v1/other: operation_id 'get_other' is not lowerCamelCase letters and digits",
        "GET /api/v1/other: add response=<marshmallow Schema of the success body> (or "
        'Schema(many=True) for a list; produces="<media type>" for a non-JSON body, '
        "status=204 for none) to its @route(...)",
        "POST /api/v1/b: operation_id 'issueThing' is already used by POST /api/v1/a",
    ]


def test_live_events_and_webhooks_are_described():
    from services.contracts import api as rs
    from services.gateway.hub import SAFE_KEYS

    document = json.loads(openapi.spec_json())
    # every member a live client may receive is in the schema it is documented with
    assert set(rs.LiveEvent().fields) == set(SAFE_KEYS) | {"type"}
    stream = document["paths"]["/api/v1/stream/board"]["get"]["responses"]["200"]["content"]
    assert stream["text/event-stream"]["x-sse-data"]["$ref"].endswith("/LiveEvent")
    forwarded = document["webhooks"]["applicationForwarded"]["post"]
    assert {p["name"] for p in forwarded["parameters"]} == {
        "X-MPP-Timestamp", "X-MPP-Signature", "X-MPP-Delivery"}
    assert forwarded["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ConnectorApplication")
    callback = document["paths"]["/api/v1/connectors/{agency}/callbacks"]["post"]
    assert {p["name"]: p["required"] for p in callback["parameters"] if p["in"] == "header"} \
        == {"X-MPP-Timestamp": True, "X-MPP-Signature": True}

