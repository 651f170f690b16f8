"""Who may move a ticket: only a counter of the ticket's own agency acts on it, and a
transfer cannot move a citizen ahead of people who waited longer.

The rule for a transfer: a ticket that was *called or served* at the counter keeps its
arrival time in the new queue (the citizen already waited their turn and is sent on); a
ticket that is still *waiting* (nobody served it: a wrong service chosen at the kiosk) joins
the new queue at the back, as if it arrived at the moment of the transfer."""
import pytest

from services.common.errors import Forbidden


def issue(rpc, clock, service_id):
    clock.advance(seconds=1)
    return rpc.issue_ticket(service_id)


def test_a_counter_cannot_act_on_another_agencys_ticket(harness, clock):
    rpc = harness.start()
    capil_ticket = issue(rpc, clock, "ktp")
    rpc.open_counter("c3", "rudi")  # Samsat's counter
    with pytest.raises(Forbidden):
        rpc.transfer(capil_ticket["id"], "c3", "rudi", "pkb", reason="ambil alih")
    with pytest.raises(Forbidden):
        rpc.call_ticket("c3", capil_ticket["id"], "rudi", "bukan antrean saya")
    for action in ("recall", "start", "complete"):
        with pytest.raises(Forbidden):
            getattr(rpc, action)(capil_ticket["id"], "c3", "rudi")
    with pytest.raises(Forbidden):
        rpc.skip(capil_ticket["id"], "c3", "rudi", True)
    still = rpc.get_ticket(capil_ticket["id"], capil_ticket["access_token"])
    assert still["status"] == "waiting" and still["service_id"] == "ktp"
    assert not harness.events("ticket_transferred")


def test_a_waiting_ticket_transferred_joins_the_back_of_the_new_queue(harness, clock):
    rpc = harness.start()
    waiting_kk = issue(rpc, clock, "kk")
    late_ktp = issue(rpc, clock, "ktp")
    rpc.open_counter("c2", "sari")  # serves ktp and kk
    clock.advance(minutes=5)
    moved = rpc.transfer(waiting_kk["id"], "c2", "sari", "ktp", reason="salah pilih layanan")
    new = moved["next_ticket"]
    assert new["arrived_at"] > late_ktp["arrived_at"]
    # the ticket that was already waiting for KTP-el is called first
    assert rpc.call_next("c2", "sari")["id"] == late_ktp["id"]
