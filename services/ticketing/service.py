"""Ticketing service entrypoints: each RPC and timer delegates to the feature module that
does the work, passing the worker itself (``self``) as ``ctx``.

- ``issuing``: walk-in tickets, visits, the holder's view, cancel;
- ``counter_desk``: open/close a counter, call next or a named ticket, recall, skip, start,
  complete, transfer (``near_front`` tells the tickets near the front after each call);
- ``booking_desk``: availability, book, cancel a booking, check in;
- ``catalogue_admin``: agencies, services, counters, settings;
- ``boards``: display boards, queue status, metrics;
- ``waiting_list``: who waits for a counter's services, in call order, and what it serves now;
- ``day_end``: day statistics and close-out;
- ``practice_report``: a month's waits and service times per service (promise against practice);
- ``outbox``: ``ticket_issued`` a broker loss (or a dead process) left owed, on a timer;
- standards' ``standard_adopted``: a queue service's hours and expected service minutes
  from its adopted standard (``standard_terms``);
- permits' ``calendar_changed``: the local copy of the MPP calendar (``common.calendar``),
  whose holidays and days off close issuing and bookings (``catalogue_reads.calendar``).

Rules live in plain modules (``states``, ``queue``, ``calling``, ``bookings``, ``hours``,
``eta``, ``followups``, ``closeout``, ``stats``, ``catalogue``, ``views``); ``store`` is the
only module that touches the collections.

This process's memory, shared by its workers, is declared here: ``tails`` (the last number
it took in each ``_id`` sequence), ``cache`` (a few seconds of catalogue reads),
``call_locks`` (its workers take turns per service when calling) and ``issuer`` (its id on
the tickets it inserts and the ones it has not announced yet: ``outbox``).
"""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy, rpc
from nameko.timer import timer

from services.common import boot, calendar
from services.common import clock as clk
from services.common.events import Events, SubscriberQueues, handles
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.common.sequences import Tails
from services.contracts import events as ev
from services.ticketing import (boards, booking_desk, catalogue_admin, catalogue_reads,
                                counter_desk, day_end, issuing, number_lookup, outbox,
                                practice_report, standard_terms, store, waiting_list)

boot.install()


class TicketingService(HealthMixin):
    name = "ticketing"

    db = Mongo("ticketing", store.ensure_indexes)
    events = Events()
    subscriber_queues = SubscriberQueues()  # declared before an agency's state goes out
    permits = RpcProxy(ev.PERMITS)   # the MPP calendar, only while no copy is kept
    config = Config()
    clock = clk.Clock()
    tails = Tails()
    cache = catalogue_reads.Cache()
    call_locks = counter_desk.CallLocks()
    issuer = outbox.Issuer()

    # -- the MPP calendar (holidays close issuing and bookings) ------------------------------

    @handles(ev.PERMITS, ev.CALENDAR_CHANGED)
    def on_calendar_changed(self, event):
        calendar.keep_event(store.calendar_copies(self.db), event)

    @handles(ev.STANDARDS, ev.STANDARD_ADOPTED)
    def on_standard_adopted(self, event):
        """An adopted standard's hours and service minutes become the service's."""
        standard_terms.adopt(self, event)

    # -- catalogue --------------------------------------------------------------------------

    @rpc
    def load_catalogue(self, data):
        return catalogue_admin.load_catalogue(self, data)

    @rpc
    def list_agencies(self):
        return catalogue_admin.list_agencies(self)

    @rpc
    def get_service(self, service_id):
        return catalogue_admin.get_service(self, service_id)

    @rpc
    def list_counters(self, agency=None):
        return catalogue_admin.list_counters(self, agency)

    @rpc
    def get_counter(self, counter_id):
        return catalogue_admin.get_counter(self, counter_id)

    @rpc
    def reference_agency(self, reference):
        return catalogue_admin.reference_agency(self, reference)

    @rpc
    def upsert_agency(self, data):
        return catalogue_admin.upsert_agency(self, data)

    @rpc
    def retire_agency(self, code):
        return catalogue_admin.retire_agency(self, code)

    @rpc
    def set_agency_state(self, code, data):
        return catalogue_admin.set_agency_state(self, code, data)

    @rpc
    def upsert_service(self, data):
        return catalogue_admin.upsert_service(self, data)

    @rpc
    def upsert_counter(self, data):
        return catalogue_admin.upsert_counter(self, data)

    @rpc
    def update_settings(self, data):
        return catalogue_admin.update_settings(self, data)

    # -- walk-in tickets --------------------------------------------------------------------

    @rpc
    def issue_ticket(self, service_id, priority_group=None, contact=None, language="id",
                     idempotency_key=None):
        return issuing.issue_ticket(self, service_id, priority_group, contact, language,
                                    idempotency_key)

    @rpc
    def issue_visit(self, steps, priority_group=None, contact=None, language="id",
                    idempotency_key=None):
        return issuing.issue_visit(self, steps, priority_group, contact, language,
                                   idempotency_key)

    @rpc
    def get_ticket(self, ticket_id, access_token):
        return issuing.get_ticket(self, ticket_id, access_token)

    @rpc
    def ticket_by_number(self, number):
        return number_lookup.ticket_by_number(self, number)

    @rpc
    def cancel_ticket(self, ticket_id, access_token):
        return issuing.cancel_ticket(self, ticket_id, access_token)

    # -- queue views ------------------------------------------------------------------------

    @rpc
    def queue_status(self, service_id):
        return boards.queue_status(self, service_id)

    @rpc
    def board(self, agency=None):
        return boards.board(self, agency)

    @rpc
    def boards(self, agencies):
        return boards.boards(self, agencies)

    def domain_metrics(self):
        return boards.domain_metrics(self)

    # -- counters ---------------------------------------------------------------------------

    @rpc
    def counter_waiting(self, counter_id):
        return waiting_list.counter_waiting(self, counter_id)

    @rpc
    def open_counter(self, counter_id, officer):
        return counter_desk.open_counter(self, counter_id, officer)

    @rpc
    def close_counter(self, counter_id, officer):
        return counter_desk.close_counter(self, counter_id, officer)

    @rpc
    def call_next(self, counter_id, officer):
        return counter_desk.call_next(self, counter_id, officer)

    @rpc
    def call_ticket(self, counter_id, ticket_id, officer, reason):
        return counter_desk.call_ticket(self, counter_id, ticket_id, officer, reason)

    @rpc
    def recall(self, ticket_id, counter_id, officer):
        return counter_desk.recall(self, ticket_id, counter_id, officer)

    @rpc
    def skip(self, ticket_id, counter_id, officer, return_to_queue=False):
        return counter_desk.skip(self, ticket_id, counter_id, officer, return_to_queue)

    @rpc
    def start(self, ticket_id, counter_id, officer):
        return counter_desk.start(self, ticket_id, counter_id, officer)

    @rpc
    def complete(self, ticket_id, counter_id, officer):
        return counter_desk.complete(self, ticket_id, counter_id, officer)

    @rpc
    def transfer(self, ticket_id, counter_id, officer, target_service_id, reason=None):
        return counter_desk.transfer(self, ticket_id, counter_id, officer, target_service_id,
                                     reason)

    # -- bookings ---------------------------------------------------------------------------

    @rpc
    def availability(self, service_id, date):
        return booking_desk.availability(self, service_id, date)

    @rpc
    def book(self, service_id, date, slot_start, name, phone, nik=None, language="id",
             idempotency_key=None):
        return booking_desk.book(self, service_id, date, slot_start, name, phone, nik,
                                 language, idempotency_key)

    @rpc
    def cancel_booking(self, code, phone):
        return booking_desk.cancel_booking(self, code, phone)

    @rpc
    def check_in(self, code):
        return booking_desk.check_in(self, code)

    # -- statistics and close-out -----------------------------------------------------------

    @rpc
    def day_statistics(self, day=None, agency=None):
        return day_end.day_statistics(self, day, agency)

    @rpc
    def practice(self, agency=None, month=None):
        return practice_report.queue_practice(self, agency, month)

    @rpc
    def close_day(self, day=None):
        return day_end.close_day(self, day)

    @timer(interval=3600)
    def close_past_days(self):
        day_end.close_past_days(self)

    @timer(interval=5)
    def outbox_timer(self):
        outbox.tick(self)

    @timer(interval=300)
    def standard_terms_timer(self):
        """A queue service's adopted standard takes effect on its day."""
        standard_terms.tick(self)
