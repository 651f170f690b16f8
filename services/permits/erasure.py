"""Erasing applicants' personal data a while after the final decision.

``PERMITS_PERSONAL_DATA_DAYS`` (default 365) after an application reached a final state
(issued, rejected, withdrawn, cancelled, expired, revoked, deemed approved), its applicant's
name, NIK, phone and e-mail and the NIK's HMAC (``applicant_key``) are overwritten, and its
documents go: every file the application referred to that no other application still uses
(a KTP reused by a later application stays until that one is erased too), the documents'
metadata (file names may carry names), leaving only which kinds were filed. What statistics
and the signed permit need stays: agency, permit type, states, history, dates, the permit
record (which binds the holder by masked name and a keyed NIK hash) and its PDF, which
belongs to its holder. The hourly timer erases in batches; ``erase(ctx, at)`` runs it as of
an instant (tests, operators).
"""
from datetime import timedelta

from services.common import clock as clk
from services.common import settings
from services.permits import store, workflow

BATCH = 500
FINAL_STATES = tuple(sorted(workflow.TERMINAL_STATES | {workflow.ISSUED}))


def retention_days(ctx):
    return settings.get(ctx.config, "PERMITS_PERSONAL_DATA_DAYS")


def erase(ctx, at=None):
    """Erase what is due as of ``at`` (ISO-8601; default now): ``{"erased": n}``."""
    now = clk.parse(at) if at else ctx.now()
    cutoff = clk.iso(now - timedelta(days=retention_days(ctx)))
    erased = 0
    for app in store.decided_before(ctx.db, FINAL_STATES, cutoff, BATCH):
        _erase_documents(ctx, app)
        # last: the mark that takes the application out of what is due (a crash before it
        # means the next run does it all again, each step idempotent)
        store.write_application(ctx.db, app["_id"], {
            "applicant": {"name": None, "nik": None, "phone": None, "email": None,
                          "language": (app.get("applicant") or {}).get("language", "id"),
                          "erased_at": clk.iso(now)},
            "applicant_key": None,
            "documents": [{"kind": d.get("kind")} for d in app.get("documents") or []]})
        erased += 1
    return {"erased": erased}


def _erase_documents(ctx, app):
    keys = {d["reuse_key"] for d in app.get("documents") or [] if d.get("reuse_key")}
    keys |= store.files_used_by(ctx.db, app["_id"])
    store.forget_documents(ctx.db, app["_id"], [
        key for key in sorted(keys) if not store.file_used_elsewhere(ctx.db, key, app["_id"])])
