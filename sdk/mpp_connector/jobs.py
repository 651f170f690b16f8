"""Where a connector keeps the work it has not finished: ``MongoJobs`` (its own database,
``<prefix>_connector_<name>``) in a running service, ``MemoryJobs`` in the contract test kit.

A job is ``{"_id": "<application id>:<seq of the forwarding>", "application_id", "seq",
"agency", "attempts", "status", "next_at", "last_error"}`` with ``status``:

- ``waiting``: tried again at ``next_at`` (a retry or the next poll);
- ``parked``: not tried until an operator resumes the connector (why: ``last_error``).

Jobs that are done are deleted, so reading them all (a scan on FerretDB) only ever sees work
that is waiting or parked. A suspension is one document in ``state``: ``suspended`` for the
whole connector, ``suspended:<scope>`` for one agency of a connector that suspends per agency
(the webhook connector: one agency's server failing does not hold up the others).
"""
SUSPENDED = "suspended"


def _key(scope):
    return SUSPENDED if scope is None else "{}:{}".format(SUSPENDED, scope)


def _scope(key):
    return None if key == SUSPENDED else key.split(":", 1)[1]


class MemoryJobs:
    """In-memory jobs (the contract test kit)."""

    def __init__(self):
        self.jobs = {}
        self.state = {}

    def put(self, job, upsert=True):
        if upsert or job["_id"] in self.jobs:
            self.jobs[job["_id"]] = dict(job)

    def drop(self, job_id):
        self.jobs.pop(job_id, None)

    def all(self):
        return [dict(job) for job in self.jobs.values()]

    def suspend(self, since, reason, scope=None):
        self.state[_key(scope)] = {"since": since, "reason": reason}

    def suspended(self, scope=None):
        """``{"since", "reason"}`` while suspended (``scope``: one agency's), else ``None``."""
        return self.state.get(_key(scope))

    def suspensions(self):
        """``{scope: {"since", "reason"}}`` of every suspension (``None``: the connector's)."""
        return {_scope(key): dict(value) for key, value in self.state.items()}

    def lift(self, scope=None):
        self.state.pop(_key(scope), None)


class MongoJobs:
    """The same over a pymongo ``Database`` (collections ``jobs`` and ``state``)."""

    def __init__(self, db):
        self.db = db

    def put(self, job, upsert=True):
        self.db.jobs.replace_one({"_id": job["_id"]}, job, upsert=upsert)

    def drop(self, job_id):
        self.db.jobs.delete_one({"_id": job_id})

    def all(self):
        return list(self.db.jobs.find({}))

    def suspend(self, since, reason, scope=None):
        self.db.state.replace_one({"_id": _key(scope)}, {"_id": _key(scope), "since": since,
                                                        "reason": reason}, upsert=True)

    def suspended(self, scope=None):
        return self.db.state.find_one({"_id": _key(scope)}, {"_id": 0})

    def suspensions(self):
        return {_scope(doc["_id"]): {"since": doc.get("since"), "reason": doc.get("reason")}
                for doc in self.db.state.find({}) if str(doc["_id"]).startswith(SUSPENDED)}

    def lift(self, scope=None):
        self.db.state.delete_one({"_id": _key(scope)})
