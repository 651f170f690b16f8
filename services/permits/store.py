"""Permits persistence (MongoDB / FerretDB). Only this module talks to the collections."""
from pymongo import ASCENDING


def ensure_indexes(db):
    db.permit_types.create_index([("agency", ASCENDING)], name="by_agency")


def upsert_permit_type(db, document):
    db.permit_types.replace_one({"_id": document["_id"]}, document, upsert=True)


def list_permit_types(db, agency=None):
    query = {} if agency is None else {"agency": agency}
    return list(db.permit_types.find(query, sort=[("_id", ASCENDING)]))
