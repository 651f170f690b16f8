"""Resealing stored NIKs under the current ``PERMITS_NIK_KEY`` (key rotation in place).

``rekey(ctx, limit)`` walks the applications in ``_id`` order from a cursor kept in the
permits database (``settings`` ``nik_rekey|<key id>``), ``limit`` at a time, and rewrites each
NIK not yet sealed with the current key (older keys are read through
``PERMITS_NIK_KEY_PREVIOUS``; ``keys``). A walk that stops (a crash, an operator's Ctrl-C)
resumes at its cursor; a finished walk starts over, and finds nothing to do: re-running is
always safe. A NIK no configured key opens is left as it is and counted (``unreadable``): the
operator adds the missing key to ``PERMITS_NIK_KEY_PREVIOUS`` and runs it again.

The rewrite is a conditional ``$set`` of ``applicant.nik`` (only if it still holds what was
read). On MongoDB that is atomic per document; FerretDB v1 rewrites the whole document, so
there run it while permits is quiet (store docstring).
"""
from services.permits import keys as keys_mod
from services.permits import store

DEFAULT_LIMIT = 200


def _cursor_key(keys):
    return "nik_rekey|" + keys.nik_key_id


def rekey(ctx, limit=DEFAULT_LIMIT):
    """One batch: ``{"key_id", "checked", "resealed", "unreadable", "done"}``."""
    keys = ctx.keys
    limit = max(1, min(int(limit or DEFAULT_LIMIT), 1000))
    cursor = store.get_setting(ctx.db, _cursor_key(keys)) or {}
    after = cursor.get("after")
    batch = store.applicants_after(ctx.db, after, limit)
    counts = {"checked": 0, "resealed": 0, "unreadable": cursor.get("unreadable", 0)}
    for app in batch:
        counts["checked"] += 1
        stored = (app.get("applicant") or {}).get("nik")
        if keys.nik_is_current(stored):
            continue
        try:
            nik = keys.open_nik(stored)
        except keys_mod.NikKeyMissing:
            counts["unreadable"] += 1
            continue
        if store.replace_nik(ctx.db, app["_id"], stored, keys.seal_nik(nik)):
            counts["resealed"] += 1
    done = len(batch) < limit
    if done:   # the next run walks from the start again (and finds nothing to do)
        store.put_setting(ctx.db, _cursor_key(keys), {"after": None, "unreadable": 0})
    else:
        store.put_setting(ctx.db, _cursor_key(keys), {"after": batch[-1]["_id"],
                                                      "unreadable": counts["unreadable"]})
    return dict(counts, key_id=keys.nik_key_id, done=done)
