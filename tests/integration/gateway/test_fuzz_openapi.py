"""Schemathesis against the gateway's own OpenAPI document, on the real running suite.

Every operation the document lists is fuzzed with data that fits its schema (positive) and
with data that does not (negative), anonymously for public operations and with a staff token
(admin, then an officer of one agency) for staff operations. Half the cases use ids that
exist (a counter, a queue service, an open ticket with its token, a filed application with
its PIN) so the handlers behind the "not found" are reached too. Every answer must:

- never be a 5xx (``not_a_server_error``; a 503 would mean a service did not answer);
- have a status code the operation documents (``status_code_conformance``);
- have a documented content type (``content_type_conformance``) and a body that fits the
  documented schema (``response_schema_conformance``: problem+json for every error);
- when it is a 422, name the fields that are wrong (``validation_names_fields``);
- when the request fits the document, not be refused as malformed
  (``positive_data_acceptance``: the document is as strict as the server), except for the
  operations in ``ACCEPTANCE_PENDING``, whose refusals depend on what exists or on rules
  across fields the document cannot state yet.

Generation is bounded (``MAX_EXAMPLES`` per operation, caller and mode) and seeded
(``SEED``), so a run is repeatable. A second test walks schemathesis' coverage phase: the
boundary values of every parameter and body field (empty, too long, just outside a range,
a wrong type, a missing required one), deterministic by construction. Failures of every
operation are collected and reported together. The two live-update streams
(``text/event-stream``, never ending) are left out: the live-update tests cover them.
"""
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               positive_data_acceptance,
                                               response_schema_conformance,
                                               status_code_conformance)

from tests.integration.gateway.helpers import bearer, file_reklame

SEED = 20261129
MAX_EXAMPLES = 20
REPORT_CHARS = 2500


def validation_names_fields(ctx, response, case):
    """A 422 says which field is wrong, in words an officer can act on."""
    if response.status_code == 422:
        errors = response.json().get("errors")
        assert isinstance(errors, dict) and errors, "a 422 without field messages"
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, validation_names_fields]
CREDENTIAL_HEADERS = ("authorization", "x-api-key")
#: operations a schema-valid request can still be refused by (422), for what it refers to
#: (an unknown agency, service, slot or time zone, a wrong current password) or a rule across
#: fields (a transfer needs its target, a visit repeats no service): this list only shrinks
ACCEPTANCE_PENDING = {
    "POST /api/v1/admin/accounts", "POST /api/v1/admin/api-keys", "PUT /api/v1/admin/counters",
    "PUT /api/v1/admin/ikm-elements", "PUT /api/v1/admin/permit-types",
    "PUT /api/v1/admin/services", "PUT /api/v1/admin/settings",
    "PUT /api/v1/admin/webhook-agencies/{agency}", "GET /api/v1/applications",
    "POST /api/v1/applications", "POST /api/v1/applications/by-id/{application_id}/actions",
    "POST /api/v1/auth/password", "POST /api/v1/bookings", "POST /api/v1/complaints",
    "POST /api/v1/surveys/{token}",
    "POST /api/v1/tickets/{ticket_id}/{action}", "POST /api/v1/visits",
    # a code that must match the one sent to that number; standards' steps refused for what
    # exists (the subject, the agency an admin names), dates against today or each other,
    # control characters in free text, and a forum's groups
    "POST /api/v1/phone-confirmations", "POST /api/v1/standards",
    "PUT /api/v1/standards/{standard_id}", "POST /api/v1/standards/{standard_id}/adopt",
    "POST /api/v1/standards/{standard_id}/consultation",
    "POST /api/v1/standards/{standard_id}/forum",
    "POST /api/v1/standards/{standard_id}/comments/{comment_id}/answer",
    "POST /api/v1/public/standards/{standard_id}/comments"}


def _checks(operation):
    if operation.label in ACCEPTANCE_PENDING:
        return CHECKS
    return CHECKS + [positive_data_acceptance]


def _operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/stream/"):
            continue
        yield operation


def _known_things(api):
    """Ids that exist, so fuzzing gets past "not found": a ticket and an application."""
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb"})
    assert ticket.status_code == 201, ticket.text
    app = file_reklame(api, "fuzz-0001")
    return {
        "path": {"counter_id": "samsat-7", "service_id": "samsat-pkb",
                 "ticket_id": ticket.json()["id"], "application_id": app["application_id"],
                 "tracking": app["tracking_code"], "agency": "dpmptsp", "key_id": "0" * 12},
        "query": {"token": ticket.json()["access_token"], "pin": app["pin"]},
    }


def _strategy(operation, mode, known):
    names = {p.name for p in operation.path_parameters}
    path = {k: v for k, v in known["path"].items() if k in names}
    query_names = {p.name for p in operation.query}
    query = {k: v for k, v in known["query"].items() if k in query_names}
    generic = operation.as_strategy(generation_mode=mode)
    if not path and not query:
        return generic
    existing = operation.as_strategy(generation_mode=mode, path_parameters=path or None,
                                     query=query or None)
    return st.one_of(generic, existing)


def _strip_credentials(case):
    """The caller's credentials are sent, never generated ones."""
    if case.headers:
        for name in [h for h in case.headers if h.lower() in CREDENTIAL_HEADERS]:
            del case.headers[name]


def _report(operation, mode, exc):
    return "{} {} [{}]: {}".format(operation.method.upper(), operation.path, mode,
                                   str(exc)[:REPORT_CHARS])


def _fuzz(operation, mode, strategy, base_url, session, headers):
    """Run ``MAX_EXAMPLES`` cases of ``operation``; return the first failure's report."""
    @seed(SEED)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        _strip_credentials(case)
        case.call_and_validate(base_url=base_url, session=session, headers=headers,
                               checks=_checks(operation))

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (no parameters, or free strings only)
        return None
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
        return _report(operation, mode.value, exc)
    return None


@pytest.mark.timeout(900)
def test_every_documented_operation_survives_fuzzing(api, service_config):
    base_url = "http://{}".format(service_config["WEB_SERVER_ADDRESS"])
    document = api.get("/api/v1/openapi.json")
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(document.json())
    known = _known_things(api)
    callers = {"anonymous": {}, "admin": bearer(api, "admin"),
               "officer": bearer(api, "samsat.officer")}
    failures, ran = [], 0
    session = requests.Session()
    for operation in _operations(schema):
        staff = bool(operation.definition.raw.get("security"))
        for who in (("admin", "officer") if staff else ("anonymous",)):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                ran += 1
                failure = _fuzz(operation, mode, _strategy(operation, mode, known), base_url,
                                session, callers[who])
                if failure:
                    failures.append("as {}: {}".format(who, failure))
    assert ran > 40
    assert not failures, "\n\n".join(failures)


@pytest.mark.timeout(600)
def test_every_documented_operation_at_its_boundaries(api, service_config):
    base_url = "http://{}".format(service_config["WEB_SERVER_ADDRESS"])
    schema = schemathesis.openapi.from_dict(api.get("/api/v1/openapi.json").json())
    admin = bearer(api, "admin")
    session = requests.Session()
    failures, ran = {}, 0
    for operation in _operations(schema):
        headers = admin if operation.definition.raw.get("security") else {}
        for case in schema.iter_coverage_cases(
                operation, generation_modes=list(GenerationMode),
                generation_config=schema.config.generation_for(operation=operation)):
            ran += 1
            _strip_credentials(case)
            try:
                case.call_and_validate(base_url=base_url, session=session, headers=headers,
                                       checks=_checks(operation))
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
                failures.setdefault(operation.label, _report(operation, "coverage", exc))
    assert ran > 500
    assert not failures, "\n\n".join(failures.values())
