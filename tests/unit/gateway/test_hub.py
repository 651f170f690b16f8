"""The live-update hub: who gets what, and board snapshots asked for once per burst."""
from services.gateway.hub import Hub, Subscription, safe_event


def test_an_event_reaches_its_agencys_boards_and_the_mpp_boards_once_encoded():
    hub = Hub(limit=10)
    samsat, dukcapil, mpp = (hub.subscribe(Subscription("board", agency=a))
                             for a in ("samsat", "disdukcapil", None))
    event = safe_event("ticket_called", {"ticket_id": "t1", "number": "H-001",
                                         "agency": "samsat", "contact": {"phone": "0811"}})
    assert hub.publish(event) == 2
    frame = samsat.queue.get_nowait()
    assert frame is mpp.queue.get_nowait()  # the same bytes: encoded once
    assert frame.startswith(b"event: ticket_called\ndata: ") and b"0811" not in frame
    assert dukcapil.queue.empty()


def test_a_burst_of_events_asks_for_one_snapshot_per_audience():
    hub = Hub(limit=10)
    for agency in ("samsat", "disdukcapil", None):
        hub.subscribe(Subscription("board", agency=agency))
    hub.subscribe(Subscription("counter", counter_id="c1", services=["s1"]))
    for _ in range(100):
        hub.mark_boards("samsat")
    assert hub.take_dirty() == {"samsat", None}
    assert hub.take_dirty() == set()  # taken: nothing more until the next event
    hub.mark_boards("bpjs")  # nobody watches bpjs' own board; the MPP board shows it
    assert hub.take_dirty() == {None}


def test_no_more_streams_than_the_limit():
    hub = Hub(limit=2)
    assert hub.subscribe(Subscription("board")) and hub.subscribe(Subscription("board"))
    assert hub.subscribe(Subscription("board")) is None


def test_boards_get_calls_and_snapshots_not_every_ticket():
    hub = Hub(limit=10)
    board = hub.subscribe(Subscription("board", agency="samsat"))
    counter = hub.subscribe(Subscription("counter", counter_id="samsat-7",
                                         services=["samsat-pkb"]))
    issued = {"ticket_id": "t1", "number": "H-001", "service_id": "samsat-pkb",
              "agency": "samsat"}
    assert hub.publish(safe_event("ticket_issued", issued)) == 1  # the counter console only
    assert board.queue.empty() and not counter.queue.empty()
    assert hub.publish(safe_event("ticket_called", dict(issued, counter_id="samsat-7"))) == 2
    assert hub.publish({"type": "board", "agency": "samsat", "board": {}}) == 1


def test_a_snapshot_equal_to_the_last_one_is_not_sent_again():
    hub = Hub(limit=10)
    board = hub.subscribe(Subscription("board", agency="samsat"))
    snapshot = {"counters": [], "last_called": [], "waiting": {"samsat-pkb": 3}}
    assert hub.publish_board("samsat", snapshot) == 1
    assert hub.publish_board("samsat", dict(snapshot)) == 0
    assert hub.publish_board("samsat", dict(snapshot, waiting={"samsat-pkb": 4})) == 1
    assert board.queue.qsize() == 2


def test_a_board_that_left_is_no_longer_an_audience():
    hub = Hub(limit=10)
    first = hub.subscribe(Subscription("board", agency="samsat"))
    second = hub.subscribe(Subscription("board", agency="samsat"))
    hub.unsubscribe(first)
    assert hub.board_agencies() == {"samsat"}
    hub.unsubscribe(second)
    hub.mark_boards("samsat")
    assert hub.board_agencies() == set() and hub.take_dirty() == set()


def test_the_index_delivers_to_exactly_the_streams_that_want_a_message():
    """``publish`` looks subscribers up in an index instead of asking each stream; it must
    reach exactly those ``wants`` accepts, also after streams leave."""
    import random

    rng = random.Random(7)
    agencies = ["samsat", "disdukcapil", "bpjs", None]
    services = ["s{}".format(i) for i in range(6)]
    counters = ["c{}".format(i) for i in range(4)]
    hub = Hub(limit=500)
    subs = []
    for _ in range(200):
        if rng.random() < 0.6:
            subs.append(hub.subscribe(Subscription("board", agency=rng.choice(agencies))))
        else:
            subs.append(hub.subscribe(Subscription(
                "counter", counter_id=rng.choice(counters),
                services=rng.sample(services, rng.randint(0, 3)))))
    for sub in subs[::3]:
        hub.unsubscribe(sub)
    alive = [s for i, s in enumerate(subs) if i % 3]
    kinds = ["board", "ticket_called", "ticket_recalled", "ticket_issued", "ticket_transferred",
             "counter_opened"]
    for n in range(300):
        message = {"type": rng.choice(kinds), "agency": rng.choice(agencies),
                   "counter_id": rng.choice(counters + [None]),
                   "service_id": rng.choice(services + [None]),
                   "to_service_id": rng.choice(services + [None]), "n": n}
        wanted = {id(s) for s in alive if s.wants(message)}
        assert hub.publish(message) == len(wanted)
        got = {id(s) for s in alive if not s.queue.empty()}
        assert got == wanted
        for s in alive:
            while not s.queue.empty():
                s.queue.get_nowait()
    for sub in alive:
        hub.unsubscribe(sub)
    assert len(hub) == 0 and not hub._index


def test_a_board_snapshot_goes_to_its_own_audience_only():
    """The board page draws whatever snapshot it is sent: the MPP-wide board must never be
    sent an agency's board (it would show that agency alone), nor an agency the MPP's."""
    hub = Hub(limit=10)
    mpp = hub.subscribe(Subscription("board"))
    samsat = hub.subscribe(Subscription("board", agency="samsat"))
    assert hub.publish_board("samsat", {"waiting": {"samsat-pkb": 1}}) == 1
    assert mpp.queue.empty() and not samsat.queue.empty()
    samsat.queue.get_nowait()
    assert hub.publish_board(None, {"waiting": {"samsat-pkb": 1, "ktp": 2}}) == 1
    assert samsat.queue.empty() and not mpp.queue.empty()
    mpp.queue.get_nowait()
    # a call is announced on both
    assert hub.publish(safe_event("ticket_called", {"agency": "samsat", "number": "H-1"})) == 2
