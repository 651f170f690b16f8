"""A create retried with its Idempotency-Key announces a ticket the first attempt wrote but
never announced (the broker went away, or the process died, in between), under the ticket's
one event id, so consumers that did hear of it skip the repeat."""
import pytest
from nameko.exceptions import RemoteError

from services.common.errors import Conflict
from services.common.events import Events
from services.ticketing import issuing
from services.ticketing.service import TicketingService
from services.ticketing.views import contact_event_id, issued_event_id
from tests.support import wait_for

PHONE = "0811-0000-0003"
REAL_EMIT_ISSUED = issuing.emit_issued


class LosesFirstAnnouncement:
    """The first ``ticket_issued`` is lost after its ticket was written."""

    lost = []

    @classmethod
    def emit_issued(cls, ctx, ticket, contact=None):
        if not cls.lost:
            cls.lost.append(ticket["_id"])
            raise ConnectionResetError("the broker went away")
        return REAL_EMIT_ISSUED(ctx, ticket, contact)


def test_a_retry_announces_what_the_first_attempt_wrote_but_did_not(harness, monkeypatch):
    LosesFirstAnnouncement.lost = []
    monkeypatch.setattr(issuing, "emit_issued", LosesFirstAnnouncement.emit_issued)
    rpc = harness.start()
    with pytest.raises(RemoteError):
        rpc.issue_ticket("ktp", contact={"phone": PHONE}, idempotency_key="kiosk-9")
    assert harness.db.tickets.count_documents({}) == 1      # written, not announced
    assert harness.events("ticket_issued") == []

    ticket = rpc.issue_ticket("ktp", idempotency_key="kiosk-9")      # the kiosk's retry
    [event] = harness.wait_events("ticket_issued", 1)
    assert ticket["id"] == LosesFirstAnnouncement.lost[0]
    assert event["ticket_id"] == ticket["id"] and event["number"] == ticket["number"]
    assert event["event_id"] == issued_event_id(ticket["id"])
    assert "contact" not in event
    [given] = harness.wait_events("ticket_contact_given", 1)
    assert given["event_id"] == contact_event_id(ticket["id"])
    assert given["contact"]["phone"], "the first attempt's contact is announced"

    rpc.issue_ticket("ktp", idempotency_key="kiosk-9")               # retried once more
    events = harness.wait_events("ticket_issued", 2)
    assert {e["event_id"] for e in events} == {issued_event_id(ticket["id"])}
    given = harness.wait_events("ticket_contact_given", 2)
    assert {e["event_id"] for e in given} == {contact_event_id(ticket["id"])}
    assert harness.db.tickets.count_documents({}) == 1


def test_a_new_ticket_is_announced_under_its_own_id(harness):
    rpc = harness.start()
    first = rpc.issue_ticket("ktp")
    second = rpc.issue_ticket("ktp")
    events = harness.wait_events("ticket_issued", 2)
    assert [e["event_id"] for e in events] == [issued_event_id(first["id"]),
                                               issued_event_id(second["id"])]
    assert harness.events("ticket_contact_given") == []   # no contact left: nothing to tell


class LosesFirstPublish(Events):
    """The broker refuses the first ``ticket_issued`` publish (as a lost connection does)."""

    lost = []

    def get_dependency(self, worker_ctx):
        emit = super().get_dependency(worker_ctx)

        def maybe_lost(event_type, payload, version=1):
            if event_type == "ticket_issued" and not LosesFirstPublish.lost:
                LosesFirstPublish.lost.append(payload["ticket_id"])
                raise ConnectionResetError("the broker went away")
            return emit(event_type, payload, version)

        return maybe_lost


class BrokerLostOnce(TicketingService):
    events = LosesFirstPublish()


def test_the_outbox_announces_what_was_never_retried(harness, clock):
    """The kiosk never retries: the outbox timer announces the ticket (and its contact) once
    its announcement has been owed longer than a retry would take."""
    LosesFirstPublish.lost = []
    rpc = harness.start(service_class=BrokerLostOnce)
    with pytest.raises(RemoteError):
        rpc.issue_ticket("ktp", contact={"phone": PHONE})            # no key, no retry
    [ticket_id] = LosesFirstPublish.lost
    assert harness.db.owed.count_documents({}) == 1
    others = rpc.issue_ticket("kk"), rpc.issue_ticket("kk")
    with pytest.raises(Conflict):
        rpc.issue_ticket("kk")                                       # quota: nothing owed
    clock.advance(seconds=20)
    [event] = harness.wait_events("ticket_issued", 1, ticket_id=ticket_id)
    assert event["event_id"] == issued_event_id(ticket_id)
    [given] = harness.wait_events("ticket_contact_given", 1)
    assert given["ticket_id"] == ticket_id and given["contact"]["phone"]
    wait_for(lambda: harness.db.owed.count_documents({}) == 0, message="nothing owed")
    assert {e["ticket_id"] for e in harness.events("ticket_issued")} == \
        {ticket_id} | {t["id"] for t in others}


def test_a_ticket_whose_process_died_before_announcing_it_is_announced(harness, clock,
                                                                       monkeypatch):
    """The process is killed after a ticket's insert and before its announcement, and the
    kiosk never retries: once that process has been silent long enough, another one
    announces the ticket (and its contact)."""
    from eventlet.event import Event
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common.sequences import Tails
    from services.ticketing.catalogue_reads import Cache
    from services.ticketing.counter_desk import CallLocks
    from services.ticketing.outbox import Issuer
    from tests.integration.ticketing.conftest import CATALOGUE

    inserted, never = [], Event()

    def killed_here(ctx, ticket, contact=None):
        inserted.append(ticket["_id"])
        never.wait()

    monkeypatch.setattr(issuing, "emit_issued", killed_here)
    dying = type("DyingTicketing", (TicketingService,), {
        "clock": clock, "tails": Tails(), "cache": Cache(), "call_locks": CallLocks(),
        "issuer": Issuer()})
    runner = harness.runner_factory(harness.config, dying)
    runner.start()
    with ClusterRpcProxy(harness.config, timeout=60) as cluster:
        cluster.ticketing.load_catalogue(CATALOGUE)
        cluster.ticketing.issue_ticket.call_async("ktp", contact={"phone": PHONE})  # no retry
        wait_for(lambda: inserted, message="the ticket is written")
        runner.kill()
    monkeypatch.undo()
    [ticket_id] = inserted
    assert harness.db.owed.count_documents({}) == 0      # it could mark nothing

    # the process that is left (the broker hands it the dead one's unanswered request, a
    # second ticket: a kiosk without a key cannot say it is the same citizen)
    harness.start()
    assert harness.events("ticket_issued", ticket_id=ticket_id) == []
    clock.advance(seconds=40)
    [event] = harness.wait_events("ticket_issued", 1, ticket_id=ticket_id)
    assert event["event_id"] == issued_event_id(ticket_id)
    [given] = harness.wait_events("ticket_contact_given", 1, ticket_id=ticket_id)
    assert given["contact"]["phone"]
