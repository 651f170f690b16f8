"""``services.common.sequences`` on the real database: gapless under racing writers, the hint a
lower bound that probing corrects, a limit never overshot, a clash on another unique index
left to the caller. (Ticketing is its first user: ticket numbers, lane entries, the call log.)"""
import eventlet
import pytest
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from services.common.sequences import Hint, LimitReached, Sequence, Tails


@pytest.fixture
def db(mongo_client, db_prefix):
    return mongo_client[db_prefix + "_sequences"]


def sequence(db, prefix="s:2026-11-30", **options):
    return Sequence(db.items, prefix, Hint(db.hints, "tail:" + prefix), **options)


def test_appends_are_numbered_from_one_with_zero_padded_ids(db):
    seq = sequence(db)
    assert seq.highest() == 0
    n, doc = seq.append(lambda n: {"n": n, "what": "first"})
    assert (n, doc["_id"], doc["what"]) == (1, "s:2026-11-30:000001", "first")
    assert seq.append(lambda n: {"n": n}, last=1)[0] == 2
    assert seq.highest() == 2
    assert Sequence(db.items, "log", Hint(db.hints, "head|log"), width=9, sep="|").key(7) \
        == "log|000000007"


def test_a_lagging_hint_is_corrected_by_probing(db):
    seq = sequence(db)
    last = 0
    for _ in range(5):
        last, _ = seq.append(lambda n: {}, last=last, hint_every=100)
    assert seq.hint.read() == 1            # raised only by the append without a ``last``
    assert seq.highest() == 5
    assert seq.highest(at_least=3) == 5
    seq.hint.raise_to(3)
    seq.hint.raise_to(2)                   # $max: a lower value never lowers it
    assert seq.hint.read() == 3


def test_racing_tails_leave_no_gap_and_no_duplicate(db):
    seq = sequence(db)
    processes = [Tails(), Tails(), Tails()]   # three processes' memories
    pool = eventlet.GreenPool(30)
    numbers = list(pool.imap(lambda i: processes[i % 3].append(seq, lambda n: {"i": i})[0],
                             range(90)))
    assert sorted(numbers) == list(range(1, 91))
    assert seq.highest() == 90
    assert max(t.known(seq) for t in processes) == 90


def test_a_limit_is_never_overshot(db):
    seq = sequence(db)
    tails = Tails()
    for _ in range(3):
        tails.append(seq, lambda n: {}, limit=3)
    with pytest.raises(LimitReached) as refused:
        tails.append(seq, lambda n: {}, limit=3)
    assert refused.value.args[0] == 3
    assert db.items.count_documents({}) == 3


def test_a_clash_on_another_unique_index_is_the_callers(db):
    db.items.create_index([("idem", ASCENDING)], unique=True, name="unique_idem")
    seq = sequence(db)
    seq.append(lambda n: {"idem": "k:1"}, check_clash=True)
    with pytest.raises(DuplicateKeyError):
        seq.append(lambda n: {"idem": "k:1"}, last=1, check_clash=True)
    assert seq.append(lambda n: {"idem": "k:2"}, check_clash=True)[0] == 2
