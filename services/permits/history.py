"""Append-only, hash-chained history of an application.

Entry (every key always present)::

    {"application_id": str, "seq": int (1, 2, …), "at": "2026-03-02T03:00:00Z",
     "actor": str, "role": str, "from": str | None, "to": str, "action": str,
     "note": str | None, "details": {…JSON…}, "prev_hash": 64 hex, "hash": 64 hex}

``hash = sha256(canonical_json(entry without "hash"))`` (``services.common.hashchain``: sorted
keys, no whitespace, UTF-8; floats refused).
The first entry's ``prev_hash`` is 64 zeros. Only ``ENTRY_FIELDS`` are hashed, so a store may add
``_id``. The store puts a unique index on ``(application_id, seq)``: two writers that both build
entry ``seq = n`` from the same head cannot both insert it — the loser gets a duplicate key and
reports a conflict. ``details`` carries facts a transition needs to keep (e.g. the legal basis
of a deemed approval, the approval level, the connector's reference).

The chain shows any edit, insertion or deletion *inside* the history; keep the head hash on
the application (``head_hash``) so that truncating the tail shows too.
"""
from services.common import clock as clk
from services.common.hashchain import GENESIS_HASH, canonical_json, digest  # noqa: F401

ENTRY_FIELDS = ("application_id", "seq", "at", "actor", "role", "from", "to", "action", "note",
                "details", "prev_hash")


def entry_hash(entry):
    """sha256 hex of the canonical JSON of the entry's ``ENTRY_FIELDS`` (never ``hash``)."""
    return digest(entry, ENTRY_FIELDS)


def new_entry(previous, application_id, at, actor, role, from_state, to_state, action,
              note=None, details=None):
    """The entry that follows ``previous`` (``None`` for the first), hashed.

    ``at`` is an aware datetime (stored as UTC ISO-8601 with ``Z``).
    """
    if at.tzinfo is None:
        raise ValueError("history needs an aware datetime")
    if previous is not None and previous["application_id"] != application_id:
        raise ValueError("previous entry belongs to another application")
    entry = {
        "application_id": application_id,
        "seq": 1 if previous is None else previous["seq"] + 1,
        "at": clk.iso(at),
        "actor": actor,
        "role": role,
        "from": from_state,
        "to": to_state,
        "action": action,
        "note": note,
        "details": dict(details or {}),
        "prev_hash": GENESIS_HASH if previous is None else previous["hash"],
    }
    entry["hash"] = entry_hash(entry)
    return entry


def verify(entries, head_hash=None):
    """``(True, None)`` if the chain is intact, else ``(False, seq of the first bad entry)``.

    Checks, in order of ``entries`` (as the store returns them, sorted by ``seq``): one
    application, ``seq`` 1, 2, 3…, each ``prev_hash`` the previous ``hash`` (genesis zeros
    first), each ``from`` the previous ``to``, each ``hash`` recomputed. With ``head_hash``
    (kept on the application) a missing tail is caught too: its seq is reported as
    ``last seq + 1``.
    """
    previous = None
    for position, entry in enumerate(entries, start=1):
        seq = entry.get("seq") if isinstance(entry, dict) else None
        bad = position if not isinstance(seq, int) else seq
        if not isinstance(entry, dict) or seq != position:
            return False, bad
        if previous is not None and entry.get("application_id") != previous["application_id"]:
            return False, bad
        expected_prev = GENESIS_HASH if previous is None else previous["hash"]
        if entry.get("prev_hash") != expected_prev:
            return False, bad
        expected_from = None if previous is None else previous["to"]
        if entry.get("from") != expected_from:
            return False, bad
        try:
            if entry.get("hash") != entry_hash(entry):
                return False, bad
        except (TypeError, ValueError):
            return False, bad
        previous = entry
    if head_hash is not None:
        last = previous["hash"] if previous is not None else GENESIS_HASH
        if last != head_hash:
            return False, (previous["seq"] + 1) if previous is not None else 1
    return True, None
