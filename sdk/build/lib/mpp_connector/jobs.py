"""Where a connector keeps the work it has not finished: ``MongoJobs`` (its own database,
``<prefix>_connector_<name>``) in a running service, ``MemoryJobs`` in the contract test kit.

A job is ``{"_id": "<application id>:<seq of the forwarding>", "application_id", "seq",
"agency", "attempts", "status", "next_at", "last_error"}`` with ``status``:

- ``waiting``: tried again at ``next_at`` (a retry or the next poll);
- ``parked``: not tried until an operator resumes the connector (why: ``last_error``).

Jobs that are done are deleted, so reading them all (a scan on FerretDB) only ever sees work
that is waiting or parked. The connector's suspension is one document, ``state/suspended``.
"""
SUSPENDED = "suspended"


class MemoryJobs:
    """In-memory jobs (the contract test kit)."""

    def __init__(self):
        self.jobs = {}
        self.suspension = None

    def put(self, job, upsert=True):
        if upsert or job["_id"] in self.jobs:
            self.jobs[job["_id"]] = dict(job)

    def drop(self, job_id):
        self.jobs.pop(job_id, None)

    def all(self):
        return [dict(job) for job in self.jobs.values()]

    def suspend(self, since, reason):
        self.suspension = {"since": since, "reason": reason}

    def suspended(self):
        """``{"since", "reason"}`` while suspended, else ``None``."""
        return self.suspension

    def lift(self):
        self.suspension = None


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

    def suspend(self, since, reason):
        self.db.state.replace_one({"_id": SUSPENDED}, {"_id": SUSPENDED, "since": since,
                                                      "reason": reason}, upsert=True)

    def suspended(self):
        return self.db.state.find_one({"_id": SUSPENDED}, {"_id": 0})

    def lift(self):
        self.db.state.delete_one({"_id": SUSPENDED})
