"""Reading a standard as of its newest history entry, and taking a step on it.

A step is the insert of history entry ``seq + 1`` (``store.insert_entry``): the unique key
decides between two people acting at once. Only the winner writes the standard document; a
reader that finds an entry the document does not show yet (its writer died or is still
writing) applies it (``rules.apply``) and writes it back, so a crash never wedges a standard.
"""
from services.common import clock as clk
from services.common.errors import Conflict, NotFound
from services.common.schemas import load
from services.contracts import standards as sc
from services.standards import rules, store

NOT_FOUND = "Standar pelayanan tidak ditemukan / Service standard not found"
RACED = ("Standar baru saja diubah orang lain; muat ulang / The standard was just changed by "
         "someone else; reload")


class Ledger:
    """``settings``: ``services.standards.settings.Settings`` (zone, review months ...)."""

    def __init__(self, db, clock, settings):
        self.db, self.clock, self.settings = db, clock, settings

    def now(self):
        return self.clock.now()

    def today(self):
        return clk.local_day(self.now(), self.settings.tz)

    def raw(self, standard_id):
        """The stored standard brought up to its newest entry, or ``NotFound``."""
        load(sc.StandardIdSchema, {"standard_id": standard_id})
        doc = store.get_standard(self.db, standard_id)
        if doc is None:
            raise NotFound(NOT_FOUND, {"id": standard_id})
        while True:
            entry = store.get_entry(self.db, standard_id, doc["seq"] + 1)
            if entry is None:
                break
            doc = self._write(doc, entry)
        if doc["status"] is None:  # its drafter died before the first entry: never created
            raise NotFound(NOT_FOUND, {"id": standard_id})
        return doc

    def every(self, agency=None, status=None):
        """The standards (of ``agency``, in ``status``) as of their newest entries."""
        for stored in store.standards(self.db, agency, status):
            try:
                yield self.raw(stored["_id"])
            except NotFound:
                continue

    def _write(self, doc, entry):
        new = rules.apply(doc, entry)
        store.write_standard(self.db, doc["_id"], {k: v for k, v in new.items() if k != "_id"})
        return new

    def step(self, doc, actor, action, changes, retry=False):
        """Take ``action`` on ``doc`` (as read); returns the standard after it. ``retry``:
        a step that does not depend on the exact state (an answer, the forum record) is
        tried again on the newer document when another step came first; otherwise that is a
        409."""
        while True:
            previous = store.get_entry(self.db, doc["_id"], doc["seq"]) if doc["seq"] else None
            entry = rules.new_entry(previous, doc["_id"], self.now(), actor, action, changes,
                                    doc["status"])
            if store.insert_entry(self.db, entry):
                return self._write(doc, entry)
            if not retry:
                raise Conflict(RACED, {"id": doc["_id"]})
            doc = self.raw(doc["_id"])

    def view(self, doc):
        return rules.document(doc, store.entries(self.db, doc["_id"]), self.today())

    def public_view(self, doc):
        """What anyone may read: who acted is shown by role only."""
        view = self.view(doc)
        view["history"] = [dict(h, by=None) for h in view["history"]]
        return view
