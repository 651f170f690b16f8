"""Standards service: the *standar pelayanan* of every agency service (UU 25/2009 art. 21,
PermenPAN-RB 15/2014), its Forum Konsultasi Publik (PermenPAN-RB 16/2017), the *berita acara*
and the *Maklumat Pelayanan*, periodic review, and whether what runs keeps the promise.

Entrypoints only: ``drafting`` (draft, consultation, adoption, lists, the adoption outbox),
``consultation`` (comments, answers, forum, closing), ``compliance`` (promise against the
running configuration, asked of permits and ticketing over RPC); rules in ``rules`` and the
PDFs in ``papers`` (pure); ``ledger`` reads a standard as of its hash-chained history;
``store`` is the one storage door.

``actor`` is ``{"username", "role", "agency"}`` as the gateway passes staff: the agency's
supervisor acts on its own agency's standards, the MPP admin on all.
"""
import base64

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.common import boot
from services.common import clock as clk
from services.common.errors import Conflict
from services.common.events import Events, SubscriberQueues
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.contracts import events as ev
from services.contracts import standards as sc
from services.standards import compliance, papers, store
from services.standards.consultation import Consultation
from services.standards.drafting import Drafting
from services.standards.ledger import Ledger
from services.standards.running import Running
from services.standards.settings import Settings

boot.install()

OUTBOX_TIMER_SECONDS = 5


class StandardsService(HealthMixin):
    name = ev.STANDARDS

    db = Mongo("standards", store.ensure_indexes)
    config = Config()
    events = Events()
    subscriber_queues = SubscriberQueues()
    permits = RpcProxy(ev.PERMITS)
    ticketing = RpcProxy(ev.TICKETING)
    clock = clk.Clock()

    @property
    def ledger(self):
        return Ledger(self.db, self.clock, Settings(self.config))

    @property
    def running(self):
        return Running(self.permits, self.ticketing)

    @property
    def drafting(self):
        return Drafting(self.ledger, self.running, self._emit)

    def _emit(self, event_type, payload):
        """Every event goes out here; the queues of the services that must hear an adoption
        are declared first, so one deployed after the adoption still gets it."""
        for service, method in ev.SUBSCRIBERS.get(event_type, ()):
            self.subscriber_queues.ensure(event_type, service, method)
        self.events(event_type, payload)

    @property
    def consultation(self):
        return Consultation(self.ledger)

    # -- drafts and their life -------------------------------------------------------------

    @rpc
    def create_draft(self, actor, data):
        return self.drafting.create(actor, data)

    @rpc
    def update_draft(self, actor, standard_id, data):
        return self.drafting.update(actor, standard_id, data)

    @rpc
    def get_standard(self, standard_id):
        return self.drafting.get(standard_id)

    @rpc
    def list_standards(self, agency=None, status=None):
        return self.drafting.list(agency, status)

    @rpc
    def verify_history(self, standard_id):
        """``{"intact": bool, "bad_seq": int | None, "entries": n}``: the hash chain
        recomputed from the stored entries against the head kept on the standard."""
        return self.drafting.verify(standard_id)

    @rpc
    def public_standards(self, agency=None):
        """Adopted standards and those in consultation; no drafts, no names."""
        return self.drafting.public(agency)

    @rpc
    def public_standard(self, standard_id):
        """One standard as the public may read it (a draft is not found)."""
        return self.drafting.public_one(standard_id)

    @rpc
    def open_consultation(self, actor, standard_id, data):
        return self.drafting.open_consultation(actor, standard_id, data)

    @rpc
    def adopt(self, actor, standard_id, data):
        """Refused (409) while the consultation is open or a comment is unanswered."""
        consultation = self.consultation
        return self.drafting.adopt(actor, standard_id, data, consultation.unanswered)

    @rpc
    def due_for_review(self, agency=None):
        return self.drafting.due_for_review(agency)

    @timer(interval=OUTBOX_TIMER_SECONDS)
    def outbox_timer(self):
        self.drafting.announce_stranded()

    # -- the consultation --------------------------------------------------------------------

    @rpc
    def add_comment(self, standard_id, data, client=None):
        """``client``: the caller's address, or ``{"address", "idempotency_key"}``."""
        return self.consultation.add_comment(standard_id, data, client)

    @rpc
    def list_comments(self, standard_id, public=True):
        return self.consultation.comments(standard_id, public)

    @rpc
    def answer_comment(self, actor, standard_id, comment_id, data):
        return self.consultation.answer(actor, standard_id, comment_id, data)

    @rpc
    def record_forum(self, actor, standard_id, data):
        return self.consultation.record_forum(actor, standard_id, data)

    @rpc
    def close_consultation(self, actor, standard_id):
        return self.consultation.close(actor, standard_id)

    # -- papers ------------------------------------------------------------------------------

    @rpc
    def berita_acara_pdf(self, standard_id):
        """The forum's minutes (base64 PDF); 409 before the forum is recorded."""
        standard = self.drafting.public_one(standard_id)
        if not (standard.get("consultation") or {}).get("forum"):
            raise Conflict("Forum konsultasi publik belum dicatat / The public consultation "
                           "forum is not recorded yet", {"id": standard_id})
        comments = self.consultation.comments(standard_id, public=True)
        pdf = papers.berita_acara(standard, comments, standard["agency_name"],
                                  Settings(self.config).mpp_name)
        return base64.b64encode(pdf).decode("ascii")

    @rpc
    def maklumat_pdf(self, standard_id):
        """The service pledge (base64 PDF) of an adopted standard; 409 before adoption."""
        standard = self.drafting.public_one(standard_id)
        if standard["status"] not in (sc.ADOPTED, sc.SUPERSEDED):
            raise Conflict("Standar belum ditetapkan / The standard is not adopted yet",
                           {"id": standard_id})
        pdf = papers.maklumat(standard, standard["agency_name"],
                              Settings(self.config).mpp_name)
        return base64.b64encode(pdf).decode("ascii")

    # -- promise against what runs -----------------------------------------------------------

    @rpc
    def compliance(self, agency=None):
        return compliance.compliance(self.ledger, self.running, agency)
