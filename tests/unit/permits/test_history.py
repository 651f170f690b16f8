import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from services.permits import history

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)


def chain(n=4):
    steps = [(None, "submitted", "submit"), ("submitted", "intake_check", "start_intake"),
             ("intake_check", "returned", "return"), ("returned", "resubmitted", "resubmit"),
             ("resubmitted", "intake_check", "start_intake")]
    entries, previous = [], None
    for i, (frm, to, action) in enumerate(steps[:n]):
        previous = history.new_entry(previous, "app-1", T0 + timedelta(hours=i), "u{}".format(i),
                                     "officer", frm, to, action,
                                     note="Foto KTP buram" if action == "return" else None)
        entries.append(previous)
    return entries


def test_shape_and_genesis():
    first = chain(1)[0]
    assert set(first) == {"application_id", "seq", "at", "actor", "role", "from", "to",
                          "action", "note", "details", "prev_hash", "hash"}
    assert first["seq"] == 1 and first["prev_hash"] == "0" * 64
    assert first["at"] == "2026-03-02T03:00:00Z"


def test_hash_is_sha256_of_canonical_json_without_hash():
    entry = chain(3)[2]
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry["hash"] == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_links():
    entries = chain()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    for a, b in zip(entries, entries[1:]):
        assert b["prev_hash"] == a["hash"]


def test_intact_chain_verifies_and_store_ids_are_ignored():
    entries = [dict(e, _id="x{}".format(e["seq"])) for e in chain()]
    assert history.verify(entries) == (True, None)
    assert history.verify(entries, entries[-1]["hash"]) == (True, None)
    assert history.verify([]) == (True, None)


@pytest.mark.parametrize("field,value", [("note", "Foto KTP jelas"), ("actor", "someone"),
                                         ("to", "accepted"), ("at", "2026-03-02T05:00:01Z"),
                                         ("role", "admin"), ("details", {"x": 1})])
def test_any_edit_is_found_at_its_seq(field, value):
    entries = chain()
    entries[2] = dict(entries[2], **{field: value})
    assert history.verify(entries) == (False, 3)


def test_edit_with_rehash_breaks_the_next_link():
    entries = chain()
    forged = dict(entries[1], note="ditambahkan")
    forged["hash"] = history.entry_hash(forged)
    entries[1] = forged
    assert history.verify(entries) == (False, 3)


def test_deletion_reordering_and_truncation():
    entries = chain()
    assert history.verify(entries[:1] + entries[2:]) == (False, 3)
    assert history.verify([entries[1], entries[0]] + entries[2:]) == (False, 2)
    assert history.verify(entries[:3], head_hash=entries[3]["hash"]) == (False, 4)
    assert history.verify(entries[1:]) == (False, 2)


def test_from_must_follow_to():
    entries = chain()
    forged = dict(entries[1], **{"from": "accepted"})
    forged["hash"] = history.entry_hash(forged)
    assert history.verify([entries[0], forged]) == (False, 2)


def test_mixed_applications_refused():
    a = chain(2)
    other = history.new_entry(None, "app-2", T0, "x", "officer", None, "submitted", "submit")
    with pytest.raises(ValueError):
        history.new_entry(other, "app-1", T0, "x", "officer", "submitted", "x", "y")
    b = dict(a[1], application_id="app-2")
    b["hash"] = history.entry_hash(b)
    assert history.verify([a[0], b]) == (False, 2)


def test_naive_time_and_floats_refused():
    with pytest.raises(ValueError):
        history.new_entry(None, "a", datetime(2026, 1, 1), "x", "r", None, "submitted", "s")
    with pytest.raises(TypeError):
        history.new_entry(None, "a", T0, "x", "r", None, "submitted", "s", details={"f": 1.5})


def test_canonical_json():
    assert history.canonical_json({"b": 1, "a": ["é", None]}) == \
        '{"a":["é",null],"b":1}'.encode("utf-8")
