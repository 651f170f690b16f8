"""Gapless ``_id`` sequences with a lower-bound hint: numbers that are unique and leave no gap,
correct on MongoDB and on FerretDB v1 without any atomic update.

The mechanism
-------------
A sequence is the documents ``<prefix><sep><n:0{width}d>`` of one collection (ticket numbers
of a service-day, entries of a queue lane, the day's call log, a permit's history log). To
append, a writer inserts ``n = highest known + 1``; ``DuplicateKeyError`` on ``_id`` means
another writer took ``n``, so it tries ``n + 1``. A number is tried only once the one before
is known taken, so the sequence is contiguous: the first missing ``n`` is its end, and
``highest`` finds it by reading ``_id``\\ s forward (on FerretDB v1 only an ``_id`` filter is
pushed down to SQL; no count, sort or ``$max`` query is needed).

Reading from 1 every time would cost a read per document, so a *hint* document remembers a
number known taken: ``{_id: hint_id, <field>: n}`` in a hint collection, raised with
``$max``. FerretDB's ``$max`` is read-then-write, so two racing writers can leave the lower
value: the hint is only ever a *lower bound*, and probing forward corrects it. Raising it
every ``hint_every`` appends bounds that probing; ``hint_every=1`` raises it on every append.

Per process, ``Tails`` lets the workers of one process take turns per sequence and remember
the last number they appended, so they neither race each other (a loser pays a failed insert
and a probe) nor read the hint on every append. Other processes still race; the unique
``_id`` settles it.

API
---
``Hint(collection, hint_id, field="n")``
    ``read() -> int`` (0 when absent), ``raise_to(n)`` (``$max``, upsert, survives a racing
    first write). Subclass it to observe raises (e.g. a process-local copy of hint documents).
``Sequence(collection, prefix, hint, width=6, sep=":")``
    ``key(n)``; ``highest(at_least=0) -> int``: the hint (or ``at_least``, a number known
    taken, if higher), then probe forward by ``_id``;
    ``append(make_doc, last=0, limit=None, hint_every=HINT_EVERY, attempts=MAX_ATTEMPTS,
    check_clash=False) -> (n, doc)``: insert ``dict(make_doc(n), _id=key(n))`` at the next
    free ``n``. ``last``: a number known taken to start after (0: read ``highest()``);
    ``limit``: raise ``LimitReached(highest)`` rather than take ``n > limit`` (exact under any
    concurrency, as numbers are tried in order); ``check_clash``: the documents have another
    unique index, so a ``DuplicateKeyError`` is checked by reading ``key(n)``, and when ``n``
    is still free the error is the caller's (it propagates). The hint is raised when
    ``n % hint_every == 0`` or when ``last`` was 0. ``name``: the sequence's identity,
    ``(database, collection, prefix)``.
``Tails()``
    ``append(sequence, make_doc, **options)``: ``Sequence.append`` under this process's turn,
    starting from its memory; ``known(sequence)``: the last number this process appended (0);
    ``turn(sequence)``: the lock itself, and ``remember(sequence, n)``, for a caller that must
    do more inside its turn (a ticket checks its idempotency key first).

A permits history log, for instance, is
``Sequence(db.slots, log, Hint(db.hints, "head|" + log), width=9, sep="|")``: ``log_head`` is
``highest()`` and ``log_append`` is ``append(lambda n: dict(fields, log=log, n=n),
hint_every=1, attempts=MAX_SLOT_ATTEMPTS)[1]["_id"]`` (called without ``Tails``, each append
reads the hint first, as permits does).
"""
from collections import defaultdict

from eventlet.semaphore import Semaphore
from pymongo.errors import DuplicateKeyError

from services.common.mongo import duplicate_keys_as_such

HINT_EVERY = 10
MAX_ATTEMPTS = 100000


class LimitReached(Exception):
    """The next number would pass the caller's limit (nothing was written); ``args[0]`` is
    the highest number taken."""


class Hint:
    """A lower bound of a sequence's highest number: ``field`` of the document ``hint_id``."""

    def __init__(self, collection, hint_id, field="n"):
        self.collection = collection
        self.hint_id = hint_id
        self.field = field

    def read(self):
        doc = self.collection.find_one({"_id": self.hint_id})
        return doc.get(self.field, 0) if doc else 0

    def raise_to(self, n):
        """``$max`` the hint. Not atomic on FerretDB: a racing writer may leave a lower value,
        which is still a lower bound. Two writers that both find no document may both insert:
        the loser applies its ``$max`` to the document that now exists."""
        update = {"$max": {self.field: n}}
        with duplicate_keys_as_such():
            try:
                self.collection.update_one({"_id": self.hint_id}, update, upsert=True)
            except DuplicateKeyError:
                if self.collection.update_one({"_id": self.hint_id}, update).matched_count == 0:
                    raise


class Sequence:
    """The gapless ``_id`` sequence ``<prefix><sep><n>`` of ``collection`` (module doc)."""

    def __init__(self, collection, prefix, hint, width=6, sep=":"):
        self.collection = collection
        self.prefix = prefix
        self.hint = hint
        self.width = width
        self.sep = sep

    @property
    def name(self):
        return (self.collection.database.name, self.collection.name, self.prefix)

    def key(self, n):
        return "{}{}{:0{}d}".format(self.prefix, self.sep, n, self.width)

    def taken(self, n):
        return self.collection.find_one({"_id": self.key(n)}, {"_id": 1}) is not None

    def highest(self, at_least=0):
        """The highest number taken: the hint (or ``at_least``), then probe by ``_id``."""
        n = max(self.hint.read(), at_least)
        while self.taken(n + 1):
            n += 1
        return n

    def append(self, make_doc, last=0, limit=None, hint_every=HINT_EVERY,
               attempts=MAX_ATTEMPTS, check_clash=False):
        """Insert ``make_doc(n)`` at the next free ``n``; returns ``(n, document)``."""
        n = (last if last else self.highest()) + 1
        for _ in range(attempts):
            if limit is not None and n > limit:
                raise LimitReached(n - 1)
            doc = dict(make_doc(n), _id=self.key(n))
            try:
                self.collection.insert_one(doc)
            except DuplicateKeyError:
                if check_clash and not self.taken(n):
                    raise  # another unique index refused the document: the caller's
                n += 1     # taken by another writer: n + 1 leaves no gap
                continue
            if n % hint_every == 0 or not last:
                self.hint.raise_to(n)
            return n, doc
        raise RuntimeError("no free number in {} after {} attempts".format(self.prefix, attempts))


class Tails:
    """This process's turns and last numbers, per sequence (module doc)."""

    def __init__(self):
        self._locks = defaultdict(Semaphore)
        self._last = {}

    def turn(self, sequence):
        return self._locks[sequence.name]

    def known(self, sequence):
        return self._last.get(sequence.name, 0)

    def remember(self, sequence, n):
        self._last[sequence.name] = n

    def append(self, sequence, make_doc, **options):
        with self.turn(sequence):
            n, doc = sequence.append(make_doc, last=self.known(sequence), **options)
            self.remember(sequence, n)
            return n, doc
