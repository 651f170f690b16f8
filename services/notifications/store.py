"""Notifications persistence (MongoDB / FerretDB). Only this module talks to the collections.

A message's ``_id`` is its dedup key, derived from the domain event
(``ticket_issued:<ticket>``): a redelivered event finds the key taken and sends nothing.
"""
from pymongo import ASCENDING

from services.common.mongo import insert_or_get


def ensure_indexes(db):
    db.messages.create_index([("reference", ASCENDING)], name="by_reference")
    db.messages.create_index([("status", ASCENDING)], name="by_status")


def create_message(db, message):
    """Returns ``(message, created)``; ``created`` is False for a duplicate event."""
    return insert_or_get(db.messages, message)


def messages_for(db, reference):
    return list(db.messages.find({"reference": reference}, sort=[("created_at", ASCENDING)]))
