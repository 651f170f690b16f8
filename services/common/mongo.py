"""MongoDB access for nameko services, correct on MongoDB 7 *and* FerretDB v1.

``Mongo`` is a DependencyProvider: one pymongo ``MongoClient`` per service container (pymongo
pools connections itself), a database per service (``<prefix>_<service>``), indexes ensured
at start-up, the client closed when the container stops.

pymongo under eventlet
----------------------
nameko runs every worker in an eventlet greenthread with the standard library monkey-patched
(``socket``, ``threading``, ``time``, ``select``). pymongo has no eventlet-specific code (its
*official* eventlet support ended in 4.16) but it only uses the patched stdlib, so its
monitor threads become greenthreads and its sockets cooperative.
``tests/integration/test_mongo_under_eventlet.py`` holds it to that: a real service with 50 concurrent
workers, each doing insert/find round trips against FerretDB and yielding mid-request, shares
one client and completes all 500 calls with no lost or duplicated write; the pool grows to
the number of concurrent workers (``maxPoolSize`` bounds it). Rules that follow:
- use ``127.0.0.1`` URIs, not ``mongodb+srv://`` (SRV needs dnspython's resolver, which
  blocks the hub);
- create the client in ``setup()`` (after monkey patching), never at import time;
- close it in ``stop()``/``kill()`` so its monitor greenthreads end with the container.

Concurrency
-----------
FerretDB v1's ``find_one_and_update``/``update_one`` are not atomic (read, then rewrite by
``_id``). What is atomic on both databases is an insert against a unique index. So every
race in this code base is decided by ``claim()``/``insert_unique()``: insert a document
whose key *is* the thing being claimed; ``DuplicateKeyError`` means another writer won.

Query cost
----------
FerretDB v1.24's SQLite backend pushes down to SQL only a filter that is exactly
``{"_id": value}`` (``internal/backends/sqlite/collection.go``); every other filter, sort,
count or ``$in`` reads the whole collection into Go. Hot paths therefore address documents
by ``_id`` alone (keys are built from what is looked up: ``<service>:<day>:<seq>``), and
secondary indexes exist for MongoDB and for unique checks, not for FerretDB's reads.
"""
import contextlib
import logging

from nameko.extensions import DependencyProvider
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

from services.common.config import database_name

log = logging.getLogger(__name__)


class Mongo(DependencyProvider):
    """Inject the service's own ``pymongo.database.Database``.

    ``ensure_indexes`` is a callable ``(db) -> None`` from the service's store module.
    """

    def __init__(self, service_name, ensure_indexes=None):
        self.service_name = service_name
        self.ensure_indexes = ensure_indexes
        self.client = None
        self.db = None

    def setup(self):
        config = self.container.config
        self.client = make_client(config["MONGO_URI"])
        self.db = self.client[database_name(config, self.service_name)]
        if self.ensure_indexes is not None:
            self.ensure_indexes(self.db)

    def stop(self):
        self._close()

    def kill(self):
        self._close()

    def _close(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    def get_dependency(self, worker_ctx):
        return self.db


def make_client(uri, **options):
    """A client with short, explicit timeouts: a dead database is an error, not a hang.
    Retryable writes are as the URI says: ``retryWrites=true`` (pymongo's default when the
    URI is silent) on a MongoDB replica set; ``retryWrites=false`` on FerretDB v1, which has
    no retryable writes (no sessions or transaction numbers), as the development and test
    URIs say."""
    settings = dict(
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        connectTimeoutMS=3000,
        socketTimeoutMS=30000,
        maxPoolSize=50,
    )
    settings.update(options)
    return MongoClient(uri, **settings)


@contextlib.contextmanager
def duplicate_keys_as_such():
    """A write that breaks a unique index raises ``DuplicateKeyError`` on MongoDB; FerretDB v1
    (SQLite) answers an *update* that does so with ``InternalError`` (code 1, "UNIQUE
    constraint failed"). Inside this block both are ``DuplicateKeyError``."""
    try:
        yield
    except OperationFailure as exc:
        if isinstance(exc, DuplicateKeyError) or "UNIQUE constraint failed" not in str(exc):
            raise
        raise DuplicateKeyError(str(exc), 11000, exc.details) from exc


def insert_unique(collection, document):
    """Insert; return True when this writer won, False when the unique key was taken."""
    try:
        collection.insert_one(document)
        return True
    except DuplicateKeyError:
        return False


def claim(collection, key, **fields):
    """Claim ``key`` (the document ``_id``) for this writer. True: claimed; False: someone else has it."""
    return insert_unique(collection, dict(fields, _id=key))


def insert_or_get(collection, document):
    """Insert ``document`` or, when its ``_id`` exists already, return the stored one.

    The idempotent-create pattern: derive ``_id`` from the client's idempotency key and a
    retried request gets the first result. Returns ``(document, created)``.
    """
    if insert_unique(collection, document):
        return document, True
    existing = collection.find_one({"_id": document["_id"]})
    if existing is None:  # the duplicate was on another unique index
        raise DuplicateKeyError("duplicate on a secondary unique index")
    return existing, False


def ping(db):
    """True when the database answers (used by health checks)."""
    try:
        db.command("ping")
        return True
    except PyMongoError:
        return False
