"""Feedback: the satisfaction survey (by the token in the invitation, no login), complaints,
the public statistics, and the supervisors' views (complaints of their agency, the LAPOR!
export, element scores beside what was measured).

Public routes never return personal data; survey free text and complaints travel as JSON
data (the web client renders them with ``textContent``). Staff see only their own agency's
complaints (``auth.scope_agency``): another agency's complaint is a 404, as if it did not
exist."""
import segno
from werkzeug.wrappers import Response

from services.common.errors import ValidationFailed
from services.contracts import feedback as fc
from services.contracts.messages import INVALID_DATA
from services.gateway import auth
from services.gateway import requests as req
from services.contracts import api as rs
from services.gateway.http import route
from services.gateway.routes_public import TOKEN_DOC, _ticket_token

TAG_SURVEY, TAG_COMPLAINTS, TAG_STATS = "surveys", "complaints", "statistics"
FORMAT = {"format": "json (default) or csv; or send Accept: text/csv"}
MONTH = {"month": "YYYY-MM (default: this month in the MPP's zone)"}


def _wants_csv(request):
    wanted = (request.args.get("format") or "").lower()
    if wanted:
        if wanted not in ("csv", "json"):
            raise ValidationFailed(INVALID_DATA, {"fields": {
                "format": ["csv atau json / csv or json."]}})
        return wanted == "csv"
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def _csv(text, filename):
    response = Response(text.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="{}"'.format(filename)
    return response


def _svg(url):
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff",
                                                omitsize=True)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


class FeedbackRoutes:

    # -- survey (public, by token) ------------------------------------------------------------

    @route("GET", "/api/v1/surveys/<string:token>", operation_id="getSurvey",
           response=rs.SurveyForm,
           public=True, tags=[TAG_SURVEY],
           summary="The survey form of an invitation: elements to rate (1-4), whether it "
                   "was answered already")
    def survey_form(self, request, token):
        return req.json_response(self._call(self.feedback.get_survey, token))

    @route("POST", "/api/v1/surveys/<string:token>", operation_id="answerSurvey",
           response=rs.SurveyAnswered,
           public=True, tags=[TAG_SURVEY],
           body=fc.SurveyAnswerSchema, status=201,
           summary="Answer the survey once (ratings by element code, free text); a reused "
                   "token is a 409, a forged one a 404")
    def survey_answer(self, request, token):
        body = self._body(request, fc.SurveyAnswerSchema)
        return req.json_response(self._call(self.feedback.submit_survey, token, body),
                                 status=201)

    @route("GET", "/api/v1/tickets/<string:ticket_id>/survey",
           operation_id="getTicketSurvey", response=rs.SurveyLink,
           public=True, tags=[TAG_SURVEY],
           headers=TOKEN_DOC,
           summary="The survey link of a completed ticket (for the kiosk or the citizen's "
                   "phone); 404 until the ticket is completed")
    def ticket_survey(self, request, ticket_id):
        self._call(self.ticketing.get_ticket, ticket_id, _ticket_token(request))  # its token
        link = self._call(self.feedback.survey_link, ticket_id)
        return req.json_response({"survey_url": link["survey_url"]},
                                 headers={"Cache-Control": "private, no-store"})

    @route("GET", "/api/v1/feedback/survey-link/<string:reference>.svg",
           operation_id="getSurveyLinkQr",
           tags=[TAG_SURVEY],
           auth="staff", produces="image/svg+xml",
           summary="QR code of the survey link of a ticket or application the officer's "
                   "agency completed (to show the citizen at the counter)")
    def survey_qr(self, request, reference):
        principal = self._staff(request)
        link = self._call(self.feedback.survey_link, reference)
        auth.require(principal, auth.STAFF, link["agency"])
        return _svg(link["survey_url"])

    # -- complaints (public) --------------------------------------------------------------------

    @route("POST", "/api/v1/complaints", operation_id="fileComplaint", response=rs.ComplaintFiled,
           public=True, tags=[TAG_COMPLAINTS],
           body=fc.ComplaintSchema, idempotent=True, status=201,
           summary="File a complaint, suggestion or input (pengaduan, saran, masukan) about a "
                   "ticket or tracking code, or to an agency; answered within 5 working days")
    def file_complaint(self, request):
        body = self._body(request, fc.ComplaintSchema)
        agencies = [a["code"] for a in self._call(self.ticketing.list_agencies)]
        filed = self._call(self.feedback.file_complaint, body, agencies,
                           req.idempotency_key(request))
        return req.json_response(filed, status=201, headers={
            "Location": "/api/v1/complaints/{}".format(filed["id"])})

    @route("GET", "/api/v1/complaints/<string:complaint_id>", operation_id="getComplaintStatus",
           response=rs.ComplaintStatus,
           public=True,
           tags=[TAG_COMPLAINTS],
           summary="A complaint's status, deadline and response (its id is the secret)")
    def complaint_status(self, request, complaint_id):
        return req.json_response(self._call(self.feedback.complaint_status, complaint_id),
                                 headers={"Cache-Control": "private, no-store"})

    # -- statistics (public) --------------------------------------------------------------------

    @route("GET", "/api/v1/statistics", operation_id="getStatistics", response=rs.PublicStatistics,
           public=True, tags=[TAG_STATS],
           query=dict(FORMAT, **MONTH), produces=("application/json", "text/csv"),
           summary="Public statistics per agency and service: visitors today and this month, "
                   "average and 90th-percentile wait, permits' SLA compliance, IKM and grade")
    def public_statistics(self, request):
        month = request.args.get("month") or None
        if _wants_csv(request):
            text = self._call(self.feedback.statistics_csv, month)
            return _csv(text, "statistik-mpp-{}.csv".format(month or "bulan-ini"))
        return req.json_response(self._call(self.feedback.statistics, month))

    # -- staff -----------------------------------------------------------------------------------

    @route("GET", "/api/v1/feedback/complaints", operation_id="listComplaints",
           response=rs.ComplaintList,
           tags=[TAG_COMPLAINTS], auth="staff",
           query=dict({"status": "received, in_progress, answered or closed",
                       "agency": "agency (admin only)"}, **MONTH),
           summary="Complaints of the caller's agency (an admin: all, or one agency)")
    def list_complaints(self, request):
        principal = self._staff(request)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response(self._call(
            self.feedback.list_complaints, agency, request.args.get("status") or None,
            request.args.get("month") or None))

    @route("GET", "/api/v1/feedback/complaints/<string:complaint_id>", operation_id="getComplaint",
           tags=[TAG_COMPLAINTS],
           auth="staff", response=fc.ComplaintOutSchema,
           summary="One complaint of the caller's agency, with its history")
    def get_complaint(self, request, complaint_id):
        principal = self._staff(request)
        return req.json_response(self._call(self.feedback.get_complaint, complaint_id,
                                            auth.scope_agency(principal)))

    @route("POST", "/api/v1/feedback/complaints/<string:complaint_id>",
           operation_id="answerComplaint",
           tags=[TAG_COMPLAINTS],
           auth="staff", body=fc.ComplaintReplySchema, response=fc.ComplaintOutSchema,
           summary="Move a complaint on: in_progress, answered (with the response), closed")
    def reply_complaint(self, request, complaint_id):
        principal = self._staff(request)
        body = self._body(request, fc.ComplaintReplySchema)
        return req.json_response(self._call(
            self.feedback.update_complaint, complaint_id,
            dict(body, officer=principal.subject), auth.scope_agency(principal)))

    @route("GET", "/api/v1/feedback/lapor-export", operation_id="exportLapor",
           response=rs.LaporExport,
           tags=[TAG_COMPLAINTS], auth="supervisor",
           query=dict(FORMAT, status="only this status", agency="agency (admin only)",
                      **MONTH), produces=("application/json", "text/csv"),
           summary="Complaints in the fields SP4N-LAPOR! takes (no NIK, no contact), to "
                   "forward them")
    def lapor_export(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        args = (agency, request.args.get("status") or None, request.args.get("month") or None)
        if _wants_csv(request):
            return _csv(self._call(self.feedback.lapor_export, *args, "csv"),
                        "lapor-{}.csv".format(agency or "mpp"))
        return req.json_response(self._call(self.feedback.lapor_export, *args))

    @route("GET", "/api/v1/feedback/perception",
           operation_id="getPerception", response=rs.MonthItems,
           tags=[TAG_STATS], auth="supervisor",
           query=dict({"agency": "agency (admin only)"}, **MONTH),
           summary="Each service's element scores beside what was measured (wait, service "
                   "time, SLA)")
    def perception(self, request):
        return self._supervised_month(request, self.feedback.perception)

    @route("GET", "/api/v1/feedback/comments",
           operation_id="listSurveyComments", response=rs.MonthItems,
           tags=[TAG_STATS], auth="supervisor",
           query=dict({"agency": "agency (admin only)"}, **MONTH),
           summary="Survey free text of the month (returned as data; show it as text)")
    def survey_comments(self, request):
        return self._supervised_month(request, self.feedback.survey_comments)

    def _supervised_month(self, request, method):
        """A supervisor's (or admin's) view of one agency and month: ``method(agency, month)``."""
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response(self._call(method, agency, request.args.get("month") or None))

    @route("GET", "/api/v1/admin/ikm-elements",
           operation_id="getIkmElements", response=rs.IkmElements,
           tags=[TAG_STATS], auth="admin",
           summary="The IKM elements and their weights")
    def ikm_elements(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response(self._call(self.feedback.get_elements))

    @route("PUT", "/api/v1/admin/ikm-elements", operation_id="saveIkmElements",
           response=rs.IkmElements,
           tags=[TAG_STATS], auth="admin",
           body=fc.ElementsSchema,
           summary="Set the IKM elements (the nine regulated ones plus any added); weights "
                   "must sum to exactly 1 (e.g. 1/10 each)")
    def set_ikm_elements(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, fc.ElementsSchema)
        return req.json_response(self._call(self.feedback.set_elements, body))
