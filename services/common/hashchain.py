"""Hash chains of append-only entries: the canonical JSON they are hashed over and the link
from one entry to the next. Pure (no I/O).

An entry's ``hash`` is ``sha256(canonical_json({field: entry[field] for field in fields}))``
where ``fields`` are the entry's own fields plus the link to its predecessor (the previous
entry's ``hash``; ``GENESIS_HASH``, 64 zeros, for the first). Canonical JSON: sorted keys, no
whitespace, UTF-8 (``ensure_ascii=False``); floats are refused (their text is not canonical).

Permits' application history (``services.permits.history``) and the standards' history
(``services.standards.rules``) are both such chains: an edit, insertion or deletion inside the
chain changes a hash or breaks a link; keeping the head hash on the document shows a
truncated tail too.
"""
import hashlib
import json

GENESIS_HASH = "0" * 64


def _no_floats(value):
    if isinstance(value, float):
        raise TypeError("floats are not allowed in hashed data")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("keys must be strings")
            _no_floats(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _no_floats(item)


def canonical_json(value):
    """Bytes of the canonical JSON of ``value`` (sorted keys, no whitespace, UTF-8)."""
    _no_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def digest(entry, fields):
    """sha256 hex of the canonical JSON of ``entry``'s ``fields`` (a missing one is null)."""
    return hashlib.sha256(canonical_json({k: entry.get(k) for k in fields})).hexdigest()


def link(previous, prev_field="prev_hash"):
    """The value an entry following ``previous`` (``None``: the first) carries in
    ``prev_field``."""
    return GENESIS_HASH if previous is None else previous["hash"]


def broken_link(entries, fields, prev_field="prev_hash"):
    """The position (1-based) of the first entry whose link or hash is wrong, else ``None``.
    ``entries`` in chain order; each must carry ``hash`` and ``prev_field``."""
    previous = None
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or entry.get(prev_field) != link(previous, prev_field):
            return position
        try:
            if entry.get("hash") != digest(entry, fields):
                return position
        except (TypeError, ValueError):
            return position
        previous = entry
    return None
