"""A connector service's storage (its own database, ``<prefix>_connector_<name>``): the only
module of the connector runtime that touches collections.

``jobs``   ``_id`` = ``<application id>:<seq of the forwarding>``: work waiting for a retry
           or parked while suspended; deleted when done, so reading them all (a scan on
           FerretDB) only ever sees work that is waiting or suspended.
``state``  ``_id`` = ``suspended``: present while the connector is suspended.
"""
SUSPENDED = "suspended"


def put_job(db, job, upsert=True):
    """Write ``job`` (``upsert=False``: only if it is still on file)."""
    db.jobs.replace_one({"_id": job["_id"]}, job, upsert=upsert)


def drop_job(db, job_id):
    db.jobs.delete_one({"_id": job_id})


def all_jobs(db):
    return list(db.jobs.find({}))


def suspend(db, since, reason):
    db.state.replace_one({"_id": SUSPENDED}, {"_id": SUSPENDED, "since": since,
                                              "reason": reason}, upsert=True)


def is_suspended(db):
    return db.state.find_one({"_id": SUSPENDED}) is not None


def lift_suspension(db):
    db.state.delete_one({"_id": SUSPENDED})
