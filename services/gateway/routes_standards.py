"""Service standards (*standar pelayanan*, UU 25/2009 art. 21), their public consultation
(*Forum Konsultasi Publik*, PermenPAN-RB 16/2017) and the *Maklumat Pelayanan*: thin
pass-throughs to the ``standards`` service.

Public (rate-limited, no sign-in): the adopted standards and those in consultation, one
standard, its comments and their answers, the comment form (anonymous or with the name the
citizen chose to give), the *maklumat* and the *berita acara* as PDF. A draft is a 404 to the
public, as if it did not exist; public answers pass through ``public_standard`` /
``public_comment``, which keep only what the public page shows (no staff usernames in the
history, no contact of a commenter, nothing the service may add later by accident).

Staff: an agency's supervisors (and the MPP admin) draft, consult, answer, record the forum,
close and adopt. Every route that names a standard checks first whose it is: another agency's
supervisor gets 403 "not your agency" before anything changes; the service checks the actor
again.
"""
import base64
import hashlib
import hmac

from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from services.common import settings
from services.common.errors import NotFound
from services.contracts import standards as sc
from services.gateway import auth
from services.gateway import requests as req
from services.gateway.http import route
from services.gateway.openapi import AGENCY_CODE_SCHEMA
from services.gateway.ratelimit import client_key

TAG_PUBLIC, TAG_STAFF = "standards (public)", "standards"


class StandardListSchema(Schema):
    standards = fields.List(fields.Nested(sc.StandardOutSchema), required=True)


class CommentListSchema(Schema):
    comments = fields.List(fields.Nested(sc.CommentOutSchema), required=True)
PUBLIC_STATUSES = ("consultation", "adopted", "superseded")
NOT_FOUND = "Standar pelayanan tidak ditemukan / Service standard not found"
AGENCY_Q = {"agency": {"description": "only this agency's standards (its code)",
                       "schema": AGENCY_CODE_SCHEMA}}


def public_standard(doc):
    """What the public page shows of a standard (the service's public view, kept to these
    keys): its components, dates and consultation (period, invited groups, the forum's date,
    place, head counts per group and summary); the history keeps when, what and its hash chain,
    never who."""
    consultation = doc.get("consultation") or None
    if consultation:
        forum = consultation.get("forum") or None
        consultation = {k: consultation.get(k) for k in (
            "opens_on", "closes_on", "invited_groups", "closed_at") if k in consultation}
        consultation["forum"] = {k: forum.get(k) for k in (
            "held_on", "place", "participants", "summary")} if forum else None
    out = {k: doc.get(k) for k in (
        "id", "agency", "subject", "version", "status", "status_label", "title", "title_en",
        "components", "opening_hours", "effective_from", "review_due", "review_overdue",
        "consultation_open", "superseded_by", "created_at", "updated_at", "agency_name",
        "agency_name_en", "subject_name", "subject_name_en") if k in doc}
    out["consultation"] = consultation
    out["history"] = [{"at": h.get("at"), "by": None, "action": h.get("action"),
                       "hash": h.get("hash"), "prev": h.get("prev")}
                      for h in doc.get("history") or []]
    return out


def public_comment(comment):
    """A comment as the public reads it: the text, the group its author named, whether they
    gave a name (never the name), when, and the answer (outcome and reason)."""
    answer = comment.get("answer") or None
    if answer:
        answer = {k: answer.get(k) for k in ("outcome", "outcome_label", "reason", "at")
                  if k in answer}
    return {"id": comment.get("id"), "text": comment.get("text"),
            "group": comment.get("group") or None, "named": bool(comment.get("named")),
            "at": comment.get("at"), "answer": answer}


def _pdf(b64, filename):
    response = Response(base64.b64decode(b64), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="{}"'.format(filename)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _safe(text):
    return "".join(c for c in str(text) if c.isalnum() or c in "-_")[:80] or "standar"


def _actor(principal):
    return {"username": principal.subject, "role": principal.role, "agency": principal.agency}


class StandardRoutes:

    # -- helpers ------------------------------------------------------------------------------

    def _public_standard_doc(self, standard_id):
        """The standard as the public may read it; a draft, or no such standard, is the same
        404 (the service decides)."""
        return self._call(self.standards.public_standard, standard_id)

    def _standard_in_scope(self, principal, standard_id):
        """The standard if the principal supervises its agency (the admin: any); 404 for no
        such standard, 403 for another agency's."""
        doc = self._call(self.standards.get_standard, standard_id)
        auth.require(principal, auth.SUPERVISORS, doc.get("agency"))
        return doc

    def _act_on(self, request, standard_id, method, *args, schema=None):
        """A supervisor's step on a standard: the body checked by ``schema`` (422 before
        anything), the standard in the caller's agency (403 otherwise), then
        ``method(actor, standard_id, *args, body)`` on the standards service."""
        principal = self._staff(request, auth.SUPERVISORS)
        body = (self._body(request, schema),) if schema is not None else ()
        self._standard_in_scope(principal, standard_id)
        return req.json_response(self._call(method, _actor(principal), standard_id, *args,
                                            *body))

    def _comment_client(self, request):
        """Who comments, as the abuse limits count them: a keyed hash of the client's address
        (the standards service never holds the address itself), and the retry key."""
        address = client_key(request,
                             tuple(settings.get(self.config, "GATEWAY_TRUSTED_PROXIES")))
        key = hmac.new(self.tokens.secret.encode("utf-8"), b"standards-comments",
                       hashlib.sha256).digest()
        return {"address": hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:32],
                "idempotency_key": req.idempotency_key(request)}

    # -- public --------------------------------------------------------------------------------

    @route("GET", "/api/v1/public/standards", public=True, tags=[TAG_PUBLIC], query=AGENCY_Q,
           operation_id="listPublicStandards", response=StandardListSchema,
           summary="Service standards the public may read: adopted ones and those in "
                   "consultation, with their components and review date (no personal data)")
    def public_standards(self, request):
        agency = request.args.get("agency") or None
        docs = self._call(self.standards.public_standards, agency)
        return req.json_response({"standards": [public_standard(d) for d in docs]})

    @route("GET", "/api/v1/public/standards/<string:standard_id>", public=True,
           tags=[TAG_PUBLIC],
           operation_id="getPublicStandard", response=sc.StandardOutSchema,
           summary="One standard (adopted, superseded or in consultation; a draft is a 404)")
    def public_standard(self, request, standard_id):
        return req.json_response(public_standard(self._public_standard_doc(standard_id)))

    @route("GET", "/api/v1/public/standards/<string:standard_id>/comments", public=True,
           tags=[TAG_PUBLIC],
           operation_id="listPublicStandardComments", response=CommentListSchema,
           summary="The consultation's comments and their answers (a name only where its "
                   "author gave one; no contact)")
    def public_comments(self, request, standard_id):
        self._public_standard_doc(standard_id)
        comments = self._call(self.standards.list_comments, standard_id, True)
        return req.json_response({"comments": [public_comment(c) for c in comments]})

    @route("POST", "/api/v1/public/standards/<string:standard_id>/comments", public=True,
           tags=[TAG_PUBLIC], body=sc.CommentSchema, status=201, problems=(404,),
           operation_id="addStandardComment", response=sc.CommentOutSchema,
           summary="Comment on a standard in consultation, anonymously or with a name and "
                   "group (users, community, academics, business, press); closed "
                   "consultation: 409")
    def add_public_comment(self, request, standard_id):
        body = self._body(request, sc.CommentSchema)
        self._public_standard_doc(standard_id)
        added = self._call(self.standards.add_comment, standard_id, body,
                           self._comment_client(request))
        return req.json_response(public_comment(added), status=201)

    @route("GET", "/api/v1/public/standards/<string:standard_id>/maklumat.pdf", public=True,
           tags=[TAG_PUBLIC], produces="application/pdf", problems=(409,),
           operation_id="getStandardMaklumatPdf",
           summary="The Maklumat Pelayanan (service pledge) of an adopted standard, as PDF in "
                   "Bahasa Indonesia")
    def maklumat_pdf(self, request, standard_id):
        self._public_standard_doc(standard_id)
        return _pdf(self._call(self.standards.maklumat_pdf, standard_id),
                    "maklumat-pelayanan-{}.pdf".format(_safe(standard_id)))

    @route("GET", "/api/v1/public/standards/<string:standard_id>/berita-acara.pdf",
           public=True, tags=[TAG_PUBLIC], produces="application/pdf", problems=(409,),
           operation_id="getStandardBeritaAcaraPdf",
           summary="The berita acara (minutes) of the standard's public consultation forum, "
                   "as PDF in Bahasa Indonesia (no personal data)")
    def berita_acara_pdf(self, request, standard_id):
        self._public_standard_doc(standard_id)
        return _pdf(self._call(self.standards.berita_acara_pdf, standard_id),
                    "berita-acara-{}.pdf".format(_safe(standard_id)))

    # -- staff: supervisors of the agency, the MPP admin ------------------------------------

    @route("GET", "/api/v1/standards", tags=[TAG_STAFF], auth="supervisor",
           query=dict(AGENCY_Q, status={"description": "draft, consultation, adopted or superseded",
                                         "schema": {"type": "string", "enum": list(sc.STATUSES)}}),
           operation_id="listStandards", response=StandardListSchema,
           summary="The standards of the caller's agency (the admin: all, or one agency), "
                   "every status")
    def list_standards(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        docs = self._call(self.standards.list_standards, agency,
                          request.args.get("status") or None)
        return req.json_response({"standards": docs})

    @route("POST", "/api/v1/standards", tags=[TAG_STAFF], auth="supervisor", body=sc.DraftSchema,
           status=201,
           operation_id="createStandard", response=sc.StandardOutSchema,
           summary="Draft a standard for a permit type or queue service of the caller's "
                   "agency: the fourteen components")
    def create_standard(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        body = self._body(request, sc.DraftSchema)
        if principal.role != "admin" and not body.get("agency"):
            body["agency"] = principal.agency
        auth.require(principal, auth.SUPERVISORS, body.get("agency") or None)
        doc = self._call(self.standards.create_draft, _actor(principal), body)
        return req.json_response(doc, status=201, headers={
            "Location": "/api/v1/standards/{}".format(doc.get("id"))})

    @route("GET", "/api/v1/standards/<string:standard_id>", tags=[TAG_STAFF],
           auth="supervisor", operation_id="getStandard", response=sc.StandardOutSchema,
           summary="One standard of the caller's agency, every status")
    def get_standard(self, request, standard_id):
        principal = self._staff(request, auth.SUPERVISORS)
        return req.json_response(self._standard_in_scope(principal, standard_id))

    @route("PUT", "/api/v1/standards/<string:standard_id>", tags=[TAG_STAFF],
           auth="supervisor", body=sc.DraftUpdateSchema,
           operation_id="updateStandard", response=sc.StandardOutSchema,
           summary="Change a draft (a standard in consultation or adopted: 409)")
    def update_standard(self, request, standard_id):
        return self._act_on(request, standard_id, self.standards.update_draft,
                            schema=sc.DraftUpdateSchema)

    @route("GET", "/api/v1/standards/<string:standard_id>/comments", tags=[TAG_STAFF],
           auth="supervisor",
           operation_id="listStandardComments", response=CommentListSchema,
           summary="Every comment of the standard's consultation with its answer, for the "
                   "agency that answers them")
    def staff_comments(self, request, standard_id):
        principal = self._staff(request, auth.SUPERVISORS)
        self._standard_in_scope(principal, standard_id)
        return req.json_response({"comments": self._call(self.standards.list_comments,
                                                         standard_id, False)})

    @route("POST", "/api/v1/standards/<string:standard_id>/consultation", tags=[TAG_STAFF],
           auth="supervisor", body=sc.ConsultationSchema,
           operation_id="openStandardConsultation", response=sc.StandardOutSchema,
           summary="Open the public consultation on a draft: its period and the invited "
                   "groups")
    def open_consultation(self, request, standard_id):
        return self._act_on(request, standard_id, self.standards.open_consultation,
                            schema=sc.ConsultationSchema)

    @route("POST", "/api/v1/standards/<string:standard_id>/comments/<string:comment_id>/answer",
           tags=[TAG_STAFF], auth="supervisor", body=sc.AnswerSchema,
           operation_id="answerStandardComment", response=sc.CommentOutSchema,
           summary="Answer a comment: accepted, partly or rejected, with the reason")
    def answer_comment(self, request, standard_id, comment_id):
        return self._act_on(request, standard_id, self.standards.answer_comment, comment_id,
                            schema=sc.AnswerSchema)

    @route("POST", "/api/v1/standards/<string:standard_id>/forum", tags=[TAG_STAFF],
           auth="supervisor", body=sc.ForumSchema,
           operation_id="recordStandardForum", response=sc.StandardOutSchema,
           summary="Record the forum meeting: date, place, participants per group, summary")
    def record_forum(self, request, standard_id):
        return self._act_on(request, standard_id, self.standards.record_forum,
                            schema=sc.ForumSchema)

    @route("POST", "/api/v1/standards/<string:standard_id>/consultation/close",
           tags=[TAG_STAFF], auth="supervisor",
           operation_id="closeStandardConsultation", response=sc.StandardOutSchema,
           summary="Close the consultation (no more comments)")
    def close_consultation(self, request, standard_id):
        return self._act_on(request, standard_id, self.standards.close_consultation)

    @route("POST", "/api/v1/standards/<string:standard_id>/adopt", tags=[TAG_STAFF],
           auth="supervisor", body=sc.AdoptSchema,
           operation_id="adoptStandard", response=sc.StandardOutSchema,
           summary="Adopt the standard from a date; refused (409) while the consultation is "
                   "open or a comment is unanswered. The services that run it follow by event")
    def adopt_standard(self, request, standard_id):
        return self._act_on(request, standard_id, self.standards.adopt,
                            schema=sc.AdoptSchema)
