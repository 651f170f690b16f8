"""Permit applications, permits and connector callbacks: thin pass-throughs to ``permits``.

Public: file an application (Idempotency-Key honoured), add documents and read its status
with the tracking code *and* the applicant's PIN, act as the applicant (withdraw, resubmit),
verify a permit. Staff: the agency's work list and the transitions (the principal's role and
agency go to ``permits.act``, which refuses another agency's application). Integrators:
HMAC-signed connector callbacks (``services.common.signing``).
"""
import base64
import logging

from werkzeug.wrappers import Response

from services.common import signing
from services.common.errors import Forbidden, Unauthorized
from services.contracts import permits as pc
from services.contracts import roles
from services.contracts.messages import INVALID_DATA
from services.gateway import auth
from services.gateway import requests as req
from services.gateway import schemas as gs
from services.contracts import api as rs
from services.gateway.http import route
from services.common import settings

log = logging.getLogger(__name__)
TAG_APP, TAG_PERMIT, TAG_CONN = "applications", "permits", "connectors"


PIN_HEADER = "X-Application-Pin"
SIGNED_HEADERS = {signing.TIMESTAMP_HEADER: {"description": "Unix seconds", "required": True},
                  signing.SIGNATURE_HEADER: {"description": "sha256=<hex>", "required": True}}
PIN_PARAMETER = {PIN_HEADER: {"description": "the applicant's PIN (6 digits)", "required": True}}


def _pin(request):
    """The applicant's PIN from ``X-Application-Pin`` (``?pin=`` refused)."""
    return req.header_secret(request, "pin", PIN_HEADER, "PIN", "PIN")


class PermitRoutes:

    @route("POST", "/api/v1/applications",
           operation_id="fileApplication", response=rs.FiledApplication,
           public=True, tags=[TAG_APP],
           idempotent=pc.FileApplicationSchema().fields["idempotency_key"],
           responses={"200": {"description": "Already filed with this Idempotency-Key",
                              "content": {"application/json": {"schema": rs.FilingReplayed}}}},
           body=gs.FileApplicationRequest, problems=(404,), status=201,
           summary="File an application (documents as base64); returns tracking code and PIN")
    def file_application(self, request):
        body = self._body(request, gs.FileApplicationRequest, max_bytes=self._upload_limit())
        key = req.idempotency_key(request)
        result = self._call(self.permits.file_application, body, key)
        return req.json_response(result, status=201 if result.get("created") else 200)

    @route("GET", "/api/v1/applications/<string:tracking>",
           operation_id="getApplicationStatus", response=rs.ApplicationStatus,
           public=True, tags=[TAG_APP],
           headers=PIN_PARAMETER,
           summary="Status and history of an application (no personal data)")
    def application_status(self, request, tracking):
        return req.json_response(self._call(self.permits.get_application_public, tracking,
                                            _pin(request)))

    @route("POST", "/api/v1/applications/<string:tracking>/new-pin",
           operation_id="requestNewPin", response=rs.NewPinSent,
           public=True,
           tags=[TAG_APP], status=202,
           summary="Send a new PIN to the phone or e-mail given at filing (lifts a lock after "
                   "too many wrong PINs); the same answer for any code")
    def new_pin(self, request, tracking):
        return req.json_response(self._call(self.permits.request_new_pin, tracking), status=202)

    @route("GET", "/api/v1/applications/<string:tracking>/permit.pdf", operation_id="getPermitPdf",
           public=True,
           tags=[TAG_APP], produces="application/pdf",
           headers=PIN_PARAMETER,
           summary="The issued permit as PDF, with its verification QR code")
    def application_permit_pdf(self, request, tracking):
        pdf = base64.b64decode(self._call(self.permits.get_permit_pdf_for_applicant, tracking,
                                          _pin(request)))
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = 'attachment; filename="izin-{}.pdf"'.format(
            "".join(c for c in tracking if c.isalnum()))
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @route("POST", "/api/v1/applications/<string:tracking>/documents",
           operation_id="addDocument", response=rs.DocumentAdded,
           public=True,
           tags=[TAG_APP], body=gs.DocumentRequest, status=201,
           summary="Add or replace a document (while submitted or returned)")
    def add_document(self, request, tracking):
        body = self._body(request, gs.DocumentRequest, max_bytes=self._upload_limit())
        result = self._call(self.permits.add_document, tracking, body["pin"], body["kind"],
                            filename=body.get("filename"), media_type=body.get("media_type"),
                            content_b64=body.get("content_b64"),
                            reuse_sha256=body.get("reuse_sha256"))
        return req.json_response(result, status=201)

    @route("POST", "/api/v1/applications/<string:tracking>/applicant-actions",
           operation_id="actAsApplicant", response=rs.ApplicationChange,
           public=True,
           tags=[TAG_APP], body=gs.ApplicantActionRequest,
           summary="The applicant withdraws or resubmits")
    def applicant_act(self, request, tracking):
        body = self._body(request, gs.ApplicantActionRequest)
        return req.json_response(self._call(self.permits.applicant_act, tracking, body["pin"],
                                            body["action"], note=body.get("note")))

    @route("PUT", "/api/v1/applications/<string:tracking>/notification-preferences",
           operation_id="saveNotificationPreferences", response=rs.NotificationPreferences,
           public=True, tags=[TAG_APP], body=gs.PreferencesRequest, problems=(404,),
           summary="The applicant's notification preferences and opt-out (tracking code + PIN)")
    def application_preferences(self, request, tracking):
        body = self._body(request, gs.PreferencesRequest)
        # the same secret as the status page: a wrong code or PIN is one 404
        self._call(self.permits.get_application_public, tracking, body["pin"])
        reference = self._call(self.permits.application_id_of, tracking)
        saved = self._call(self.notifications.set_preferences, reference, body["preferences"])
        saved.pop("reference", None)  # the internal id stays inside
        return req.json_response(saved)

    # -- staff -----------------------------------------------------------------------------

    @route("GET", "/api/v1/applications", operation_id="listApplications", response=rs.WorkList,
           tags=[TAG_APP], auth="staff",
           query={"agency": {"description": "the agency (an officer's or supervisor's own; "
                                            "the MPP admin names one)", "required": True},
                  "state": "workflow state",
                  "limit": "page size", "after": "cursor"},
           summary="The agency's work list, with SLA state")
    def work_list(self, request):
        principal = self._staff(request)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        if agency is None:
            from services.common.errors import ValidationFailed

            raise ValidationFailed(INVALID_DATA,
                                   {"fields": {"agency": ["Wajib diisi / Required."]}})
        try:
            limit = int(request.args.get("limit", 50))
        except ValueError:
            limit = -1
        return req.json_response(self._call(self.permits.list_applications, agency,
                                            state=request.args.get("state") or None,
                                            limit=limit, after=request.args.get("after") or None))

    @route("GET", "/api/v1/applications/by-id/<string:application_id>",
           operation_id="getApplication", response=rs.StaffApplication,
           tags=[TAG_APP],
           auth="staff", summary="An application as staff see it (NIK masked)")
    def application(self, request, application_id):
        principal = self._staff(request)
        self._application_in_scope(principal, application_id)
        agency = None if principal.role == roles.ADMIN else principal.agency
        return req.json_response(self._call(self.permits.get_application, application_id, agency,
                                            role=principal.role, actor=principal.subject))

    @route("GET", "/api/v1/applications/by-id/<string:application_id>/history/verify",
           operation_id="verifyApplicationHistory", response=rs.HistoryCheck, tags=[TAG_APP],
           auth="staff", summary="Is the application's hash-chained history intact? (every "
                                 "hash recomputed, every link and the head checked)")
    def verify_application_history(self, request, application_id):
        principal = self._staff(request)
        self._application_in_scope(principal, application_id)
        return req.json_response(self._call(self.permits.verify_history, application_id))

    @route("GET", "/api/v1/applications/by-id/<string:application_id>/documents/<string:kind>",
           operation_id="getApplicationDocument",
           
           tags=[TAG_APP], auth="staff", produces="application/octet-stream",
           summary="A document of the application, for the owning agency's staff")
    def application_document(self, request, application_id, kind):
        principal = self._staff(request)
        self._application_in_scope(principal, application_id)
        agency = None if principal.role == roles.ADMIN else principal.agency
        document = self._call(self.permits.get_document, application_id, agency, kind)
        response = Response(base64.b64decode(document["content_b64"]),
                            mimetype=document["media_type"])
        response.headers["Content-Disposition"] = 'attachment; filename="{}"'.format(
            "".join(c for c in document["filename"] if c.isalnum() or c in "._-"))
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @route("POST", "/api/v1/applications/by-id/<string:application_id>/actions",
           operation_id="actOnApplication", response=rs.ApplicationChange,
           tags=[TAG_APP],
           auth="staff", body=gs.ApplicationActionRequest,
           summary="A workflow action (verify, return, forward, approve, ...)")
    def act(self, request, application_id):
        principal = self._staff(request)
        body = self._body(request, gs.ApplicationActionRequest)
        self._application_in_scope(principal, application_id)
        agency = None if principal.role == roles.ADMIN else principal.agency
        return req.json_response(self._call(
            self.permits.act, application_id, body["action"], principal.subject,
            principal.role, agency, note=body.get("note"), corrections=body.get("corrections"),
            expected_seq=body.get("expected_seq")))

    # -- permits ---------------------------------------------------------------------------

    @route("GET", "/api/v1/permits/public-key",
           operation_id="getPermitPublicKey", response=rs.PermitKey,
           public=True, tags=[TAG_PERMIT],
           summary="The Ed25519 key permits are signed with")
    def permit_public_key(self, request):
        return req.json_response(self._call(self.permits.public_key))

    @route("GET", "/api/v1/permits/<path:number>/verify",
           operation_id="verifyPermit", response=rs.PermitVerification,
           public=True, tags=[TAG_PERMIT],
           query={"hash": "record hash from the QR (optional)"},
           summary="Is this permit valid, revoked, expired or unknown?")
    def verify_permit(self, request, number):
        return req.json_response(self._call(self.permits.verify_permit, number,
                                            record_hash=request.args.get("hash") or None))

    # -- connectors ------------------------------------------------------------------------

    @route("POST", "/api/v1/connectors/<string:agency>/callbacks",
           operation_id="recordConnectorDecision", response=rs.DecisionRecorded,
           tags=[TAG_CONN],
           auth="hmac", body=pc.ConnectorDecisionSchema, headers=SIGNED_HEADERS,
           summary="An agency back office reports a decision (HMAC-SHA256 signed: "
                                "X-MPP-Timestamp, X-MPP-Signature)")
    def connector_callback(self, request, agency):
        # the declared size first: a body is read only when it may be accepted
        if request.content_length is None:
            raise req.LengthRequired("Content-Length wajib / Content-Length is required")
        if request.content_length > req.MAX_JSON_BYTES:
            raise req.PayloadTooLarge("Isi permintaan terlalu besar / Request body too large")
        raw = request.get_data(cache=True)
        # configured in the environment, or set at runtime through the admin API
        secret = settings.get(self.config, "GATEWAY_CONNECTOR_SECRETS").get(agency) \
            or self._callback_secret(agency)
        if not secret:
            raise Forbidden("Konektor tidak dikenal / Unknown connector", {"agency": agency})
        refused = signing.check(secret, request.headers.get(signing.TIMESTAMP_HEADER),
                                raw, request.headers.get(signing.SIGNATURE_HEADER))
        if refused:
            # the reason tells a stale clock from a wrong secret (docs/signatures.md)
            log.warning("connector callback refused: %s", refused, extra={"entity": agency})
            raise Unauthorized(signing.REASONS[refused], {"reason": refused})
        decision = req.read_json(request)
        return req.json_response(self._call(self.permits.record_decision, agency, decision))
