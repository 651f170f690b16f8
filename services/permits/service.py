"""Permits service entrypoints: each RPC and timer hands its call to the feature module that
does the work, with a ``Context`` of this worker's dependencies.

Feature modules (orchestration, through ``store``): ``catalogue`` (permit types, the
calendar), ``filing`` (filing, documents), ``acting`` (actions, transitions, their events),
``applications`` (reading an application as of its newest step, the writes after a step),
``views`` (applicant and staff views, work lists, history), ``connector_desk`` (what
connectors read and report), ``issuing`` (permits, verification, PDF), ``sla_schedule`` and
``sla_sweep`` (SLA checks), ``outbox`` (events a dead process owed), ``standard_terms`` (an
adopted service standard made the permit type's terms), ``practice_report`` (promise against
practice). Rules (plain data, no storage): ``workflow``, ``sla``, ``history``, ``tracking``,
``documents``, ``permit_types``, ``issuance``, ``practice``. Storage: ``store`` (read its docstring for the concurrency design).
"""
from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.timer import timer

from services.common import boot
from services.common import clock as clk
from services.common.events import Events, SubscriberQueues, handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.permits import (acting, applications, catalogue, connector_desk,
                              connector_registry, erasure, filing, issuing, nik_rekey,
                              outbox, practice_report, sla_sweep, standard_terms, store,
                              views, webhook_agencies)
from services.contracts import events as ev
from services.permits.context import Context

boot.install()

SWEEP_TIMER_SECONDS = 5  # the timer ticks often; PERMITS_SLA_SWEEP_SECONDS spaces the sweeps
OUTBOX_TIMER_SECONDS = 2  # how often steps a dead process left unannounced are looked for


class PermitsService(HealthMixin):
    name = "permits"

    db = Mongo("permits", store.ensure_indexes)
    events = Events()
    subscriber_queues = SubscriberQueues()
    config = Config()
    clock = clk.Clock()

    @property
    def _ctx(self):
        return Context(self.db, self.config, self.clock, self._emit, self.subscriber_queues)

    def _emit(self, event_type, payload):
        """Every event permits publishes goes out here (enveloped by ``Events``)."""
        self.events(event_type, payload)

    def domain_metrics(self):
        return sla_sweep.metrics(self._ctx) + connector_registry.metrics(self._ctx)

    # -- permit types and calendar -------------------------------------------------------

    @rpc
    def load_catalogue(self, data):
        return catalogue.load_catalogue(self._ctx, data)

    @rpc
    def upsert_permit_type(self, data):
        return catalogue.upsert_permit_type(self._ctx, data)

    @rpc
    def list_permit_types(self, agency=None):
        return catalogue.list_permit_types(self._ctx, agency)

    @handles(ev.TICKETING, ev.AGENCY_STATE_CHANGED)
    def on_agency_state_changed(self, event):
        """The copy of an agency's state that filing checks (the latest change wins)."""
        store.keep_agency_state(self.db, event["agency"], event["state"], event["changed_at"])

    @handles(ev.STANDARDS, ev.STANDARD_ADOPTED)
    def on_standard_adopted(self, event):
        """An adopted standard's requirements, SLA and fee become a new type version."""
        standard_terms.adopt(self._ctx, event)

    @rpc
    def retire_permit_type(self, permit_type_id, data):
        return catalogue.retire_permit_type(self._ctx, permit_type_id, data)

    @rpc
    def practice(self, agency=None, month=None):
        return practice_report.permit_practice(self._ctx, agency, month)

    @rpc
    def get_calendar(self):
        return catalogue.get_calendar(self._ctx)

    @rpc
    def set_calendar(self, data):
        return catalogue.set_calendar(self._ctx, data)

    # -- filing and documents --------------------------------------------------------------

    @rpc
    def file_application(self, data, idempotency_key=None):
        return filing.file_application(self._ctx, data, idempotency_key)

    @rpc
    def add_document(self, tracking_code, pin, kind, filename=None, media_type=None,
                     content_b64=None, reuse_sha256=None):
        return filing.add_document(self._ctx, tracking_code, pin, kind, filename, media_type,
                                   content_b64, reuse_sha256)

    # -- reading applications ----------------------------------------------------------

    @rpc
    def application_agency(self, application_id):
        return applications.agency_of(self._ctx, application_id)

    @rpc
    def request_new_pin(self, tracking_code):
        return applications.request_new_pin(self._ctx, tracking_code)

    @rpc
    def application_id_of(self, tracking_code):
        return applications.id_of_tracking(self._ctx, tracking_code)

    @rpc
    def get_application_public(self, tracking_code, pin):
        return views.public_status(self._ctx, tracking_code, pin)

    @rpc
    def get_permit_pdf_for_applicant(self, tracking_code, pin):
        return views.applicant_permit_pdf(self._ctx, tracking_code, pin)

    @rpc
    def get_application(self, application_id, agency, role=None, actor=None):
        return views.staff_application(self._ctx, application_id, agency, role, actor)

    @rpc
    def get_document(self, application_id, agency, kind):
        return views.staff_document(self._ctx, application_id, agency, kind)

    @rpc
    def list_applications(self, agency, state=None, limit=50, after=None):
        return views.work_list(self._ctx, agency, state, limit, after)

    @rpc
    def history(self, application_id, agency=None):
        return views.full_history(self._ctx, application_id, agency)

    @rpc
    def verify_history(self, application_id):
        return views.verify_history(self._ctx, application_id)

    # -- acting ------------------------------------------------------------------------

    @rpc
    def act(self, application_id, action, actor, role, agency, note=None, corrections=None,
            expected_seq=None):
        return acting.act(self._ctx, application_id, action, actor, role, agency, note,
                          corrections, expected_seq)

    @rpc
    def applicant_act(self, tracking_code, pin, action, note=None):
        return acting.applicant_act(self._ctx, tracking_code, pin, action, note)

    # -- connectors ----------------------------------------------------------------------

    @rpc
    def get_application_for_connector(self, application_id, connector):
        return connector_desk.application_for_connector(self._ctx, application_id, connector)

    @rpc
    def record_decision(self, agency, decision):
        return connector_desk.record_decision(self._ctx, agency, decision)

    @rpc
    def connector_report(self, report):
        """A connector service's state (it reports on a timer and when it suspends)."""
        return connector_registry.report(self._ctx, report)

    @rpc
    def list_connectors(self, agency=None):
        return connector_registry.list_connectors(self._ctx, agency)

    @rpc
    def get_connector(self, name):
        return connector_registry.get_connector(self._ctx, name)

    @rpc
    def put_webhook_agency(self, agency, data):
        return webhook_agencies.put(self._ctx, agency, data)

    @rpc
    def get_webhook_agency(self, agency):
        return webhook_agencies.get(self._ctx, agency)

    @rpc
    def list_webhook_agencies(self):
        return webhook_agencies.list_all(self._ctx)

    # -- issued permits ------------------------------------------------------------------

    @rpc
    def verify_permit(self, number, record_hash=None, pdf_b64=None):
        return issuing.verify_permit(self._ctx, number, record_hash, pdf_b64)

    @rpc
    def get_permit_pdf(self, number):
        return issuing.permit_pdf(self._ctx, number)

    @rpc
    def public_key(self):
        return issuing.public_key(self._ctx)

    # -- SLA and the outbox --------------------------------------------------------------

    @rpc
    def sla_sweep(self, at=None):
        """Run the SLA sweep now (the timer does it every ``PERMITS_SLA_SWEEP_SECONDS``);
        ``at`` (ISO-8601) lets tests and operators sweep as of an instant."""
        return sla_sweep.sweep_at(self._ctx, at)

    @timer(interval=SWEEP_TIMER_SECONDS)
    def sla_timer(self):
        sla_sweep.tick(self._ctx)

    @rpc
    def erase_personal_data(self, at=None):
        """Erase applicants' personal data due (``erasure``) as of ``at`` (default now)."""
        return erasure.erase(self._ctx, at)

    @rpc
    def rekey_nik(self, limit=None):
        """Reseal a batch of stored NIKs under the current key (``nik_rekey``)."""
        return nik_rekey.rekey(self._ctx, limit)

    @timer(interval=3600)
    def erasure_timer(self):
        erasure.erase(self._ctx)

    @timer(interval=OUTBOX_TIMER_SECONDS)
    def outbox_timer(self):
        outbox.tick(self._ctx)
