"""Feedback service: satisfaction surveys (IKM), complaints, and the public statistics.

It keeps its own figures from other services' events (durable ``handles`` handlers, each
write a unique insert keyed by the ticket or application, so a redelivered event changes
nothing):

- ticketing ``ticket_issued`` / ``ticket_called`` / ``ticket_completed``: visitors, the wait
  from issue to first call, the service time; a completed ticket invites its citizen;
- permits ``application_submitted`` / ``application_status_changed`` / ``permit_issued``:
  applications and whether each was decided within its SLA; an issued permit invites;
- permits ``calendar_changed``: the local copy of the MPP calendar complaint deadlines count
  working days on (``services.common.calendar``).

An invitation is the event ``survey_invited`` (``reference`` = ticket or application id,
``survey_url``): notifications knows the citizen's contact by that reference and sends it.

Entrypoints only: the work is in ``intake`` (events), ``surveying`` (invitations, answers,
elements), ``complaint_desk`` (complaints) and ``reports`` (statistics); the rules they apply
are in ``ikm``, ``surveys``, ``complaints`` and ``stats``; ``store`` is the one storage door.
"""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc

from services.common import boot, calendar
from services.common import clock as clk
from services.common.events import Events, handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.contracts import events as ev
from services.feedback import settings, store
from services.feedback.complaint_desk import ComplaintDesk
from services.feedback.intake import Intake
from services.feedback.reports import Reports
from services.feedback.surveying import Surveys

boot.install()


class FeedbackService(HealthMixin):
    name = "feedback"

    db = Mongo("feedback", store.ensure_indexes)
    config = Config()
    events = Events()
    permits = RpcProxy(ev.PERMITS)
    clock = clk.Clock()

    @property
    def surveys(self):
        return Surveys(self.db, self.config, self.clock, self.events)

    @property
    def intake(self):
        return Intake(self.db, settings.tz(self.config), self.surveys)

    @property
    def desk(self):
        return ComplaintDesk(self.db, self.config, self.clock, self.events, self.permits)

    @property
    def reports(self):
        return Reports(self.db, self.config, self.clock)

    # -- what happened at the counters -------------------------------------------------------

    @handles(ev.TICKETING, ev.TICKET_ISSUED)
    def on_ticket_issued(self, event):
        self.intake.ticket_issued(event)

    @handles(ev.TICKETING, ev.TICKET_CALLED)
    def on_ticket_called(self, event):
        self.intake.ticket_called(event)

    @handles(ev.TICKETING, ev.TICKET_COMPLETED)
    def on_ticket_completed(self, event):
        self.intake.ticket_completed(event)

    # -- what happened to applications, and the MPP calendar ----------------------------------

    @handles(ev.PERMITS, ev.APPLICATION_SUBMITTED)
    def on_application_submitted(self, event):
        self.intake.application_submitted(event)

    @handles(ev.PERMITS, ev.APPLICATION_STATUS_CHANGED)
    def on_application_status_changed(self, event):
        self.intake.application_status_changed(event)

    @handles(ev.PERMITS, ev.PERMIT_ISSUED)
    def on_permit_issued(self, event):
        self.intake.permit_issued(event)

    @handles(ev.PERMITS, ev.CALENDAR_CHANGED)
    def on_calendar_changed(self, event):
        calendar.keep_event(store.calendar_copies(self.db), event)

    # -- surveys ----------------------------------------------------------------------------

    @rpc
    def survey_link(self, reference):
        """The survey link of a ticket or application once it was invited (for the kiosk or
        counter screen after completion); ``NotFound`` before."""
        return self.surveys.link(reference)

    @rpc
    def get_survey(self, token):
        return self.surveys.form(token)

    @rpc
    def submit_survey(self, token, data):
        return self.surveys.answer(token, data)

    @rpc
    def get_elements(self):
        return self.surveys.elements()

    @rpc
    def set_elements(self, data):
        return self.surveys.set_elements(data)

    @rpc
    def survey_comments(self, agency=None, month=None):
        """Free text of a month's answers (staff): returned as data, shown as text."""
        return self.surveys.comments(agency, month)

    # -- complaints -------------------------------------------------------------------------

    @rpc
    def file_complaint(self, data, known_agencies=None, idempotency_key=None):
        """A complaint, suggestion or input. ``known_agencies``: the codes the caller knows
        (the gateway passes ticketing's), so a typo is a 422 instead of a lost complaint.
        A retry with the same ``idempotency_key`` gets the first complaint back."""
        return self.desk.file(data, known_agencies, idempotency_key)

    @rpc
    def get_complaint(self, complaint_id, agency=None):
        """Staff view; ``agency``: the caller's scope (another agency's is not found)."""
        return self.desk.get(complaint_id, agency)

    @rpc
    def complaint_status(self, complaint_id):
        """What the citizen who filed it sees (its id is the secret: 64 random bits)."""
        return self.desk.status(complaint_id)

    @rpc
    def list_complaints(self, agency=None, status=None, month=None):
        return self.desk.list(agency, status, month)

    @rpc
    def update_complaint(self, complaint_id, data, agency=None):
        """Move a complaint on (``in_progress``, ``answered`` with a response, ``closed``).
        The insert of step ``seq + 1`` decides between two officers acting at once."""
        return self.desk.update(complaint_id, data, agency)

    @rpc
    def lapor_export(self, agency=None, status=None, month=None, format="json"):
        """Complaints as SP4N-LAPOR! takes them (``complaints.LAPOR_FIELDS``), JSON or CSV;
        no NIK, name, phone or e-mail (we never keep a NIK; contacts stay here)."""
        return self.desk.lapor_export(agency, status, month, format)

    # -- statistics -------------------------------------------------------------------------

    @rpc
    def statistics(self, month=None):
        """Public figures (no personal data) per agency and service, for a month (default
        this one) and today: visitors, waits (average, 90th percentile), SLA compliance of
        permits decided, IKM and grade; and the same for the whole MPP."""
        return self.reports.statistics(month)

    @rpc
    def statistics_csv(self, month=None):
        return self.reports.statistics_csv(month)

    @rpc
    def perception(self, agency=None, month=None):
        """For supervisors: each service's element scores beside what was measured
        ("waktu penyelesaian" beside the measured wait, service time and SLA)."""
        return self.reports.perception(agency, month)

    @rpc
    def service_ikm(self, agency=None, month=None):
        """Promise against practice: the IKM of each service (queue service or permit type)
        in a month, with its grade and number of respondents (no personal data)."""
        return self.reports.service_ikm(agency, month)
